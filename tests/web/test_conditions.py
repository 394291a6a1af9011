"""Condition pages: the ledger timeline, review and waiver forms, flags, waiver history, CSV."""

import csv
import datetime
import io
from decimal import Decimal
from operator import attrgetter

from django.urls import reverse

from conditions.models import Flag, WaiverEntry
from conditions.services import waiver_record
from core.registry_day import registry_today
from core.web.csv import labelled, lines, rows_of
from tests.factories import ConditionFactory, PartnerFactory, RequirementFactory, waiver_fields

TODAY = registry_today()


def _sources(total=1):
    return {
        "sources-TOTAL_FORMS": str(total),
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
    }


def test_detail_shows_the_ledger_as_a_linked_timeline(client, auditor, editor, world):
    condition, grant = world["condition"], world["waiver"]
    extension = waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(
            action="extended",
            amends=grant,
            authority=condition.legal_basis,
            expires_on=TODAY + datetime.timedelta(days=400),
        ),
    )
    client.force_login(auditor)
    html = client.get(reverse("conditions:condition_detail", kwargs={"pk": condition.pk}))
    html = html.content.decode()
    assert f'id="waiver-{grant.pk}"' in html and f'id="waiver-{extension.pk}"' in html
    assert f'href="#waiver-{grant.pk}"' in html  # the extension links to what it amends
    assert f'href="#waiver-{extension.pk}"' in html  # and the grant to what amended it
    assert html.index(f'id="waiver-{grant.pk}"') < html.index(f'id="waiver-{extension.pk}"')
    # An auditor sees no edit controls.
    assert "Record a waiver entry" not in html and "Acknowledge" not in html


def test_editor_records_a_waiver_entry_through_the_form(client, editor, world):
    condition = world["condition"]
    client.force_login(editor)
    data = {
        "action": "revoked",
        "amends": world["waiver"].pk,
        "authority": condition.legal_basis.pk,
        "standard": "national_security_interest",
        "official_title": "Secretary of State",
        "signed_on": TODAY.isoformat(),
        "effective_on": TODAY.isoformat(),
        "justification": "Conditions met again.",
        "publicity": "press_reported",
        **_sources(),
        "sources-0-url": "https://example.org/report",
        "sources-0-kind": "press",
    }
    url = reverse("conditions:waiver_create", kwargs={"condition_pk": condition.pk})
    response = client.post(url, data)
    entry = WaiverEntry.objects.get(action="revoked")
    assert response.status_code == 302
    assert response.url.endswith(f"#waiver-{entry.pk}")
    assert entry.amends == world["waiver"] and entry.recorded_by == editor
    assert entry.sources.get().url == "https://example.org/report"


def test_waiver_form_shows_ledger_rule_errors_next_to_the_field(client, editor, world):
    condition = world["condition"]
    client.force_login(editor)
    data = {
        "action": "extended",
        "authority": condition.legal_basis.pk,
        "standard": "emergency",
        "official_title": "Secretary of Defense",
        "signed_on": TODAY.isoformat(),
        "effective_on": TODAY.isoformat(),
        "justification": "x",
        "publicity": "classified",
        **_sources(),
    }
    url = reverse("conditions:waiver_create", kwargs={"condition_pk": condition.pk})
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["amends"]
    assert WaiverEntry.objects.count() == 1


def test_editor_records_a_review(client, editor, world):
    condition = world["condition"]
    client.force_login(editor)
    url = reverse("conditions:review_create", kwargs={"condition_pk": condition.pk})
    data = {"reviewed_on": TODAY.isoformat(), "outcome": "met", **_sources()}
    assert client.post(url, data).status_code == 302
    condition.refresh_from_db()
    assert condition.status == "met"
    future = {"reviewed_on": (TODAY + datetime.timedelta(days=3)).isoformat(), "outcome": "met"}
    response = client.post(url, {**future, **_sources()})
    assert response.context["form"].errors["reviewed_on"]


def test_flags_are_acknowledged_then_resolved(client, editor, world):
    flag = world["flag"]
    client.force_login(editor)
    ack = reverse("conditions:flag_acknowledge", kwargs={"pk": flag.pk})
    assert client.post(ack).status_code == 302
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ACKNOWLEDGED and flag.acknowledged_by == editor
    # Acknowledging twice is refused with a message, not an error page.
    response = client.post(ack, follow=True)
    assert "Only an open flag" in response.content.decode()
    client.post(reverse("conditions:flag_resolve", kwargs={"pk": flag.pk}))
    flag.refresh_from_db()
    assert flag.status == Flag.Status.RESOLVED


