"""What the waiver ledger says on a day (CONTRACT.md v1.1, docs/decisions/0016).

A `granted` entry starts a chain; `extended`, `corrected` and `revoked` entries amend the
latest entry of their chain. A correction replaces the entry it amends and keeps its effect
(a corrected revocation is still a revocation): the entries that count are the chain's
*standing* entries. On day D a chain's *terms* are its latest standing entry that is not a
revocation and took effect by D; the chain *waives* on D when it has terms, D is not past
their expiry, and no standing revocation took effect by D.

The rules are written twice on purpose, side by side in this module: in Python for one
condition's handful of entries (the write path, the condition page) and in SQL for a million
conditions (the scan, the enforcement report). A property test
(tests/conditions/test_chains_property.py) checks on random chains that both agree.
"""

import dataclasses
import datetime
from collections.abc import Iterable
from decimal import Decimal

REVOKED = "revoked"
CORRECTED = "corrected"


@dataclasses.dataclass(frozen=True)
class ChainState:
    """One chain on one day: its terms, and whether it waives."""

    chain_id: int
    terms: object | None  # the entry whose terms hold on the day, if any
    revoked: bool  # a standing revocation took effect by the day
    waives: bool

    @property
    def amount_waived(self) -> Decimal:
        """The funds its terms released, still counted after expiry; none once revoked."""
        if self.terms is None or self.revoked:
            return Decimal("0")
        return self.terms.amount_usd or Decimal("0")


def effect_of(entry, by_id: dict) -> str:
    """What an entry does once corrections are followed back to what they correct."""
    while entry.action == CORRECTED:
        entry = by_id[entry.amends_id]
    return entry.action


def chain_of(entry, by_id: dict) -> int:
    """The id of the grant that starts the entry's chain."""
    while entry.amends_id is not None:
        entry = by_id[entry.amends_id]
    return entry.id


def standing_chains(entries: Iterable) -> dict[int, list]:
    """Each chain's standing entries in ledger order, keyed by the chain's grant id."""
    entries = sorted(entries, key=lambda e: e.sequence)
    by_id = {e.id: e for e in entries}
    corrected = {e.amends_id for e in entries if e.action == CORRECTED}
    chains: dict[int, list] = {}
    for entry in entries:
        if entry.id not in corrected:
            chains.setdefault(chain_of(entry, by_id), []).append((entry, effect_of(entry, by_id)))
    return chains


def chain_state(chain_id: int, standing: list, day: datetime.date) -> ChainState:
    """The state on `day` of one chain, given its (entry, effect) pairs in ledger order."""
    revoked = any(e.effective_on <= day for e, effect in standing if effect == REVOKED)
    started = [e for e, effect in standing if effect != REVOKED and e.effective_on <= day]
    terms = started[-1] if started else None
    waives = (
        terms is not None and not revoked and (terms.expires_on is None or day <= terms.expires_on)
    )
    return ChainState(chain_id=chain_id, terms=terms, revoked=revoked, waives=waives)


def chains_on(entries: Iterable, day: datetime.date) -> list[ChainState]:
    """Every chain of one condition's entries, as it stands on `day`."""
    return [chain_state(cid, rows, day) for cid, rows in standing_chains(entries).items()]


def waives_on(entries: Iterable, day: datetime.date) -> bool:
    """Whether any chain of these entries (one condition's) waives on `day`."""
    return any(state.waives for state in chains_on(entries, day))


def amount_waived_on(entries: Iterable, day: datetime.date) -> Decimal:
    """The enforcement report's waived amount for one condition on `day`."""
    return sum((state.amount_waived for state in chains_on(entries, day)), Decimal("0"))


