"""The notifications' flags in the scan: raised by the scan of the day after the deadline,
kept (idempotent), resolved when the record is corrected; flags name their subject."""

import datetime

import pytest

from conditions.models import Flag, Notification
from conditions.services import waiver_record
from conditions.services.scan import scan_conditions
from notifications.services import notification_create, notification_update
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    ProvisionFactory,
    waiver_fields,
)

pytestmark = pytest.mark.django_db
SIGNED = datetime.date(2024, 5, 1)


def active(kind):
    return list(Flag.objects.filter(kind=kind, status__in=["open", "acknowledged"]))


@pytest.fixture
def leahy_362_entry(editor):
    authority = ProvisionFactory(codification="10 U.S.C. 362", report_deadline_days=15)
    condition = ConditionFactory(leahy_applicable=True, legal_basis=authority)
    return waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(
            authority=authority,
            signed_on=SIGNED,
            effective_on=SIGNED,
            expires_on=SIGNED + datetime.timedelta(days=90),
        ),
    )


def test_acted_before_review_ended_raised_kept_and_resolved(editor, plain_partner):
    agreement = AgreementFactory(binding=False)
    notification = notification_create(
        actor=editor,
        kind="aeca_36b",
        partner=plain_partner,
        agreement=agreement,
        received_on=datetime.date(2024, 3, 7),
        acted_on=datetime.date(2024, 4, 5),  # earliest action day is 2024-04-06
    )
    today = datetime.date(2024, 6, 1)
    scan_conditions(today=today)
    (flag,) = active("acted_before_review_ended")
    assert (flag.subject_type, flag.subject_id) == ("agreements", agreement.pk)
    assert flag.agreement_id == agreement.pk and flag.condition_id is None
    assert flag.due_on == datetime.date(2024, 4, 6)
    assert Notification.objects.filter(flag=flag).count() == 1
    again = scan_conditions(today=today)
    assert again.raised == 0 and active("acted_before_review_ended") == [flag]
    assert Notification.objects.filter(flag=flag).count() == 1
    notification_update(
        notification=notification, actor=editor, acted_on=datetime.date(2024, 4, 6)
    )  # acting on the earliest action day is not early
    scan_conditions(today=today)
    flag.refresh_from_db()
    assert flag.status == "resolved" and active("acted_before_review_ended") == []


def test_an_emergency_waiver_raises_no_flag(editor, plain_partner):
    notification_create(
        actor=editor,
        kind="aeca_36b",
        partner=plain_partner,
        received_on=datetime.date(2024, 3, 7),
        acted_on=datetime.date(2024, 3, 8),
        emergency_waiver=True,
        emergency_justification="An emergency exists.",
    )
    scan_conditions(today=datetime.date(2024, 6, 1))
    assert active("acted_before_review_ended") == []


def test_leahy_report_missing_from_the_day_after_the_deadline(
    editor, plain_partner, leahy_362_entry
):
    scan_conditions(today=SIGNED + datetime.timedelta(days=15))  # due May 16: met that day
    assert active("notification_missing") == []
    scan_conditions(today=SIGNED + datetime.timedelta(days=16))
    (flag,) = active("notification_missing")
    assert (flag.subject_type, flag.subject_id) == ("waivers", leahy_362_entry.pk)
    assert flag.due_on == datetime.date(2024, 5, 16)
    notification_create(
        actor=editor,
        kind="dod_leahy_362",
        partner=plain_partner,
        waiver_entry=leahy_362_entry,
        received_on=datetime.date(2024, 5, 20),
    )
    scan_conditions(today=SIGNED + datetime.timedelta(days=18))
    flag.refresh_from_db()
    assert flag.status == "resolved"


def test_leahy_report_not_required_off_362_or_off_leahy(editor):
    other = ProvisionFactory(codification="10 U.S.C. 3620", report_deadline_days=15)
    waiver_record(
        condition=ConditionFactory(leahy_applicable=True, legal_basis=other),
        actor=editor,
        **waiver_fields(authority=other, signed_on=SIGNED, effective_on=SIGNED),
    )
    section_362 = ProvisionFactory(codification="10 U.S.C. 362", report_deadline_days=15)
    waiver_record(
        condition=ConditionFactory(leahy_applicable=False, legal_basis=section_362),
        actor=editor,
        **waiver_fields(authority=section_362, signed_on=SIGNED, effective_on=SIGNED),
    )
    scan_conditions(today=datetime.date(2024, 12, 1))
    assert active("notification_missing") == []


def test_case_act_transmittal_missing_for_a_binding_agreement(editor, plain_partner):
    binding = AgreementFactory(binding=True, signed_on=datetime.date(2024, 1, 10))
    AgreementFactory(binding=False, signed_on=datetime.date(2024, 1, 10))
    scan_conditions(today=datetime.date(2024, 2, 9))  # due 2024-02-09: met that day
    assert active("notification_missing") == []
    scan_conditions(today=datetime.date(2024, 2, 10))
    (flag,) = active("notification_missing")
    assert (flag.subject_type, flag.subject_id, flag.agreement_id) == (
        "agreements",
        binding.pk,
        binding.pk,
    )
    notification_create(
        actor=editor, kind="case_act", partner=plain_partner, agreement=binding,
        received_on=datetime.date(2024, 2, 12),
    )  # fmt: skip
    scan_conditions(today=datetime.date(2024, 2, 13))
    assert active("notification_missing") == []


def test_every_flag_names_its_subject(api):
    condition = ConditionFactory()
    flag = Flag.objects.create(condition=condition, kind="review_overdue")
    flag.refresh_from_db()
    assert (flag.subject_type, flag.subject_id) == ("conditions", condition.pk)
    response = api.get("/api/v1/flags/", {"subject_type": "conditions", "subject_id": condition.pk})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["subject_type"], row["subject_id"]) == ("conditions", condition.pk)
    assert api.get("/api/v1/flags/", {"subject_type": "waivers"}).json()["results"] == []
