"""Two readers, one cleared for export-controlled information (cui:EXPT), and EXPT records."""

import datetime

import pytest
from django.contrib.auth.models import Group

from conditions.services import waiver_record
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    CountryFactory,
    ParticipantFactory,
    UserFactory,
    waiver_fields,
)

EXPT = {"marking_categories": ["EXPT"], "marking_dissemination": "NOFORN"}


@pytest.fixture
def cleared(db):
    """An editor who may see EXPT."""
    user = UserFactory(username="cleared", role="editor")
    user.groups.add(Group.objects.get_or_create(name="cui:EXPT")[0])
    return user


@pytest.fixture
def uncleared(db):
    """An editor who may see no CUI category."""
    return UserFactory(username="uncleared", role="editor")


@pytest.fixture
def marked(db, cleared):
    """Israel with one open and one EXPT condition (each with a waiver, FY2025), and one open
    and one EXPT agreement in force."""
    israel = CountryFactory(name="Israel", iso3="ISR")
    records = {"partner": israel}
    for name, marking in (("open", {}), ("secret", EXPT)):
        condition = ConditionFactory(
            partner=israel, title=f"Condition {name}", fiscal_year=2025, **marking
        )
        condition.refresh_from_db()
        waiver_record(
            condition=condition,
            actor=cleared,
            **waiver_fields(authority=condition.legal_basis, **marking),
        )
        agreement = AgreementFactory(
            reference=f"DTC-2024-{name.upper()}", signed_on=datetime.date(2024, 1, 2), **marking
        )
        ParticipantFactory(agreement=agreement, partner=israel)
        records[f"{name}_condition"] = condition
        records[f"{name}_agreement"] = agreement
    return records
