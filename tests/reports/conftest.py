"""A small, hand-checked data set for the three reports (numbers in the tests' docstrings)."""

import datetime
from decimal import Decimal

import pytest

from agreements.models import Agreement, IndustrialParticipant, TechnologyArea
from conditions.services import condition_review_record, waiver_record
from partners.models import Partner
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    DesignationFactory,
    ParticipantFactory,
    PartnerFactory,
    ProvisionFactory,
    waiver_fields,
)

D = datetime.date
M = Decimal("1000000")


def country(name, iso3):
    return PartnerFactory(name=name, iso3=iso3, kind=Partner.Kind.COUNTRY)


def company(name):
    return PartnerFactory(name=name, kind=Partner.Kind.COMPANY)


def areas(agreement, *slugs):
    for slug in slugs:
        agreement.technology_areas.add(TechnologyArea.objects.get(slug=slug))


@pytest.fixture
def access_data(db):
    """Japan (MNNA) in three agreements; Turkey suspended from F-35 on 17 July 2019."""
    japan, turkey = country("Japan", "JPN"), country("Turkey", "TUR")
    lockheed = company("Lockheed Martin")
    DesignationFactory(partner=japan, category="mnna", valid_from=D(1989, 1, 1))
    DesignationFactory(partner=turkey, category="nato_member", valid_from=D(1952, 2, 18))
    DesignationFactory(
        partner=turkey, category="friendly", valid_from=D(1990, 1, 1), valid_to=D(2000, 1, 1)
    )
    f35 = AgreementFactory(reference="DTC-F35", signed_on=D(2002, 7, 1))
    areas(f35, "aircraft")
    ParticipantFactory(agreement=f35, partner=japan, joined_on=D(2002, 7, 1))
    ParticipantFactory(
        agreement=f35, partner=turkey, joined_on=D(2002, 7, 1), suspended_on=D(2019, 7, 17)
    )
    sm3 = AgreementFactory(reference="DTC-SM3", signed_on=D(2006, 6, 23))
    areas(sm3, "missile_defense")
    ParticipantFactory(agreement=sm3, partner=japan)
    pac3 = AgreementFactory(
        reference="DTC-PAC3",
        agreement_type=Agreement.Type.LICENSED_MANUFACTURING,
        signed_on=D(2005, 3, 1),
    )
    areas(pac3, "missile_defense", "air_defense")
    ParticipantFactory(agreement=pac3, partner=japan, role="licensee")
    ParticipantFactory(agreement=pac3, partner=lockheed, role="licensor")
    old = AgreementFactory(
        reference="DTC-OLD",
        agreement_type=Agreement.Type.FRAMEWORK,
        status="expired",
        signed_on=D(1995, 1, 1),
        expires_on=D(2010, 1, 1),
    )
    areas(old, "aircraft")
    ParticipantFactory(agreement=old, partner=japan)
    proposed = AgreementFactory(reference="DTC-NEW", status="proposed", signed_on=None)
    areas(proposed, "hypersonics")
    ParticipantFactory(agreement=proposed, partner=turkey)
    return {"japan": japan, "turkey": turkey, "lockheed": lockheed}


@pytest.fixture
def industrial_data(access_data):
    """PAC-3 (Japan, licensed manufacturing) and Iron Dome (Israel, co-production) work."""
    israel = country("Israel", "ISR")
    lockheed, raytheon = access_data["lockheed"], company("Raytheon")
    pac3 = Agreement.objects.get(reference="DTC-PAC3")
    iron_dome = AgreementFactory(
        reference="DTC-IRONDOME",
        agreement_type=Agreement.Type.CO_PRODUCTION,
        signed_on=D(2014, 3, 5),
    )
    ParticipantFactory(agreement=iron_dome, partner=israel, role="lead")
    ParticipantFactory(agreement=iron_dome, partner=raytheon, role="prime_contractor")

    def work(agreement, firm, state, naics, value, share, year):
        IndustrialParticipant.objects.create(
            agreement=agreement,
            company=firm,
            us_state=state,
            naics_code=naics,
            contract_value_usd=value * M,
            work_share_percent=share,
            fiscal_year=year,
        )

    work(pac3, lockheed, "AL", "336411", 100, 40, 2020)
    work(pac3, raytheon, "AZ", "334511", 50, 20, 2020)
    work(pac3, raytheon, "AL", "541330", 25, 10, 2021)
    work(iron_dome, raytheon, "AZ", "336414", 200, 55, 2020)
    # Co-development is not production: the F-35 development work is left out.
    work(Agreement.objects.get(reference="DTC-F35"), lockheed, "TX", "336411", 999, 80, 2020)
    return {**access_data, "israel": israel}


