"""The three reports against numbers worked out by hand from tests/reports/conftest.py."""

import datetime
from decimal import Decimal

from conditions.services import condition_review_record
from registry.reports.access import access_csv_rows, access_report
from registry.reports.enforcement import enforcement_report
from registry.reports.industrial_base import industrial_base_report
from registry.reports.params import ReportParams
from tests.factories import ConditionFactory

D = datetime.date
M = Decimal("1000000")


def test_access_matrix_on_a_day(access_data):
    report = access_report(ReportParams(as_of=D(2024, 1, 1)))
    rows = {r["partner"]: r for r in report.rows}
    assert list(rows) == ["Japan", "Lockheed Martin", "Turkey"]
    japan = rows["Japan"]
    assert japan["designations"] == ["mnna"]
    assert japan["agreements"] == ["DTC-F35", "DTC-PAC3", "DTC-SM3"]  # not the expired one
    assert japan["suspended"] == []
    assert japan["cells"] == {
        "aircraft": {"agreements": 1, "types": ["co_development"]},
        "missile_defense": {"agreements": 2, "types": ["co_development", "licensed_manufacturing"]},
        "air_defense": {"agreements": 1, "types": ["licensed_manufacturing"]},
    }
    turkey = rows["Turkey"]
    assert turkey["designations"] == ["nato_member"]  # "friendly" ended in 2000
    assert (turkey["agreements"], turkey["suspended"], turkey["cells"]) == ([], ["DTC-F35"], {})
    assert [slug for slug, _ in report.areas] == ["air_defense", "aircraft", "missile_defense"]


def test_access_summary_counts_what_the_references_list(access_data):
    params = ReportParams(as_of=D(2024, 1, 1))
    listed = access_report(params)
    counted = access_report(params, references=False)
    assert [(r["partner"], r["cells"]) for r in counted.rows] == [
        (r["partner"], r["cells"]) for r in listed.rows
    ]
    for full, summary in zip(listed.rows, counted.rows, strict=True):
        assert summary["agreements_count"] == len(full["agreements"])
        assert summary["suspended_count"] == len(full["suspended"])
        assert "agreements" not in summary and "suspended" not in summary


def test_access_before_the_suspension_and_partner_filter(access_data):
    turkey = access_data["turkey"]
    report = access_report(ReportParams(as_of=D(2019, 1, 1), partners=(turkey.pk,)))
    assert [r["partner"] for r in report.rows] == ["Turkey"]
    assert report.rows[0]["cells"] == {"aircraft": {"agreements": 1, "types": ["co_development"]}}
    assert report.rows[0]["designations"] == ["nato_member"]


def test_access_year_range_keeps_agreements_signed_in_those_fiscal_years(access_data):
    # FY2006 runs 1 Oct 2005 to 30 Sep 2006: only SM-3 (23 June 2006).
    report = access_report(ReportParams(as_of=D(2024, 1, 1), year_from=2006, year_to=2006))
    assert [(r["partner"], r["agreements"]) for r in report.rows] == [("Japan", ["DTC-SM3"])]


def test_access_csv_has_a_line_per_partner_and_area(access_data):
    lines = list(access_csv_rows(access_report(ReportParams(as_of=D(2024, 1, 1)))))
    # Each choice code has its label beside it (issue 15), as in the waiver CSV.
    assert lines[0] == [
        "as_of",
        "partner",
        "iso3",
        "designations",
        "designations_label",
        "technology_area",
        "agreements_in_force",
        "agreement_types",
        "agreement_types_label",
        "agreements",
        "suspended_participations",
    ]
    turkey = [
        D(2024, 1, 1),
        "Turkey",
        "TUR",
        "nato_member",
        "NATO member",
        "",
        0,
        "",
        "",
        "",
        "DTC-F35",
    ]
    assert turkey in lines
    japan = next(line for line in lines if line[1] == "Japan" and line[5] == "Missile defense")
    assert japan[3:5] == ["mnna", "Major non-NATO ally"]
    assert japan[7:9] == [
        "co_development licensed_manufacturing",
        "Co-development; Licensed manufacturing",
    ]
    assert len(lines) == 1 + 3 + 2 + 1  # header, Japan's 3 areas, Lockheed's 2, Turkey


