"""The database holds every agreement rule even when validation is bypassed."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from agreements.models import (
    Act,
    Agreement,
    AgreementParticipant,
    IndustrialParticipant,
    LegalBasis,
    Provision,
)
from tests.factories import (
    ActFactory,
    AgreementFactory,
    LegalBasisFactory,
    ParticipantFactory,
    PartnerFactory,
    ProvisionFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 1, 15)


def db_refuses(model, **fields):
    before = model.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)
    assert model.objects.count() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "Bill", "status": "introduced", "public_law": "119-60"},
        {"title": "Half a bill", "bill_type": "HR", "congress": 119, "status": "reported"},
        {"title": "A number alone", "bill_number": 7, "congress": 119},
        {"title": "No congress", "bill_type": "HR", "bill_number": 1},
        {"title": ""},
    ],
)
def test_act_rules(fields):
    db_refuses(Act, **fields)


def test_act_bill_and_public_law_are_unique():
    ActFactory(congress=119, bill_type="S", bill_number=1071, public_law="119-60")
    db_refuses(Act, title="Same bill", congress=119, bill_type="S", bill_number=1071)
    db_refuses(Act, title="Same law", status="enacted", public_law="119-60")


def test_provision_section_unique_per_act_and_dates_in_order():
    provision = ProvisionFactory(section="27")
    db_refuses(Provision, act=provision.act, section="27")
    db_refuses(
        Provision,
        act=provision.act,
        section="36",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2019, 1, 1),
    )
    db_refuses(Provision, act=provision.act, section="")


def test_provision_citation():
    act = ActFactory(
        title="National Defense Authorization Act for Fiscal Year 2026",
        short_title="NDAA for FY2026",
        public_law="119-60",
    )
    assert ProvisionFactory(act=act, section="224").citation == (
        "Section 224 of the NDAA for FY2026 (Pub. L. 119-60)"
    )
    title10 = ActFactory(kind="code_title", title="Title 10")
    assert ProvisionFactory(act=title10, codification="10 U.S.C. 362").citation == ("10 U.S.C. 362")


def agreement_fields(**overrides):
    fields = {
        "reference": "DTC-2020-9999",
        "title": "A program",
        "agreement_type": "co_development",
        "status": "in_force",
        "signed_on": DAY,
        "technology_transfer_risk": "low",
    }
    fields.update(overrides)
    return fields


@pytest.mark.parametrize(
    "overrides",
    [
        {"reference": ""},
        {"status": "signed", "signed_on": None},
        {"status": "superseded", "signed_on": None},
        {"entry_into_force_on": DAY - datetime.timedelta(days=1)},
        {"expires_on": DAY - datetime.timedelta(days=1)},
        {"terminated_on": DAY - datetime.timedelta(days=1)},
    ],
)
def test_agreement_rules(overrides):
    db_refuses(Agreement, **agreement_fields(**overrides))


def test_agreement_reference_unique():
    AgreementFactory(reference="DTC-2014-0003")
    db_refuses(Agreement, **agreement_fields(reference="DTC-2014-0003"))


def test_agreement_cannot_be_its_own_parent_or_predecessor():
    agreement = AgreementFactory()
    for field in ("parent", "supersedes"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Agreement.objects.filter(pk=agreement.pk).update(**{field: agreement})


def test_participant_once_per_agreement_and_share_bounds():
    participant = ParticipantFactory()
    db_refuses(
        AgreementParticipant,
        agreement=participant.agreement,
        partner=participant.partner,
        role="participant",
    )
    other = PartnerFactory()
    for share in (Decimal("-1"), Decimal("100.01")):
        db_refuses(
            AgreementParticipant,
            agreement=participant.agreement,
            partner=other,
            role="participant",
            cost_share_percent=share,
        )
    for field in ("withdrawn_on", "suspended_on"):
        db_refuses(
            AgreementParticipant,
            agreement=participant.agreement,
            partner=other,
            role="participant",
            joined_on=DAY,
            **{field: DAY - datetime.timedelta(days=1)},
        )


def test_legal_basis_unique():
    basis = LegalBasisFactory()
    db_refuses(LegalBasis, agreement=basis.agreement, provision=basis.provision, role=basis.role)


def test_industrial_participant_value_and_share_bounds():
    agreement, company = AgreementFactory(), PartnerFactory()
    db_refuses(
        IndustrialParticipant,
        agreement=agreement,
        company=company,
        contract_value_usd=Decimal("-5"),
    )
    db_refuses(
        IndustrialParticipant,
        agreement=agreement,
        company=company,
        work_share_percent=Decimal("101"),
    )


def test_provisions_and_agreements_in_use_are_protected():
    basis = LegalBasisFactory()
    with pytest.raises(ProtectedError), transaction.atomic():
        basis.provision.delete()
    child = AgreementFactory(parent=basis.agreement)
    with pytest.raises(ProtectedError), transaction.atomic():
        basis.agreement.delete()
    assert Agreement.objects.filter(pk=child.parent_id).exists()


def test_in_force_on():
    agreement = AgreementFactory(signed_on=DAY, expires_on=datetime.date(2021, 1, 1))
    AgreementFactory(status="proposed", signed_on=None)
    assert list(Agreement.objects.in_force_on(DAY)) == [agreement]
    assert not Agreement.objects.in_force_on(datetime.date(2021, 1, 2)).exists()


def test_signed_agreement_without_entry_into_force_is_not_in_force():
    """Signed but with no entry-into-force date: not in force, whatever the signature date.
    Once a date of entry into force is recorded and reached, it is."""
    pending = AgreementFactory(status="signed", signed_on=DAY, entry_into_force_on=None)
    assert not Agreement.objects.in_force_on(datetime.date(2026, 12, 7)).exists()
    Agreement.objects.filter(pk=pending.pk).update(entry_into_force_on=datetime.date(2021, 1, 1))
    assert not Agreement.objects.in_force_on(datetime.date(2020, 12, 31)).exists()
    assert list(Agreement.objects.in_force_on(datetime.date(2026, 12, 7))) == [pending]