def _enforcement_conditions(egypt, israel, authority):
    """Egypt FY2023 and FY2024; an Israeli unit (Leahy) and Israel FY2024."""
    c1 = ConditionFactory(
        partner=egypt,
        legal_basis=authority,
        fiscal_year=2023,
        amount_conditioned_usd=320 * M,
        next_review_due=D(2023, 6, 30),
    )
    c2 = ConditionFactory(
        partner=egypt,
        legal_basis=authority,
        fiscal_year=2024,
        amount_conditioned_usd=300 * M,
        next_review_due=D(2024, 4, 1),
    )
    c3 = ConditionFactory(
        partner=israel, legal_basis=authority, unit="Unit A", next_review_due=D(2024, 6, 30)
    )
    c4 = ConditionFactory(
        partner=israel,
        legal_basis=authority,
        fiscal_year=2024,
        amount_conditioned_usd=100 * M,
        next_review_due=D(2024, 9, 1),
    )
    return c1, c2, c3, c4


def _enforcement_reviews(editor, c1, c2, c3):
    """Two late reviews (due 30 June) and two on time."""

    def review(condition, day, outcome, next_due=None):
        return condition_review_record(
            condition=condition,
            actor=editor,
            reviewed_on=day,
            outcome=outcome,
            next_review_due=next_due,
        )

    review(c1, D(2023, 7, 15), "not_met", D(2024, 1, 31))  # late: due 30 June
    review(c1, D(2024, 1, 20), "partially_met", D(2024, 7, 31))  # on time
    review(c2, D(2024, 3, 1), "met")  # on time
    review(c3, D(2024, 8, 15), "remediated")  # late: due 30 June


def _enforcement_waivers(editor, authority, c1, c3, c4):
    """Egypt's grant and extension, the unit's grant and revocation, Israel's corrected grant."""

    def waiver(condition, **fields):
        return waiver_record(
            condition=condition, actor=editor, **waiver_fields(authority=authority, **fields)
        )

    w1 = waiver(
        c1,
        signed_on=D(2023, 9, 14),
        effective_on=D(2023, 9, 14),
        expires_on=D(2024, 9, 30),
        amount_usd=235 * M,
        fiscal_year=2023,
        congress_notified_on=D(2023, 10, 5),
    )
    waiver(
        c1,
        action="extended",
        amends=w1,
        signed_on=D(2024, 9, 20),
        effective_on=D(2024, 9, 25),
        expires_on=D(2024, 12, 31),
        congress_notified_on=D(2024, 9, 30),
    )
    _israel_waivers(waiver, c3, c4)


def _israel_waivers(waiver, c3, c4):
    """The unit's grant then revocation; Israel's FY2024 grant then its correction."""
    w3 = waiver(
        c3,
        signed_on=D(2024, 4, 10),
        effective_on=D(2024, 4, 10),
        expires_on=None,
        fiscal_year=2024,
    )
    waiver(
        c3,
        action="revoked",
        amends=w3,
        signed_on=D(2024, 8, 1),
        effective_on=D(2024, 8, 1),
        expires_on=None,
        fiscal_year=2024,
    )
    w5 = waiver(
        c4,
        signed_on=D(2024, 2, 1),
        effective_on=D(2024, 2, 1),
        expires_on=D(2024, 6, 30),
        amount_usd=60 * M,
        fiscal_year=2024,
        congress_notified_on=D(2024, 2, 12),
    )
    waiver(
        c4,
        action="corrected",
        amends=w5,
        signed_on=D(2024, 2, 10),
        effective_on=D(2024, 2, 10),
        expires_on=D(2024, 6, 30),
        amount_usd=40 * M,
        fiscal_year=2024,
    )


@pytest.fixture
def enforcement_data(db, editor):
    """Egypt FY2023 ($320M conditioned, $235M waived, notified late) and Israel (Leahy)."""
    egypt, israel = country("Egypt", "EGY"), country("Israel", "ISR")
    authority = ProvisionFactory(report_deadline_days=15)
    c1, c2, c3, c4 = _enforcement_conditions(egypt, israel, authority)
    _enforcement_reviews(editor, c1, c2, c3)
    _enforcement_waivers(editor, authority, c1, c3, c4)
    return {"egypt": egypt, "israel": israel}
