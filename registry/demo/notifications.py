"""Demo notifications to Congress: illustrative records, real in shape (CONTRACT.md v1.2).

Transmittal numbers end in "(illustrative)": these are examples of each rule, not the
record of actual notifications. Dated around `today` so that their review periods and
deadlines fall in the recent past whenever the demo is loaded.
"""

from datetime import date as d
from datetime import timedelta


def demo_notifications(today: d) -> list[dict]:
    def ago(days: int) -> d:
        return today - timedelta(days=days)

    return [
        # A §36(b) sale to a NATO+5 partner: 15 days, and the sale waited for them.
        dict(
            kind="aeca_36b", partner="Israel", transmittal_number="DSCA 90-001 (illustrative)",
            informal_review_on=ago(90), received_on=ago(60), acted_on=ago(45),
            value_usd=3_000_000_000, committees="SFRC, HFAC",
            notes="F-16 aircraft and related support (illustrative).",
        ),
        # A §36(c) export licence for a partner outside NATO and NATO+5: 30 days.
        dict(
            kind="aeca_36c", partner="Egypt", transmittal_number="DDTC 90-012 (illustrative)",
            received_on=ago(80), acted_on=ago(50), value_usd=120_000_000,
            committees="SFRC, HFAC",
        ),
        # A 10 U.S.C. 2350a report on a cooperative project: 30 days.
        dict(
            kind="usc10_2350a", partner="Japan", agreement="DTC-2024-0007",
            transmittal_number="OUSD(A&S) 90-003 (illustrative)", received_on=d(2024, 3, 1),
            acted_on=d(2024, 5, 1), committees="SASC, HASC",
        ),
        # An emergency waiver of the review period: acted on the next day, not early.
        dict(
            kind="aeca_36b", partner="Israel", transmittal_number="DSCA 90-004 (illustrative)",
            received_on=ago(30), acted_on=ago(29), emergency_waiver=True,
            emergency_justification="The Secretary of State determined that an emergency "
            "exists which requires the sale in the national security interest of the "
            "United States (AECA §36(b)(1)); illustrative.",
            value_usd=106_000_000,
        ),
        # A DoD Leahy waiver report filed on day 17 after the waiver: two days late.
        dict(
            kind="dod_leahy_362", leahy_report_day=17,
            transmittal_number="OSD 90-005 (illustrative)", committees="SASC, HASC, SAC-D, HAC-D",
        ),
    ]  # fmt: skip
