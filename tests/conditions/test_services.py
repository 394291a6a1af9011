"""Condition, review, waiver and flag services: every rule names its field, writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conditions.models import (
    Condition,
    ConditionRequirement,
    ConditionReview,
    Flag,
    SourceDocument,
    WaiverEntry,
)
from conditions.services import (
    condition_create,
    condition_review_record,
    condition_update,
    flag_acknowledge,
    flag_resolve,
    waiver_record,
)
from core.domain import StaleObjectError
from core.registry_day import registry_today
from tests.factories import (
    ConditionFactory,
    CountryFactory,
    ProvisionFactory,
    RequirementFactory,
    waiver_fields,
)

pytestmark = pytest.mark.django_db
TODAY = registry_today()
MODELS = (Condition, ConditionRequirement, ConditionReview, WaiverEntry, SourceDocument, Flag)


def counts():
    return [model.objects.count() for model in MODELS]


def refused(field, call, **kwargs):
    before = counts()
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert field in error.value.message_dict, error.value.message_dict
    assert counts() == before
    return error.value


def condition_fields(**overrides):
    data = {
        "title": "Leahy vetting of a unit",
        "partner": CountryFactory(),
        "legal_basis": ProvisionFactory(),
        "review_interval_days": 180,
        "next_review_due": TODAY + datetime.timedelta(days=90),
        "responsible_office": "DRL/SFA",
    }
    data.update(overrides)
    return data


# Conditions and requirements


def test_condition_with_requirements_and_sources(editor):
    condition = condition_create(
        actor=editor,
        requirements=[{"label": "(a)(1)", "text": "No assistance to the unit."}],
        sources=[{"url": "https://crsreports.congress.gov/x", "kind": "crs"}],
        **condition_fields(unit="1st Battalion", leahy_applicable=True),
    )
    assert condition.status == "pending_review" and condition.review_warning_days == 30
    assert condition.requirements.get().label == "(a)(1)"
    assert condition.sources.get().kind == "crs"


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("review_interval_days", {"review_interval_days": 0}),
        ("title", {"title": ""}),
        ("title", {"title": "x" * 501}),
        ("status", {"status": "forgotten"}),
        ("amount_conditioned_usd", {"amount_conditioned_usd": -1}),
        ("responsible_email", {"responsible_email": "not an address"}),
        ("next_review_due", {"next_review_due": None}),
    ],
)
def test_condition_rules(editor, field, overrides):
    refused(field, condition_create, actor=editor, **condition_fields(**overrides))


def test_requirement_label_unique(editor):
    rows = [{"label": "(a)", "text": "One"}, {"label": "(a)", "text": "Two"}]
    refused(
        "requirements[1].label",
        condition_create,
        actor=editor,
        requirements=rows,
        **condition_fields(),
    )


def test_requirement_needs_text_and_source_needs_url(editor):
    refused(
        "requirements[0].text",
        condition_create,
        actor=editor,
        requirements=[{"label": "(a)", "text": ""}],
        **condition_fields(),
    )
    refused(
        "sources[0].url",
        condition_create,
        actor=editor,
        sources=[{"url": "not a url", "kind": "press"}],
        **condition_fields(),
    )


def test_requirement_label_unique_in_the_database():
    requirement = RequirementFactory(label="(a)")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConditionRequirement.objects.create(condition=requirement.condition, label="(a)", text="x")


def test_condition_interval_held_by_the_database():
    condition = ConditionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Condition.objects.filter(pk=condition.pk).update(review_interval_days=0)


def test_condition_stale_version(editor):
    condition = ConditionFactory()
    condition_update(condition=condition, actor=editor, expected_version=1, title="One")
    with pytest.raises(StaleObjectError):
        condition_update(condition=condition, actor=editor, expected_version=1, title="Two")
    condition.refresh_from_db()
    assert (condition.title, condition.version) == ("One", 2)


# Reviews


def test_review_sets_status_and_next_due(editor):
    condition = ConditionFactory(review_interval_days=100)
    review = condition_review_record(
        condition=condition, actor=editor, reviewed_on=TODAY, outcome="not_met"
    )
    condition.refresh_from_db()
    assert condition.status == "not_met" and condition.version == 2
    assert condition.next_review_due == review.next_review_due == TODAY + datetime.timedelta(100)
    assert review.recorded_by == editor


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("outcome", {"outcome": "pending_review"}),
        ("outcome", {"outcome": "under_review"}),
        ("reviewed_on", {"reviewed_on": TODAY + datetime.timedelta(days=1)}),
        ("next_review_due", {"next_review_due": TODAY}),
        ("sources[0].kind", {"sources": [{"url": "https://example.gov", "kind": "blog"}]}),
    ],
)
def test_review_rules(editor, field, kwargs):
    condition = ConditionFactory()
    refused(
        field,
        condition_review_record,
        condition=condition,
        actor=editor,
        **{"reviewed_on": TODAY, "outcome": "met", **kwargs},
    )
    condition.refresh_from_db()
    assert condition.version == 1


def test_review_next_due_held_by_the_database(editor):
    condition = ConditionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ConditionReview.objects.create(
            condition=condition, reviewed_on=TODAY, outcome="met", next_review_due=TODAY
        )


# The waiver ledger


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("effective_on", {"effective_on": TODAY - datetime.timedelta(days=2)}),
        ("expires_on", {"expires_on": TODAY - datetime.timedelta(days=1)}),
        ("amount_usd", {"amount_usd": -1}),
        ("justification", {"justification": ""}),
        ("standard", {"standard": "convenience"}),
        ("publicity", {"publicity": "rumoured"}),
        ("official_title", {"official_title": ""}),
        ("amends", {"action": "revoked"}),
        ("action", {"action": "cancelled"}),
        ("requirements_waived", {"requirements_waived": ["(z)"]}),
        ("secret", {"secret": True}),
    ],
)
def test_waiver_rules(editor, field, overrides):
    condition = ConditionFactory()
    refused(field, waiver_record, condition=condition, actor=editor, **waiver_fields(**overrides))
    condition.refresh_from_db()
    assert condition.status == "pending_review"


def test_waiver_source_url_is_validated(editor):
    refused(
        "sources[0].url",
        waiver_record,
        condition=ConditionFactory(),
        actor=editor,
        sources=[{"url": "nope", "kind": "press"}],
        **waiver_fields(),
    )


def grant(editor, condition, **overrides):
    return waiver_record(condition=condition, actor=editor, **waiver_fields(**overrides))


def test_granted_entry_amends_nothing(editor):
    condition = ConditionFactory()
    first = grant(editor, condition)
    refused(
        "amends", waiver_record, condition=condition, actor=editor, **waiver_fields(amends=first)
    )


def test_extension_rules(editor):
    condition = ConditionFactory()
    first = grant(editor, condition, expires_on=TODAY + datetime.timedelta(days=30))
    refused(
        "expires_on",
        waiver_record,
        condition=condition,
        actor=editor,
        **waiver_fields(
            action="extended", amends=first, expires_on=TODAY + datetime.timedelta(days=30)
        ),
    )
    refused(
        "signed_on",
        waiver_record,
        condition=condition,
        actor=editor,
        **waiver_fields(
            action="extended",
            amends=first,
            signed_on=TODAY - datetime.timedelta(days=5),
            effective_on=TODAY - datetime.timedelta(days=5),
        ),
    )
    extension = grant(
        editor,
        condition,
        action="extended",
        amends=first,
        expires_on=TODAY + datetime.timedelta(days=90),
    )
    refused(
        "amends",
        waiver_record,
        condition=condition,
        actor=editor,
        **waiver_fields(
            action="extended", amends=first, expires_on=TODAY + datetime.timedelta(days=120)
        ),
    )
    in_effect = WaiverEntry.objects.in_effect_on(TODAY + datetime.timedelta(days=60))
    assert list(in_effect) == [extension]


def test_open_ended_waiver_cannot_be_extended(editor):
    condition = ConditionFactory()
    first = grant(editor, condition, expires_on=None)
    refused(
        "expires_on",
        waiver_record,
        condition=condition,
        actor=editor,
        **waiver_fields(action="extended", amends=first, expires_on=None),
    )


def test_revoked_entry_cannot_be_revoked_again(editor):
    condition = ConditionFactory()
    first = grant(editor, condition)
    revocation = grant(
        editor, condition, action="revoked", amends=first, signed_on=TODAY, effective_on=TODAY
    )
    refused(
        "amends",
        waiver_record,
        condition=condition,
        actor=editor,
        **waiver_fields(action="revoked", amends=revocation),
    )
    refused(
        "amends",
        waiver_record,
        condition=condition,
        actor=editor,
        **waiver_fields(action="revoked", amends=first),
    )


def test_corrected_entry_replaces_the_original(editor):
    condition = ConditionFactory()
    first = grant(editor, condition, instrument="Memo")
    correction = grant(editor, condition, action="corrected", amends=first, instrument="Memo 2")
    assert list(WaiverEntry.objects.in_effect_on(TODAY)) == [correction]
    assert correction.previous_hash == first.entry_hash


def test_ledger_constraints_held_by_the_database(editor):
    entry = grant(editor, ConditionFactory())
    base = {f.attname: getattr(entry, f.attname) for f in WaiverEntry._meta.concrete_fields}
    changes = (
        {"effective_on": entry.signed_on - datetime.timedelta(days=1)},
        {"expires_on": entry.effective_on},
        {"amount_usd": -1},
        {"justification": ""},
        {"action": "revoked"},
        {"action": "granted", "amends_id": entry.pk},
    )
    for number, change in enumerate(changes):
        row = {**base, "id": None, "sequence": 1000 + number, "entry_hash": f"x{number}"}
        with pytest.raises(IntegrityError), transaction.atomic():
            WaiverEntry.objects.create(**{**row, **change})
    assert WaiverEntry.objects.count() == 1


# Flags


def test_flag_acknowledge_then_resolve(editor):
    flag = Flag.objects.create(condition=ConditionFactory(), kind="review_overdue")
    flag = flag_acknowledge(flag=flag, actor=editor)
    assert (flag.status, flag.acknowledged_by) == ("acknowledged", editor)
    with pytest.raises(ValidationError) as error:
        flag_acknowledge(flag=flag, actor=editor)
    assert "status" in error.value.message_dict
    flag = flag_resolve(flag=flag, actor=editor)
    assert flag.status == "resolved" and flag.resolved_at is not None
    with pytest.raises(ValidationError) as error:
        flag_resolve(flag=flag, actor=editor)
    assert "status" in error.value.message_dict


def test_one_active_flag_per_condition_and_kind():
    condition = ConditionFactory()
    Flag.objects.create(condition=condition, kind="review_overdue")
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(condition=condition, kind="review_overdue", status="acknowledged")
    Flag.objects.create(condition=condition, kind="review_overdue", status="resolved")