def test_industrial_base_by_partner_year_state_and_sector(industrial_data):
    report = industrial_base_report(ReportParams())
    got = [
        (
            r["partner"],
            r["year"],
            r["us_state"],
            r["sector"],
            r["contracts"],
            r["value_usd"],
            r["share_of_partner_year_value_percent"],
            r["average_work_share_percent"],
        )
        for r in report.rows
    ]
    assert got == [
        ("Israel", 2020, "AZ", "31-33", 1, 200 * M, Decimal("100.00"), Decimal("55.00")),
        ("Japan", 2020, "AL", "31-33", 1, 100 * M, Decimal("66.67"), Decimal("40.00")),
        ("Japan", 2020, "AZ", "31-33", 1, 50 * M, Decimal("33.33"), Decimal("20.00")),
        ("Japan", 2021, "AL", "54", 1, 25 * M, Decimal("100.00"), Decimal("10.00")),
    ]
    assert report.rows[0]["sector_name"] == "31-33 Manufacturing"
    # Each contract once, the F-35 development work left out; the company licensor is no
    # "partner" row.
    assert [(s["us_state"], s["value_usd"], s["contracts"]) for s in report.by_state] == [
        ("AZ", 250 * M, 2),
        ("AL", 125 * M, 2),
    ]
    assert report.total_value_usd == 375 * M


def test_industrial_base_filters(industrial_data):
    israel = industrial_data["israel"]
    report = industrial_base_report(ReportParams(partners=(israel.pk,)))
    assert {r["partner"] for r in report.rows} == {"Israel"}
    assert [(s["us_state"], s["value_usd"]) for s in report.by_state] == [("AZ", 200 * M)]
    report = industrial_base_report(ReportParams(year_from=2021, year_to=2021))
    assert [(r["partner"], r["value_usd"]) for r in report.rows] == [("Japan", 25 * M)]
    # As of 2010 Iron Dome (signed 2014) was not in force.
    report = industrial_base_report(ReportParams(as_of=D(2010, 1, 1)))
    assert {r["partner"] for r in report.rows} == {"Japan"}


def _rows(report):
    return {(r["partner"], r["fiscal_year"]): r for r in report.rows}


def test_enforcement_egypt_partial_waiver_and_late_notification(enforcement_data):
    report = enforcement_report(ReportParams(year_from=2023, year_to=2025, as_of=D(2025, 6, 30)))
    rows = _rows(report)
    fy23 = rows[("Egypt", 2023)]
    assert fy23["conditions_in_force"] == 1
    assert (fy23["amount_conditioned_usd"], fy23["amount_waived_usd"]) == (320 * M, 235 * M)
    assert fy23["amount_withheld_usd"] == 85 * M
    assert fy23["share_waived_percent"] == Decimal("73.44")
    assert (fy23["waivers_granted"], fy23["waivers_extended"], fy23["waivers_revoked"]) == (1, 1, 0)
    # Signed 14 Sep 2023, due 29 Sep, notified 5 Oct: late. The extension was on time.
    assert (fy23["notifications_late"], fy23["notifications_missing"]) == (1, 0)
    assert (fy23["reviews_held"], fy23["reviews_on_time"], fy23["reviews_late"]) == (1, 0, 1)
    assert fy23["outcome_not_met"] == 1
    assert fy23["days_under_waiver"] == 17  # 14-30 Sep 2023

    fy24 = rows[("Egypt", 2024)]
    assert (fy24["conditions_in_force"], fy24["amount_conditioned_usd"]) == (1, 300 * M)
    assert (fy24["amount_waived_usd"], fy24["amount_withheld_usd"]) == (0, 0)  # certified met
    assert fy24["share_waived_percent"] == Decimal("0.00")
    assert (fy24["reviews_held"], fy24["reviews_on_time"], fy24["reviews_late"]) == (2, 2, 0)
    assert (fy24["outcome_partially_met"], fy24["outcome_met"]) == (1, 1)
    assert fy24["days_under_waiver"] == 366  # the whole (leap) year, grant then extension

    fy25 = rows[("Egypt", 2025)]
    assert fy25["days_under_waiver"] == 92  # 1 Oct - 31 Dec 2024
    assert (fy25["conditions_in_force"], fy25["share_waived_percent"]) == (0, None)


