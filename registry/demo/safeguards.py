"""Illustrative technology safeguards records (issue 28): real-shaped, not real cases.

An EEUM Javelin release with serial-number inventories, a Blue Lantern unfavorable
post-shipment check resolved later, a re-transfer approved with provisos and one denied, and
a violation reported to Congress 40 days after its discovery (later than the 30 days the
registry expects). A data module: values only; registry/management/commands/seed_demo.py
writes them through safeguards/services.py.
"""

from datetime import date as d

# Partners this part of the demo needs beyond registry/demo/data.py: a proscribed destination.
PARTNERS = [
    ("People's Republic of China", "country", "CHN", None, [
        ("itar_126_1", d(1990, 7, 17), None, "22 CFR 126.1(d)(1) (check)"),
    ]),
]  # fmt: skip

# key: (agreement reference, fields)
ITEMS = {
    "javelin": ("DTC-2014-0009", dict(
        name="Javelin missile and command launch unit (illustrative)", control_list="usml",
        control_entry="IV(a)(1)", kind="hardware", classification="confidential", eeum=True,
        anti_tamper_required=True,
    )),
    "nvg": ("DTC-2014-0009", dict(
        name="Night-vision goggles, Gen 3 image intensifier (illustrative)",
        control_list="usml", control_entry="XII(c)(2)", kind="hardware",
        classification="unclassified", eeum=True,
    )),
    "tamir": ("DTC-2014-0009", dict(
        name="Tamir interceptor seeker technical data (illustrative)", control_list="usml",
        control_entry="IV(i)", kind="technical_data", classification="secret", mtcr_category=2,
        anti_tamper_required=True,
    )),
}  # fmt: skip

# (item key, partner name, fields)
RELEASES = [
    ("javelin", "Poland", dict(
        decision="approved_with_provisos", authority="itar_license", reference="050-DEMO-0001",
        decided_on=d(2022, 3, 1), provisos=["no_retransfer", "anti_tamper"],
    )),
    ("nvg", "Egypt", dict(
        decision="approved_with_provisos", authority="itar_license", reference="050-DEMO-0002",
        decided_on=d(2021, 5, 10), provisos=["no_retransfer"],
    )),
    ("tamir", "Israel", dict(decision="approved", authority="tsfd", decided_on=d(2014, 3, 5))),
]  # fmt: skip

# (partner name, [item keys], fields)
CHECKS = [
    ("Poland", ["javelin"], dict(
        program="golden_sentry", check_type="eeum_inventory", performed_on=d(2023, 4, 12),
        result="favorable", findings="Serial numbers of every missile and CLU inventoried.",
    )),
    ("Egypt", ["nvg"], dict(
        program="blue_lantern", check_type="post_shipment", performed_on=d(2023, 6, 1),
        result="unfavorable",
        findings="Twelve devices not at the declared unit; end user could not account for them.",
        follow_up_due=d(2023, 9, 1), resolved_on=d(2023, 11, 15),
    )),
]  # fmt: skip

# (from partner, to partner, [item keys], fields)
TRANSFERS = [
    ("Poland", "Finland", ["javelin"], dict(
        value_usd=30_000_000, major_defense_equipment=True, requested_on=d(2024, 2, 1),
        decision="approved_with_provisos", decided_on=d(2024, 4, 15),
    )),
    ("Egypt", "People's Republic of China", ["nvg"], dict(
        value_usd=2_000_000, requested_on=d(2024, 2, 1), decision="denied",
        decided_on=d(2024, 3, 15),
    )),
]  # fmt: skip

# (partner name, [item keys], fields)
VIOLATIONS = [
    ("Egypt", ["nvg"], dict(
        kind="retransfer_without_consent", occurred_on=d(2024, 4, 1),
        discovered_on=d(2024, 5, 1), reported_to_congress_on=d(2024, 6, 10),
        description="Devices offered for resale to a third country without U.S. consent.",
        outcome="Reported 40 days after discovery; further licences held pending review.",
    )),
]  # fmt: skip
