"""The demo conditions, reviews and waiver ledger.

Egypt's and Israel's records follow public reporting (figures marked (check) where sources
differ). The "Illustrative" DoD Leahy records are invented examples, clearly titled so, that
show extensions, corrections, a revocation and a late congressional notification; their
dates are relative to the day the demo set is loaded.
"""

from datetime import date as d
from datetime import timedelta

CRS_EGYPT = ("https://crsreports.congress.gov/product/pdf/RL/RL33003", "CRS", None, "crs")
CRS_LEAHY = ("https://crsreports.congress.gov/product/pdf/IF/IF10575", "CRS", None, "crs")
STATE_PM = "State Department, Bureau of Political-Military Affairs"
STATE_DRL = "State Department, Bureau of Democracy, Human Rights, and Labor"
OSD_LEAHY = "OSD Policy, DoD Leahy vetting"

EGYPT_REQUIREMENTS = [
    ("(a)(3)(A)", "The Government of Egypt is taking sustained and effective steps to "
     "strengthen the rule of law, democratic institutions and human rights (waivable in the "
     "national security interest)."),
    ("(a)(3)(B)", "Progress on releasing political prisoners and providing detainees with "
     "due process of law (not waivable)."),
]  # fmt: skip
LEAHY_362 = [
    ("(a)(1)", "No DoD funds for training, equipment or other assistance for a unit of a "
     "foreign security force with credible information of a gross violation of human rights."),
]  # fmt: skip
LEAHY_620M = [
    ("(a)", "No assistance to a unit of a foreign security force where there is credible "
     "information that the unit has committed a gross violation of human rights."),
]  # fmt: skip


def _egypt(fy: int, provision: str, amount: int, **extra) -> dict:
    return dict(
        title=f"Egypt FY{fy} Foreign Military Financing: human-rights conditions",
        partner="Egypt", agreement="DTC-1988-0016", legal_basis=provision,
        review_interval_days=365, status="pending_review", responsible_office=STATE_PM,
        amount_conditioned_usd=amount, fiscal_year=fy, requirements=EGYPT_REQUIREMENTS,
        sources=[CRS_EGYPT], **extra,
    )  # fmt: skip


def _waiver(key, action, signed_on, instrument, **extra) -> dict:
    fields = dict(
        key=key, action=action, signed_on=signed_on, effective_on=signed_on,
        instrument=instrument, standard="national_security_interest",
        official_title="Secretary of State", publicity="press_reported",
    )  # fmt: skip
    fields.update(extra)
    return fields


