"""Enforcement numbers as CONTRACT v1.1 defines them, the same in the API, the page and the CSV.

Each case is computed by hand in its docstring; all run on one data set, for one partner,
with amounts in millions.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from conditions.services import condition_review_record, waiver_record
from core.registry_day import fiscal_year
from tests.factories import ConditionFactory, CountryFactory, ProvisionFactory, waiver_fields

pytestmark = pytest.mark.django_db
D = datetime.date
M = Decimal(1_000_000)
AS_OF = D(2025, 3, 31)


@pytest.fixture
def cases(editor):
    """Partner "Ruritania", one condition per fiscal year 2020-2025, each a case:

    FY2020  100 conditioned; grant 30 corrected to 20 (both standing dates): waived 20,
            withheld 80.
    FY2021  200 conditioned; grant 50, then revoked: waived 0, withheld 200.
    FY2022  300 conditioned; grant 70 that expired in 2022: still waived 70 (released), 230.
    FY2023  400 conditioned; reviewed partially met, grant 100: waived 100, withheld 300.
    FY2024  500 conditioned; grant 10; certified met on 2025-01-15: withheld 0, waived 10.
    FY2025  600 conditioned; grant 60 effective 2025-04-01 (after as_of): waived 0, 600;
            certified met on 2025-06-01 (after as_of): still withheld on as_of.
    """
    partner = CountryFactory(name="Ruritania", iso3="RUR")
    authority = ProvisionFactory(report_deadline_days=15)

    def condition(fy, conditioned):
        return ConditionFactory(
            partner=partner,
            legal_basis=authority,
            fiscal_year=fy,
            amount_conditioned_usd=conditioned * M,
        )

    def waive(c, signed, amount=None, **fields):
        fields = {
            "signed_on": signed,
            "effective_on": signed,
            "expires_on": None,
            "congress_notified_on": signed,
            "amount_usd": amount,
            **fields,
        }
        return waiver_record(
            condition=c, actor=editor, **waiver_fields(authority=authority, **fields)
        )

    c20 = condition(2020, 100)
    grant = waive(c20, D(2020, 1, 10), 30 * M)
    waive(c20, D(2020, 1, 20), 20 * M, action="corrected", amends=grant)
    c21 = condition(2021, 200)
    grant = waive(c21, D(2021, 2, 1), 50 * M)
    waive(c21, D(2021, 6, 1), action="revoked", amends=grant)
    c22 = condition(2022, 300)
    waive(c22, D(2022, 1, 1), 70 * M, expires_on=D(2022, 6, 30))
    c23 = condition(2023, 400)
    condition_review_record(
        condition=c23, actor=editor, reviewed_on=D(2023, 5, 1), outcome="partially_met"
    )
    waive(c23, D(2023, 6, 1), 100 * M)
    c24 = condition(2024, 500)
    waive(c24, D(2024, 3, 1), 10 * M)
    condition_review_record(condition=c24, actor=editor, reviewed_on=D(2025, 1, 15), outcome="met")
    c25 = condition(2025, 600)
    waive(c25, D(2025, 3, 20), 60 * M, effective_on=D(2025, 4, 1))
    condition_review_record(condition=c25, actor=editor, reviewed_on=D(2025, 6, 1), outcome="met")
    return partner


EXPECTED = {  # fiscal year: (conditioned, waived, withheld), in millions
    2020: (100, 20, 80),
    2021: (200, 0, 200),
    2022: (300, 70, 230),
    2023: (400, 100, 300),
    2024: (500, 10, 0),
    2025: (600, 0, 600),
}
QUERY = f"year_from=2020&year_to=2025&as_of={AS_OF.isoformat()}"


def expected_in_dollars():
    return {fy: tuple(Decimal(v) * M for v in values) for fy, values in EXPECTED.items()}


def test_api_numbers_match_the_hand_computed_cases(auditor, cases):
    api = APIClient()
    api.force_authenticate(auditor)
    data = api.get(f"/api/v1/reports/enforcement/?partner={cases.pk}&{QUERY}").json()
    got = {
        r["fiscal_year"]: tuple(
            Decimal(str(r[k]))
            for k in ("amount_conditioned_usd", "amount_waived_usd", "amount_withheld_usd")
        )
        for r in data["rows"]
    }
    assert got == expected_in_dollars()


def test_csv_numbers_match_the_hand_computed_cases(client, auditor, cases):
    client.force_login(auditor)
    response = client.get(reverse("reports:enforcement_csv") + f"?partner={cases.pk}&{QUERY}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = rows[0]
    got = {}
    for row in rows[1:]:
        values = dict(zip(header, row, strict=True))
        got[int(values["fiscal_year"])] = tuple(
            Decimal(values[k])
            for k in ("amount_conditioned_usd", "amount_waived_usd", "amount_withheld_usd")
        )
    assert got == expected_in_dollars()


def test_page_shows_the_same_numbers(client, auditor, cases):
    client.force_login(auditor)
    response = client.get(reverse("reports:enforcement") + f"?partner={cases.pk}&{QUERY}")
    rows = {r["fiscal_year"]: r for r in response.context["report"].rows}
    for fy, (conditioned, waived, withheld) in expected_in_dollars().items():
        assert (
            rows[fy]["amount_conditioned_usd"],
            rows[fy]["amount_waived_usd"],
            rows[fy]["amount_withheld_usd"],
        ) == (conditioned, waived, withheld), fy


def test_a_revoked_grant_is_not_counted_as_waived(editor, auditor):
    """Egypt FY2024 from the issue: 320 conditioned, 225 granted then revoked: 0 and 320."""
    egypt = CountryFactory(name="Egypt", iso3="EGY")
    condition = ConditionFactory(partner=egypt, fiscal_year=2024, amount_conditioned_usd=320 * M)
    grant = waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(signed_on=D(2024, 5, 1), effective_on=D(2024, 5, 1), amount_usd=225 * M),
    )
    waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(
            action="revoked",
            amends=grant,
            authority=grant.authority,
            signed_on=D(2024, 7, 1),
            effective_on=D(2024, 7, 1),
            expires_on=None,
        ),
    )
    api = APIClient()
    api.force_authenticate(auditor)
    row = api.get(f"/api/v1/reports/enforcement/?partner={egypt.pk}").json()["rows"][0]
    assert (row["amount_waived_usd"], row["amount_withheld_usd"]) == (0, 320_000_000)


def test_a_waiver_far_larger_than_the_conditioned_amount_does_not_overflow(editor, auditor):
    condition = ConditionFactory(fiscal_year=2024, amount_conditioned_usd=Decimal("1"))
    waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(
            signed_on=D(2024, 5, 1), effective_on=D(2024, 5, 1), amount_usd=Decimal("1000000")
        ),
    )
    api = APIClient()
    api.force_authenticate(auditor)
    response = api.get(f"/api/v1/reports/enforcement/?partner={condition.partner_id}")
    assert response.status_code == 200, response.content
    assert response.json()["rows"][0]["share_waived_percent"] == 100_000_000


def test_default_range_is_whole_fiscal_years(auditor, db):
    api = APIClient()
    api.force_authenticate(auditor)
    partner = CountryFactory()
    ConditionFactory(partner=partner)  # no fiscal year: it stands in every year shown
    data = api.get(f"/api/v1/reports/enforcement/?partner={partner.pk}&as_of=2024-11-15").json()
    assert [r["fiscal_year"] for r in data["rows"]] == [fiscal_year(D(2024, 11, 15))] == [2025]