def test_waiver_history_filters_and_exports_the_same_rows(client, auditor, editor, world):
    other = ConditionFactory(title="Another condition")
    waiver_record(
        condition=other,
        actor=editor,
        **waiver_fields(authority=other.legal_basis, official_title="=HYPERLINK(1)"),
    )
    client.force_login(auditor)
    query = {"partner": world["partner"].pk, "action": "granted"}
    page = client.get(reverse("conditions:waiver_list"), query)
    assert [e.pk for e in page.context["object_list"]] == [world["waiver"].pk]
    response = client.get(reverse("conditions:waiver_export"), query)
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [int(r["id"]) for r in rows] == [world["waiver"].pk]
    assert rows[0]["entry_hash"] == world["waiver"].entry_hash
    # Codes for machines, and a label beside each for people (issue 15).
    assert (rows[0]["standard"], rows[0]["standard_label"]) == (
        "national_security_interest",
        "National security interest",
    )
    assert rows[0]["publicity_label"] == "Published officially"
    everything = client.get(reverse("conditions:waiver_export"))
    text = b"".join(everything.streaming_content).decode()
    assert "'=HYPERLINK(1)" in text  # a formula is neutralised for spreadsheets


def test_export_with_an_invalid_filter_is_empty_not_an_error(client, auditor, world):
    client.force_login(auditor)
    response = client.get(reverse("conditions:waiver_export"), {"signed_after": "nonsense"})
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).decode().splitlines()) == 1


def test_dashboard_shows_flags_due_reviews_expiring_waivers_and_chart(client, auditor, world):
    client.force_login(auditor)
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    counts = {kind: n for _, n, kind in response.context["flag_counts"]}
    assert counts["waiver_in_effect"] == 1 and counts["review_overdue"] == 0
    assert response.context["chart"]["bars"][0]["title"].startswith(world["partner"].name)
    assert "<svg" in html and "style=" not in html
    assert response.context["recent"], "recent changes come from the change history"


def test_dashboard_lists_reviews_due_within_thirty_days_only(client, auditor, world):
    soon = ConditionFactory(
        title="Review due in ten days", next_review_due=TODAY + datetime.timedelta(days=10)
    )
    client.force_login(auditor)
    response = client.get(reverse("dashboard"))
    assert list(response.context["due"]) == [soon]
    section = response.content.decode().split('id="due-heading"')[1].split("</section>")[0]
    assert soon.title in section and soon.partner.name in section
    assert world["condition"].title not in section  # due in 90 days: beyond the horizon


def test_dashboard_recent_changes_name_and_link_the_record(client, editor, auditor):
    from partners.services import partner_create

    partner = partner_create(actor=editor, name="Recently Added Corp", kind="company")
    client.force_login(auditor)
    html = client.get(reverse("dashboard")).content.decode()
    link = reverse("history:object", args=["partners.partner", partner.pk])
    assert f'<a href="{link}">Recently Added Corp</a>' in html
    assert "editor (" in html  # who made the change, and through which channel


def test_dashboard_chart_counts_waiver_entries_by_fiscal_year(client, auditor, editor):
    partner = ConditionFactory().partner
    for day in (datetime.date(2024, 9, 30), datetime.date(2024, 10, 1)):  # FY2024, FY2025
        waiver_record(
            condition=ConditionFactory(partner=partner),
            actor=editor,
            **waiver_fields(signed_on=day, effective_on=day, expires_on=datetime.date(2025, 1, 1)),
        )
    client.force_login(auditor)
    chart = client.get("/").context["chart"]
    assert dict(chart["table"]) == {2024: [1], 2025: [1]}
    assert [label["year"] for label in chart["labels"]] == ["FY2024", "FY2025"]


def test_waiver_history_filters_and_shows_fiscal_years(client, auditor, editor):
    for fy in (2023, 2024):
        waiver_record(
            condition=ConditionFactory(title=f"Condition FY{fy}"),
            actor=editor,
            **waiver_fields(amount_usd=1000, fiscal_year=fy),
        )
    client.force_login(auditor)
    response = client.get(reverse("conditions:waiver_list") + "?fiscal_year=2024")
    assert [e.condition.title for e in response.context["object_list"]] == ["Condition FY2024"]
    assert '<span class="app-muted">FY2024</span>' in response.content.decode()
    bad = client.get(reverse("conditions:waiver_list") + "?fiscal_year=next")
    assert bad.status_code in (200, 400)