def demo_conditions(today: d) -> list[dict]:
    """The conditions with their reviews and ledger entries, dated around `today`."""

    def ago(days: int) -> d:
        return today - timedelta(days=days)

    illustrative = dict(
        legal_basis="T10-362", review_interval_days=180, status="under_review",
        responsible_office=OSD_LEAHY, leahy_applicable=True, requirements=LEAHY_362,
        sources=[CRS_LEAHY],
    )  # fmt: skip
    secdef = dict(
        authority="T10-362", standard="extraordinary_circumstances",
        official_title="Secretary of Defense", publicity="notified_only",
        requirements_waived=["(a)(1)"],
    )  # fmt: skip
    return [
        _egypt(
            2023,
            "CAA23-7041",
            320_000_000,
            next_review_due=today + timedelta(60),
            reviews=[
                (
                    d(2023, 9, 14),
                    "waived",
                    "$235M released under the national security waiver; $85M withheld.",
                    today + timedelta(60),
                )
            ],
            waivers=[
                _waiver(
                    "egypt23",
                    "granted",
                    d(2023, 9, 13),
                    "Memorandum of justification (FY2023 FMF)",
                    authority="CAA23-7041",
                    official_name="Antony Blinken",
                    amount_usd=235_000_000,
                    fiscal_year=2023,
                    expires_on=d(2024, 9, 30),
                    requirements_waived=["(a)(3)(A)"],
                    justification="Waiver in the national security interest of the "
                    "United States: $235M of $320M conditioned; $85M withheld.",
                ),
                _waiver(
                    "egypt23c",
                    "corrected",
                    d(2023, 9, 15),
                    "Memorandum of justification (FY2023 FMF)",
                    amends="egypt23",
                    authority="CAA23-7041",
                    official_name="Antony Blinken",
                    amount_usd=235_000_000,
                    fiscal_year=2023,
                    effective_on=d(2023, 9, 15),
                    expires_on=d(2024, 9, 30),
                    requirements_waived=["(a)(3)(A)"],
                    congress_notified_on=d(2023, 9, 15),
                    justification="Correction: records the notification to Congress.",
                ),
            ],
        ),  # fmt: skip
        _egypt(
            2024,
            "CAA24-7041",
            320_000_000,
            next_review_due=today + timedelta(20),
            reviews=[
                (
                    d(2024, 9, 11),
                    "waived",
                    "$225M waived; $95M released on the "
                    "political-prisoner progress determination (check).",
                    today + timedelta(20),
                )
            ],
            waivers=[
                _waiver(
                    "egypt24",
                    "granted",
                    d(2024, 9, 11),
                    "Memorandum of justification (FY2024 FMF)",
                    authority="CAA24-7041",
                    official_name="Antony Blinken",
                    amount_usd=225_000_000,
                    fiscal_year=2024,
                    expires_on=d(2025, 9, 30),
                    requirements_waived=["(a)(3)(A)"],
                    justification="Waiver in the national security interest.",
                ),
            ],
        ),  # fmt: skip
        _egypt(
            2020,
            "CAA20-7041",
            300_000_000,
            next_review_due=ago(10),
            reviews=[
                (
                    d(2022, 1, 28),
                    "reprogrammed",
                    "$130M withheld in 2021 and later reprogrammed (check).",
                    today + timedelta(90),
                )
            ],
            waivers=[
                _waiver(
                    "egypt20",
                    "granted",
                    d(2021, 9, 14),
                    "Memorandum of justification (FY2020 FMF)",
                    authority="CAA20-7041",
                    official_name="Antony Blinken",
                    amount_usd=170_000_000,
                    fiscal_year=2020,
                    expires_on=d(2021, 9, 30),
                    requirements_waived=["(a)(3)(A)"],
                    justification="Waiver for $170M; $130M withheld pending specific "
                    "human-rights steps (check).",
                ),
            ],
        ),  # fmt: skip
        dict(
            title="Israel: Netzah Yehuda Battalion (State Leahy review)",
            partner="Israel",
            unit="Netzah Yehuda Battalion",
            legal_basis="FAA620M",
            review_interval_days=365,
            next_review_due=today + timedelta(120),
            status="pending_review",
            responsible_office=STATE_DRL,
            leahy_applicable=True,
            requirements=LEAHY_620M,
            sources=[CRS_LEAHY],
            reviews=[
                (
                    d(2024, 4, 26),
                    "not_met",
                    "Credible information of gross violations; "
                    "not remediated with four other units (check).",
                    None,
                ),
                (
                    d(2024, 8, 2),
                    "remediated",
                    "Found effectively remediated (check date).",
                    today + timedelta(120),
                ),
            ],
        ),  # fmt: skip
        dict(
            title="Israel: four security-force units (State Leahy review, 2024)",
            partner="Israel",
            unit="Four units (not publicly named)",
            legal_basis="FAA620M",
            review_interval_days=365,
            next_review_due=today + timedelta(200),
            status="pending_review",
            responsible_office=STATE_DRL,
            leahy_applicable=True,
            requirements=LEAHY_620M,
            sources=[CRS_LEAHY],
            reviews=[
                (
                    d(2024, 4, 26),
                    "remediated",
                    "Four of five units found to have "
                    "committed violations were effectively remediated.",
                    today + timedelta(200),
                )
            ],
        ),  # fmt: skip
        dict(
            title="Israel: NSM-20 assurances on the use of U.S. defense articles",
            partner="Israel",
            legal_basis="NSM20-1",
            review_interval_days=365,
            next_review_due=today + timedelta(25),
            status="pending_review",
            responsible_office=STATE_PM,
            requirements=[
                (
                    "sec. 1",
                    "Credible and reliable written assurances that defense articles "
                    "are used in accordance with international humanitarian law.",
                )
            ],
            reviews=[
                (
                    d(2024, 5, 10),
                    "met",
                    "Report to Congress found the assurances credible and reliable.",
                    today + timedelta(25),
                )
            ],
        ),  # fmt: skip
        dict(
            illustrative,
            title="Illustrative: DoD Leahy waiver extended (unit A)",
            partner="Argentina",
            unit="Unit A (illustrative)",
            next_review_due=today + timedelta(45),
            waivers=[
                dict(
                    secdef,
                    key="ilA",
                    action="granted",
                    signed_on=ago(300),
                    effective_on=ago(300),
                    expires_on=ago(120),
                    congress_notified_on=ago(290),
                    instrument="Illustrative waiver A-1",
                    justification="Illustrative: extraordinary circumstances.",
                ),
                dict(
                    secdef,
                    key="ilA2",
                    action="extended",
                    amends="ilA",
                    signed_on=ago(130),
                    effective_on=ago(121),
                    expires_on=today + timedelta(20),
                    congress_notified_on=ago(125),
                    instrument="Illustrative extension A-2",
                    justification="Illustrative: circumstances persist.",
                ),
                dict(
                    secdef,
                    key="ilA3",
                    action="extended",
                    amends="ilA2",
                    signed_on=ago(5),
                    effective_on=today + timedelta(21),
                    expires_on=today + timedelta(200),
                    congress_notified_on=ago(2),
                    instrument="Illustrative extension A-3",
                    justification="Illustrative: second extension from the day after A-2 ends.",
                ),
            ],
        ),  # fmt: skip
        dict(
            illustrative,
            title="Illustrative: DoD Leahy waiver, Congress not notified (unit B)",
            partner="Egypt",
            unit="Unit B (illustrative)",
            next_review_due=ago(5),
            waivers=[
                dict(
                    secdef,
                    key="ilB",
                    action="granted",
                    signed_on=ago(40),
                    effective_on=ago(40),
                    expires_on=today + timedelta(140),
                    instrument="Illustrative waiver B-1",
                    justification="Illustrative: extraordinary circumstances.",
                ),
                dict(
                    secdef,
                    key="ilB2",
                    action="corrected",
                    amends="ilB",
                    signed_on=ago(35),
                    effective_on=ago(35),
                    expires_on=today + timedelta(140),
                    instrument="Illustrative waiver B-1 (corrected)",
                    justification="Illustrative: corrects the instrument's title.",
                ),
            ],
        ),  # fmt: skip
        dict(
            illustrative,
            title="Illustrative: DoD Leahy emergency waiver revoked (unit C)",
            partner="Turkey",
            unit="Unit C (illustrative)",
            next_review_due=today + timedelta(10),
            waivers=[
                dict(
                    secdef,
                    key="ilC",
                    action="granted",
                    standard="emergency",
                    signed_on=ago(90),
                    effective_on=ago(90),
                    congress_notified_on=ago(80),
                    instrument="Illustrative waiver C-1",
                    justification="Illustrative: humanitarian or national security emergency.",
                ),
                dict(
                    secdef,
                    key="ilC2",
                    action="revoked",
                    amends="ilC",
                    standard="emergency",
                    signed_on=ago(30),
                    effective_on=ago(30),
                    congress_notified_on=ago(25),
                    instrument="Illustrative revocation C-2",
                    justification="Illustrative: the emergency ended.",
                ),
            ],
        ),  # fmt: skip
        dict(
            illustrative,
            title="Illustrative: DoD Leahy open-ended waiver (unit D)",
            partner="Republic of Korea",
            unit="Unit D (illustrative)",
            next_review_due=ago(3),
            waivers=[
                dict(
                    secdef,
                    key="ilD",
                    action="granted",
                    signed_on=ago(60),
                    effective_on=ago(60),
                    congress_notified_on=ago(50),
                    instrument="Illustrative waiver D-1",
                    justification="Illustrative: extraordinary circumstances.",
                ),
            ],
        ),  # fmt: skip
    ]
