"""Each report runs the same number of queries for 2 partners as for 10."""

import datetime

import pytest

from agreements.models import Agreement, IndustrialParticipant, TechnologyArea
from conditions.services import condition_review_record, waiver_record
from partners.models import Partner
from registry.reports.access import access_report
from registry.reports.enforcement import enforcement_report
from registry.reports.industrial_base import industrial_base_report
from registry.reports.params import ReportParams
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    DesignationFactory,
    ParticipantFactory,
    PartnerFactory,
    waiver_fields,
)

D = datetime.date
ISO3 = ["EGY", "ISR", "JPN", "AUS", "NOR", "POL", "KOR", "IND", "BRA", "MEX"]


def build_partners(count: int, actor) -> None:
    firm = PartnerFactory(kind=Partner.Kind.COMPANY)
    area = TechnologyArea.objects.get(slug="missile_defense")
    for index in range(count):
        partner = PartnerFactory(kind=Partner.Kind.COUNTRY, iso3=ISO3[index])
        DesignationFactory(partner=partner, valid_from=D(2000, 1, 1))
        agreement = AgreementFactory(
            agreement_type=Agreement.Type.CO_PRODUCTION, signed_on=D(2020, 1, 1)
        )
        agreement.technology_areas.add(area)
        ParticipantFactory(agreement=agreement, partner=partner)
        IndustrialParticipant.objects.create(
            agreement=agreement,
            company=firm,
            us_state="AL",
            naics_code="336411",
            contract_value_usd=1000,
            fiscal_year=2021,
        )
        condition = ConditionFactory(partner=partner, fiscal_year=2021, amount_conditioned_usd=10)
        condition_review_record(
            condition=condition, actor=actor, reviewed_on=D(2021, 1, 1), outcome="not_met"
        )
        waiver_record(
            condition=condition,
            actor=actor,
            **waiver_fields(signed_on=D(2021, 2, 1), effective_on=D(2021, 2, 1), amount_usd=5),
        )


REPORTS = [
    (access_report, 4),
    (industrial_base_report, 2),
    (enforcement_report, 6),
]


@pytest.mark.parametrize(("report", "expected"), REPORTS)
@pytest.mark.parametrize("partners", [2, 10])
def test_query_count_does_not_grow_with_partners(
    report, expected, partners, editor, django_assert_num_queries
):
    build_partners(partners, editor)
    params = ReportParams(as_of=D(2022, 1, 1))
    with django_assert_num_queries(expected):
        result = report(params)
    assert len(result.rows) >= partners