def test_enforcement_israel_correction_revocation_and_missing_notice(enforcement_data):
    report = enforcement_report(ReportParams(year_from=2023, year_to=2025, as_of=D(2025, 6, 30)))
    rows = _rows(report)
    fy24 = rows[("Israel", 2024)]
    assert fy24["conditions_in_force"] == 2  # the standing Leahy condition and the FY2024 one
    # $60M granted, corrected to $40M: $40M waived, $60M of $100M still held.
    assert (fy24["amount_conditioned_usd"], fy24["amount_waived_usd"]) == (100 * M, 40 * M)
    assert fy24["amount_withheld_usd"] == 60 * M
    assert fy24["share_waived_percent"] == Decimal("40.00")
    assert (fy24["waivers_granted"], fy24["waivers_revoked"], fy24["waivers_corrected"]) == (
        2,
        1,
        1,
    )
    assert (fy24["notifications_late"], fy24["notifications_missing"]) == (0, 1)
    assert (fy24["reviews_held"], fy24["reviews_late"], fy24["outcome_remediated"]) == (1, 1, 1)
    # The correction replaces the grant with its own dates (CONTRACT v1.1): 10 Feb - 31 Jul.
    assert fy24["days_under_waiver"] == 173
    for fy in (2023, 2025):
        row = rows[("Israel", fy)]
        assert (row["conditions_in_force"], row["days_under_waiver"]) == (1, 0)
    headline = {h["partner"]: h["share_waived_percent"] for h in report.headline}
    assert headline == {"Egypt": Decimal("37.90"), "Israel": Decimal("40.00")}


def test_enforcement_as_of_cuts_off_later_records(enforcement_data):
    report = enforcement_report(ReportParams(year_from=2024, year_to=2024, as_of=D(2024, 3, 31)))
    rows = _rows(report)
    israel = rows[("Israel", 2024)]
    assert (israel["waivers_granted"], israel["waivers_revoked"]) == (1, 0)  # W3 not yet signed
    assert israel["days_under_waiver"] == 51  # 10 Feb (the corrected start) - 31 Mar 2024
    assert rows[("Egypt", 2024)]["days_under_waiver"] == 183  # 1 Oct 2023 - 31 Mar 2024


def test_enforcement_partner_filter(enforcement_data):
    egypt = enforcement_data["egypt"]
    report = enforcement_report(ReportParams(partners=(egypt.pk,), as_of=D(2025, 6, 30)))
    assert {r["partner"] for r in report.rows} == {"Egypt"}
    assert [r["fiscal_year"] for r in report.rows] == [2023, 2024]


def test_review_due_dates_come_from_the_previous_review_seen_or_not(editor):
    """A review answers the due date its condition's previous review set (by day, then by
    entry order on the same day), even one the reader may not see; the first review answers
    the due date the condition was created with."""
    from django.contrib.auth.models import Group

    editor.groups.add(Group.objects.get_or_create(name="cui:PRVCY")[0])  # marks what it holds
    condition = ConditionFactory(fiscal_year=2024, next_review_due=D(2024, 3, 1))
    reviews = [
        # Late against the condition's first due date; marked: some readers do not see it.
        (D(2024, 3, 5), D(2024, 6, 1), ["PRVCY"]),
        (D(2024, 6, 1), D(2024, 6, 2), []),  # due 1 June (the marked review's): on time
        (D(2024, 6, 1), D(2025, 1, 1), []),  # same day, entered later: due 2 June, on time
        (D(2024, 6, 3), D(2024, 6, 20), []),  # due 1 January 2025 (not 2 June): on time
        (D(2024, 7, 1), D(2025, 7, 1), []),  # due 20 June: late
    ]
    for reviewed_on, next_due, categories in reviews:
        condition_review_record(
            condition=condition,
            actor=editor,
            reviewed_on=reviewed_on,
            outcome="not_met",
            next_review_due=next_due,
            marking_categories=categories,
        )
    for categories, held, late in [((), 4, 1), (("PRVCY",), 5, 2)]:
        params = ReportParams(as_of=D(2024, 9, 30), categories=categories)
        row = _rows(enforcement_report(params))[(condition.partner.name, 2024)]
        assert (row["reviews_held"], row["reviews_late"], row["outcome_not_met"]) == (
            held,
            late,
            held,
        )
