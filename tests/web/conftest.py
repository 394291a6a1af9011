"""A small world of one record of every kind, for the web page tests."""

import pytest

from agreements.models import TechnologyArea
from conditions.models import Flag
from conditions.services import condition_review_record, waiver_record
from core.registry_day import registry_today
from notifications.services import notification_create
from registry.models import ImportJob
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    CountryFactory,
    LegalBasisFactory,
    ParticipantFactory,
    PartnerFactory,
    RequirementFactory,
    waiver_fields,
)
from tests.safeguards.factories import (
    EndUseCheckFactory,
    ReleaseFactory,
    TechnologyItemFactory,
    TransferFactory,
    ViolationFactory,
)


@pytest.fixture
def world(db, editor):
    country = CountryFactory()
    company = PartnerFactory(name="Acme Defense", parent=country)
    agreement = AgreementFactory(title="Glide phase interceptor")
    ParticipantFactory(agreement=agreement, partner=country, cost_share_percent=40)
    legal_basis = LegalBasisFactory(agreement=agreement)
    condition = ConditionFactory(partner=country, agreement=agreement)
    RequirementFactory(condition=condition, label="(a)(1)")
    grant = waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(authority=condition.legal_basis, requirements_waived=["(a)(1)"]),
    )
    review = condition_review_record(
        condition=condition,
        actor=editor,
        reviewed_on=registry_today(),
        outcome="waived",
        notes="Waiver in effect.",
    )
    flag = Flag.objects.create(condition=condition, kind=Flag.Kind.WAIVER_IN_EFFECT)
    release = ReleaseFactory(item=TechnologyItemFactory(agreement=agreement), partner=country)
    return {
        "partner": country,
        "company": company,
        "act": legal_basis.provision.act,
        "provision": legal_basis.provision,
        "agreement": agreement,
        "condition": condition,
        "waiver": grant,
        "review": review,
        "flag": flag,
        # Route names "technology_area_*": the URL walk looks records up by the first word.
        "technology": TechnologyArea.objects.order_by("pk").first(),
        # Route names "job_*" (an import job, registry/importing/jobs.py), the editor's own.
        "job": ImportJob.objects.create(
            owner=editor, filename="records.csv", status=ImportJob.Status.CHECKED
        ),
        # Safeguards routes ("technology_item_*", "end_use_check_*"): looked up by full noun.
        "technology_item": release.item,
        "release_decision": release,
        "end_use_check": EndUseCheckFactory(partner=country),
        "transfer": TransferFactory(from_partner=country, to_partner=company, items=[release.item]),
        "violation": ViolationFactory(partner=country),
        # Route names "congressional_notification_*".
        "congressional": notification_create(
            actor=editor,
            kind="aeca_36b",
            partner=country,
            agreement=agreement,
            received_on=registry_today(),
            transmittal_number="DDTC 26-001",
        ),  # fmt: skip
    }