# ----- the same rules in SQL ----------------------------------------------------------------
#
# `CHAIN_STATE_SQL` is a CTE body: one row per chain of the conditions that `{where}` selects
# (a condition over alias `e`, e.g. "e.condition_id BETWEEN %(lo)s AND %(hi)s"), on the day
# given by `day` (the named parameter %(day)s unless told otherwise). The insert trigger
# `ledger_chain` fills `chain_id` and `effect`.
# array_agg(... ORDER BY sequence DESC)[1] picks the latest standing entry of a kind; `has_terms`
# tells "no terms" from "terms with no expiry" (both give NULL).
CHAIN_STATE_SQL = """
    SELECT e.condition_id, e.chain_id,
           bool_or(e.effect <> 'revoked' AND e.effective_on <= {day}) AS has_terms,
           (array_agg(e.id ORDER BY e.sequence DESC)
                FILTER (WHERE e.effect <> 'revoked' AND e.effective_on <= {day}))[1] AS terms_id,
           (array_agg(e.expires_on ORDER BY e.sequence DESC)
                FILTER (WHERE e.effect <> 'revoked' AND e.effective_on <= {day}))[1]
                AS terms_expires_on,
           (array_agg(e.amount_usd ORDER BY e.sequence DESC)
                FILTER (WHERE e.effect <> 'revoked' AND e.effective_on <= {day}))[1]
                AS terms_amount_usd,
           (array_agg(e.expires_on ORDER BY e.sequence DESC)
                FILTER (WHERE e.effect <> 'revoked'))[1] AS last_expires_on,
           MIN(e.effective_on) FILTER (WHERE e.effect = 'revoked') AS revoked_from
      FROM conditions_waiverentry e
     WHERE {where}
       AND NOT EXISTS (
           SELECT 1 FROM conditions_waiverentry c
            WHERE c.amends_id = e.id AND c.action = 'corrected')
     GROUP BY e.condition_id, e.chain_id
"""

# Over a `chain_state` CTE: whether each chain waives, and the days its waiver ends or ended.
CHAIN_WAIVES_SQL = """
    SELECT s.*,
           (s.has_terms AND (s.revoked_from IS NULL OR s.revoked_from > {day})
                AND (s.terms_expires_on IS NULL OR s.terms_expires_on >= {day})) AS waives,
           (s.has_terms AND (s.revoked_from IS NULL OR s.revoked_from > {day}))
                AS counts_as_waived
      FROM chain_state s
"""


def chain_sql(where: str, day: str = "%(day)s") -> str:
    """`chain_state` and `chain` CTEs (no leading WITH) for the conditions `where` selects,
    on the day given by the placeholder or expression `day`."""
    return (
        f"chain_state AS ({CHAIN_STATE_SQL.format(where=where, day=day)}),\n"
        f"chain AS ({CHAIN_WAIVES_SQL.format(day=day)})"
    )


# The waiving chain's end and a stopped chain's last day, over the `chain` CTE.
ENDS_ON_SQL = "LEAST(c.last_expires_on, c.revoked_from - 1)"
ENDED_ON_SQL = "LEAST(c.terms_expires_on, c.revoked_from - 1)"


# Only the chains with an entry expiring in a window: the terms that hold on a day and expire
# by another must be such an entry, so no other chain needs its state worked out.
EXPIRING_CHAINS_SQL = (
    "e.chain_id IN (SELECT x.chain_id FROM conditions_waiverentry x"
    " WHERE x.expires_on BETWEEN %s AND %s)"
)


def terms_in_effect_sql(day: datetime.date, expiring_by=None) -> tuple[str, list]:
    """A query (with its positional parameters, for the ORM) of the ids of the entries whose
    terms hold on `day` in a chain that waives; with `expiring_by`, only terms expiring by then
    are sure to be among them (the dashboard's "waivers expiring" reads only those chains)."""
    where, where_params = (
        ("TRUE", []) if expiring_by is None else (EXPIRING_CHAINS_SQL, [day, expiring_by])
    )
    head, tail = chain_sql("{where}", day="%s").split("{where}")
    sql = f"WITH {head}{where}{tail} SELECT terms_id FROM chain WHERE waives"  # noqa: S608  # nosec B608
    return sql, [day] * head.count("%s") + where_params + [day] * tail.count("%s")
