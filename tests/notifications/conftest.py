"""Notification fixtures: the API clients of tests/api, and records built through services."""

import datetime

import pytest

from conditions.services import waiver_record
from tests.api.conftest import token_client
from tests.factories import ConditionFactory, CountryFactory, DesignationFactory, waiver_fields

D = datetime.date(2024, 3, 7)  # the day the partner joins NATO in these tests


@pytest.fixture
def api(editor):
    return token_client(editor)


@pytest.fixture
def auditor_api(auditor):
    return token_client(auditor)


@pytest.fixture
def joining_partner(db):
    """A country that joins NATO on D (and held no shortening category before)."""
    partner = CountryFactory(name="Sweden", iso3="SWE")
    DesignationFactory(partner=partner, category="nato_member", valid_from=D)
    return partner


@pytest.fixture
def plain_partner(db):
    return CountryFactory(name="Egypt", iso3="EGY")


@pytest.fixture
def leahy_entry(editor):
    """A granted waiver entry signed on 2024-05-01 on a Leahy condition."""
    condition = ConditionFactory(leahy_applicable=True)
    day = datetime.date(2024, 5, 1)
    return waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(signed_on=day, effective_on=day, expires_on=day + datetime.timedelta(90)),
    )