def test_recent_changes_and_history_diffs_read_in_words(client, auditor, editor):
    condition = ConditionFactory(next_review_due=registry_today() - datetime.timedelta(days=1))
    entry = waiver_record(
        condition=condition, actor=editor, **waiver_fields(amount_usd=300_000_000)
    )
    from conditions.services.scan import scan_conditions

    scan_conditions(today=registry_today())
    client.force_login(auditor)
    html = client.get("/").content.decode()
    assert "created waiver entry <a" in html and f"#{entry.pk} (Granted)</a>" in html
    assert "(review overdue)" in html.lower()
    # The code appears only in links' query strings, never as text.
    assert html.count("review_overdue") == html.count("kind=review_overdue")
    history = client.get(f"/history/conditions.waiverentry/{entry.pk}/").content.decode()
    assert "$300,000,000.00" in history and "300000000" not in history
    assert entry.authority.citation in history  # the provision by name, not its id
    assert "National security interest" in history and "national_security_interest" not in history


def _reference_rows(entries):
    """The export's columns read from model instances, one cell at a time (core/web/csv.py's
    plain path), to hold the export's values_list fast path to the same text."""
    return rows_of(
        [
            *[(name, attrgetter(name)) for name in ("id", "sequence", "condition_id")],
            ("condition", attrgetter("condition.title")),
            ("partner", attrgetter("condition.partner.name")),
            *labelled("action", attrgetter("action"), WaiverEntry.Action.choices),
            ("amends", attrgetter("amends_id")),
            ("authority", attrgetter("authority.citation")),
            *labelled("standard", attrgetter("standard"), WaiverEntry.Standard.choices),
            *[
                (name, attrgetter(name))
                for name in ("official_title", "official_name", "instrument", "signed_on")
                + ("effective_on", "expires_on")
            ],
            ("requirements_waived", lambda e: "; ".join(e.requirements_waived)),
            *[
                (name, attrgetter(name))
                for name in ("amount_usd", "fiscal_year", "justification_classified")
                + ("justification", "congress_notified_on")
            ],
            *labelled("publicity", attrgetter("publicity"), WaiverEntry.Publicity.choices),
            ("recorded_by", lambda e: e.recorded_by.username if e.recorded_by else ""),
            *[(name, attrgetter(name)) for name in ("recorded_at", "entry_hash", "previous_hash")],
        ],
        entries,
    )


def test_the_waiver_export_writes_what_the_model_holds_cell_by_cell(client, auditor, editor, world):
    other = ConditionFactory(title="-Another condition")
    RequirementFactory(condition=other, label="-b")
    RequirementFactory(condition=other, label="(a)(1)")
    waiver_record(
        condition=other,
        actor=editor,
        **waiver_fields(
            authority=other.legal_basis,
            official_title="=HYPERLINK(1)",
            official_name="+1",
            instrument="@SUM(A1)",
            requirements_waived=["-b", "(a)(1)"],
            amount_usd=Decimal("1250000.50"),
            fiscal_year=2026,
            justification='\tleading tab, then a line\nand a "quote", too',
            publicity="press_reported",
        ),
    )
    client.force_login(auditor)
    body = b"".join(client.get(reverse("conditions:waiver_export")).streaming_content).decode()
    entries = WaiverEntry.objects.order_by("sequence")
    assert body == "".join(lines(_reference_rows(entries)))
    assert body.count("'=HYPERLINK(1)") == 1 and "'@SUM(A1)" in body and ",'+1," in body
    assert "'-Another condition" in body and ",'-b; (a)(1)," in body
    assert "Press-reported only" in body  # a `_label` column shows the label


def test_dashboard_chart_names_partners_and_sums_the_rest(client, auditor, editor):
    """Counted per partner and named (issue 14 counts by the partner's id, then reads names):
    the seven partners with most entries by name, the others as "Other partners"."""
    day = datetime.date(2024, 3, 1)  # FY2024
    for number in range(9):
        partner = PartnerFactory(name=f"Chart partner {number}")
        for _ in range(1 + (number == 8)):  # the last partner has two entries
            waiver_record(
                condition=ConditionFactory(partner=partner),
                actor=editor,
                **waiver_fields(signed_on=day, effective_on=day, expires_on=None),
            )
    client.force_login(auditor)
    chart = client.get("/").context["chart"]
    named = ["Chart partner 8", *(f"Chart partner {n}" for n in range(6))]
    assert [name for _, name in chart["series"]] == [*named, "Other partners"]
    assert dict(chart["table"]) == {2024: [2, 1, 1, 1, 1, 1, 1, 2]}
