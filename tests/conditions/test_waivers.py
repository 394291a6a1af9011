import pytest
from django.core.exceptions import ValidationError

from conditions.models import Condition, WaiverEntry
from conditions.services import waiver_record
from conditions.services.ledger import verify_chain
from core.registry_day import registry_today
from tests.factories import ConditionFactory, RequirementFactory, waiver_fields

pytestmark = pytest.mark.django_db


def test_granted_waiver_in_effect_sets_condition_waived(editor):
    condition = ConditionFactory()
    entry = waiver_record(condition=condition, actor=editor, **waiver_fields())
    condition.refresh_from_db()
    assert condition.status == Condition.Status.WAIVED
    assert entry.recorded_by == editor
    assert len(entry.entry_hash) == 64
    assert verify_chain() is None


def test_revocation_sets_pending_review(editor):
    condition = ConditionFactory()
    grant = waiver_record(condition=condition, actor=editor, **waiver_fields())
    waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(
            action="revoked",
            amends=grant,
            authority=grant.authority,
            signed_on=registry_today(),
            effective_on=registry_today(),
        ),
    )
    condition.refresh_from_db()
    assert condition.status == Condition.Status.PENDING_REVIEW
    assert not WaiverEntry.objects.in_effect_on(registry_today()).exists()


def test_amending_another_conditions_entry_is_refused(editor):
    grant = waiver_record(condition=ConditionFactory(), actor=editor, **waiver_fields())
    other = ConditionFactory()
    with pytest.raises(ValidationError) as error:
        waiver_record(
            condition=other,
            actor=editor,
            **waiver_fields(action="revoked", amends=grant, authority=grant.authority),
        )
    assert "amends" in error.value.message_dict
    assert WaiverEntry.objects.count() == 1


def test_unknown_requirement_label_is_refused(editor):
    condition = ConditionFactory()
    RequirementFactory(condition=condition, label="(a)(1)")
    with pytest.raises(ValidationError) as error:
        waiver_record(
            condition=condition, actor=editor, **waiver_fields(requirements_waived=["(b)"])
        )
    assert "requirements_waived" in error.value.message_dict


def test_expiry_before_effective_date_is_refused(editor):
    condition = ConditionFactory()
    today = registry_today()
    with pytest.raises(ValidationError) as error:
        waiver_record(
            condition=condition,
            actor=editor,
            **waiver_fields(effective_on=today, signed_on=today, expires_on=today),
        )
    assert "expires_on" in str(error.value.message_dict)
    assert not WaiverEntry.objects.exists()
