import datetime

import pytest
from django.core import mail

from conditions.models import Flag, Notification
from conditions.services.notifications import notifications_send
from conditions.services.scan import scan_conditions
from core.registry_day import registry_today
from tests.conditions.helpers import other_connection
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

TODAY = registry_today()
OVERDUE = TODAY - datetime.timedelta(days=1)


def test_each_raised_flag_has_one_outbox_row_written_with_it():
    condition = ConditionFactory(next_review_due=OVERDUE, responsible_email="drl@example.gov")
    scan_conditions(today=TODAY)
    flag = Flag.objects.get(condition=condition)
    row = Notification.objects.get(flag=flag)
    assert (row.office, row.recipient, row.sent_at) == ("DRL/SFA", "drl@example.gov", None)
    assert condition.title in row.subject and str(OVERDUE) in row.body
    scan_conditions(today=TODAY)
    assert Notification.objects.count() == 1


def test_one_digest_per_office_and_each_row_sent_once():
    for _ in range(3):
        ConditionFactory(next_review_due=OVERDUE, responsible_email="drl@example.gov")
    ConditionFactory(
        next_review_due=OVERDUE, responsible_office="DSCA", responsible_email="dsca@example.gov"
    )
    scan_conditions(today=TODAY)
    result = notifications_send()
    assert (result.digests, result.notifications) == (2, 4)
    assert sorted(m.to[0] for m in mail.outbox) == ["drl@example.gov", "dsca@example.gov"]
    drl = next(m for m in mail.outbox if m.to == ["drl@example.gov"])
    assert "3 new flags for DRL/SFA" in drl.subject
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert notifications_send().notifications == 0
    assert len(mail.outbox) == 2


def test_rows_without_a_recipient_wait_unless_a_fallback_is_set(settings):
    ConditionFactory(next_review_due=OVERDUE, responsible_email="")
    scan_conditions(today=TODAY)
    assert notifications_send().notifications == 0
    assert Notification.objects.filter(sent_at__isnull=True).count() == 1
    settings.NOTIFICATIONS_FALLBACK_EMAIL = "registry-admins@example.gov"
    assert notifications_send().notifications == 1
    assert mail.outbox[0].to == ["registry-admins@example.gov"]


def test_a_failed_send_leaves_the_rows_unsent_for_the_next_run(settings):
    ConditionFactory(next_review_due=OVERDUE, responsible_email="drl@example.gov")
    scan_conditions(today=TODAY)
    settings.EMAIL_BACKEND = "tests.conditions.helpers.FailingEmailBackend"
    with pytest.raises(ConnectionError):
        notifications_send()
    assert Notification.objects.filter(sent_at__isnull=True).count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_send().notifications == 1


@pytest.mark.django_db(transaction=True)
def test_rows_locked_by_another_sender_are_skipped_not_sent_twice():
    ConditionFactory(next_review_due=OVERDUE, responsible_email="drl@example.gov")
    ConditionFactory(
        next_review_due=OVERDUE, responsible_office="DSCA", responsible_email="dsca@example.gov"
    )
    scan_conditions(today=TODAY)
    with other_connection() as other, other.transaction():
        other.execute("SELECT id FROM conditions_notification WHERE office = 'DRL/SFA' FOR UPDATE")
        result = notifications_send()
    assert result.notifications == 1
    assert [m.to for m in mail.outbox] == [["dsca@example.gov"]]
    assert notifications_send().notifications == 1  # the lock is gone: now DRL's turn
