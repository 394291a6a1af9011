"""The API lists' floors: the API page's rows through raw psycopg and orjson, nothing less.

A floor is one statement returning, for each row of the page, a JSON object of the row's
columns and of every nested list the API serialises (an agreement's participants, technology
areas, legal bases with their provision and act, and industrial participants; a partner's
designations; a condition's requirements and sources; a waiver's sources and the recording
user's name), with the API's filter and in the API's order. The floors of the first round read
the parent rows alone, by primary key, whatever the page's order: a smaller job than the page's.
Not in a floor: the marking visibility test (the bench reads as an admin, who sees every row)
and the work of turning codes into the API's shapes. tests/registry/test_bench_web.py checks
that each floor returns the API page's rows, in its order, with as many nested items.
"""

from dataclasses import dataclass


def _list(key: str, table: str, link: str, item: str = "to_jsonb(x)", join: str = "") -> str:
    """`'key', [the rows of table whose link is the parent's id, as JSON, in id order]`."""
    # Names come from this module's constants; values are parameters.
    select = f"SELECT coalesce(jsonb_agg({item} ORDER BY x.id), '[]') FROM {table} x"  # noqa: S608  # nosec B608
    return f"'{key}', ({select}{join} WHERE x.{link} = t.id)"


@dataclass(frozen=True)
class Floor:
    table: str
    order: str  # the API's default order
    nested: tuple[str, ...]  # 'key', (a subquery over the row's related rows)
    drop: str = ""  # a column the API never shows

    def statement(self, *, where: str = "TRUE", order: str = "") -> str:
        row = f"to_jsonb(t){self.drop} || jsonb_build_object({', '.join(self.nested)})"
        return (
            f"SELECT {row} FROM {self.table} t"  # noqa: S608  # nosec B608 (as above)
            f" WHERE {where} ORDER BY {order or self.order} LIMIT %(size)s"
        )


AGREEMENTS = Floor(
    table="agreements_agreement",
    order="t.reference, t.id",
    drop=" - 'search_vector'",
    nested=(
        _list("participants", "agreements_agreementparticipant", "agreement_id"),
        _list(
            "technology_areas",
            "agreements_agreementtechnologyarea",
            "agreement_id",
            item="a.slug",
            join=" JOIN agreements_technologyarea a ON a.id = x.technology_area_id",
        ),
        _list(
            "legal_bases",
            "agreements_legalbasis",
            "agreement_id",
            item="to_jsonb(x) || jsonb_build_object('provision', to_jsonb(p), 'act', to_jsonb(a))",
            join=" JOIN agreements_provision p ON p.id = x.provision_id"
            " JOIN agreements_act a ON a.id = p.act_id",
        ),
        _list("industrial_participants", "agreements_industrialparticipant", "agreement_id"),
    ),
)
PARTNERS = Floor(
    table="partners_partner",
    order="t.name, t.id",
    nested=(_list("designations", "partners_partnerdesignation", "partner_id"),),
)
CONDITIONS = Floor(
    table="conditions_condition",
    order="t.next_review_due, t.id",
    nested=(
        _list("requirements", "conditions_conditionrequirement", "condition_id"),
        _list("sources", "conditions_sourcedocument", "condition_id"),
    ),
)
WAIVERS = Floor(
    table="conditions_waiverentry",
    order="t.sequence DESC, t.id DESC",
    nested=(
        _list("sources", "conditions_sourcedocument", "waiver_entry_id"),
        "'recorded_by', (SELECT u.username FROM auth_user u WHERE u.id = t.recorded_by_id)",
    ),
)
SEARCH = (
    "(t.search_vector @@ websearch_to_tsquery('english', %(term)s)"
    " OR upper(t.reference) LIKE upper(%(prefix)s))"
)
AREA = (
    "EXISTS (SELECT 1 FROM agreements_agreementtechnologyarea x JOIN agreements_technologyarea"
    " a ON a.id = x.technology_area_id WHERE x.agreement_id = t.id AND a.slug = %(area)s)"
)


def api_floors(area: str, term: str = "radar") -> list[tuple[str, str, str, dict]]:
    """(label, API URL, floor statement, its parameters) for each API list of issue 14."""
    api = "/api/v1/"
    agreements, size = AGREEMENTS.statement(), lambda n, **more: {"size": n, **more}
    return [
        ("API agreements/ 50", f"{api}agreements/", agreements, size(50)),
        ("API agreements/ 100", f"{api}agreements/?page_size=100", agreements, size(100)),
        ("API agreements/ 500", f"{api}agreements/?page_size=500", agreements, size(500)),
        ("API waivers/ 100", f"{api}waivers/?page_size=100", WAIVERS.statement(), size(100)),
        ("API partners/ 100", f"{api}partners/?page_size=100", PARTNERS.statement(), size(100)),
        ("API conditions/ by next_review_due", f"{api}conditions/?ordering=next_review_due",
         CONDITIONS.statement(order="t.next_review_due, t.id"), size(50)),
        ("API agreements/ by title", f"{api}agreements/?ordering=title",
         AGREEMENTS.statement(order="t.title, t.id"), size(50)),
        ("API agreements/ by -signed_on", f"{api}agreements/?ordering=-signed_on",
         AGREEMENTS.statement(order="t.signed_on DESC, t.id DESC"), size(50)),
        ("API waivers/ by signed_on", f"{api}waivers/?ordering=signed_on",
         WAIVERS.statement(order="t.signed_on, t.id"), size(50)),
        (f"API agreements/?search={term}", f"{api}agreements/?search={term}",
         AGREEMENTS.statement(where=SEARCH), size(50, term=term, prefix=f"{term}%")),
        ("API agreements/?technology_area=", f"{api}agreements/?technology_area={area}",
         AGREEMENTS.statement(where=AREA), size(50, area=area)),
    ]  # fmt: skip
