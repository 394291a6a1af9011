import datetime
import time

import pytest
from celery import Celery
from django.conf import settings
from django.core.management import CommandError, call_command

from conditions import tasks
from conditions.models import Flag, FlagEvent
from conditions.services.scan import SCAN_LOCK_KEY
from core.registry_day import registry_today
from tests.conditions.helpers import other_connection
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

TODAY = registry_today()


def test_scan_task_takes_an_iso_date_and_returns_counts():
    ConditionFactory(next_review_due=TODAY + datetime.timedelta(days=40))
    result = tasks.scan_conditions.apply(
        kwargs={"today": (TODAY + datetime.timedelta(days=15)).isoformat()}
    )
    assert result.get()["raised"] == 1
    event = FlagEvent.objects.get()
    assert event.pgh_context.metadata["actor"] == "task:scan_conditions"
    assert event.pgh_context.metadata["channel"] == "task"


def test_digest_task_sends_the_outbox(mailoutbox):
    ConditionFactory(
        next_review_due=TODAY - datetime.timedelta(days=1), responsible_email="o@example.gov"
    )
    tasks.scan_conditions.apply()
    assert tasks.send_notification_digests.apply().get() == {"digests": 1, "notifications": 1}
    assert len(mailoutbox) == 1


def test_tasks_are_late_acked_time_limited_and_retried_with_backoff():
    for task in (tasks.scan_conditions, tasks.send_notification_digests):
        assert task.acks_late is True
        assert task.soft_time_limit < task.time_limit
        assert task.autoretry_for and task.retry_backoff and task.max_retries


def test_beat_schedules_the_daily_scan_and_hourly_digests():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    scan = schedule["conditions.tasks.scan_conditions"]
    digests = schedule["conditions.tasks.send_notification_digests"]
    # Just after midnight on the registry's clock, so each scan sees the new registry day.
    assert scan.hour == {0} and scan.minute == {5}
    assert settings.CELERY_TIMEZONE == settings.REGISTRY_TIME_ZONE == "America/New_York"
    assert digests.minute == {15} and len(digests.hour) == 24
    from config.celery import app

    assert {
        "conditions.tasks.scan_conditions",
        "conditions.tasks.send_notification_digests",
    } <= set(app.tasks)


def test_command_prints_raised_kept_resolved(capsys):
    ConditionFactory(next_review_due=TODAY - datetime.timedelta(days=1))
    call_command("scan_conditions", "--today", TODAY.isoformat())
    assert "raised 1, kept 0, resolved 0" in capsys.readouterr().out
    call_command("scan_conditions", "--today", (TODAY + datetime.timedelta(days=400)).isoformat())
    assert "raised 0, kept 1, resolved 0" in capsys.readouterr().out
    assert Flag.objects.count() == 1


def test_command_refuses_a_bad_date_and_reports_a_running_scan():
    with pytest.raises(CommandError, match="--today"):
        call_command("scan_conditions", "--today", "2025-02-30")
    with other_connection() as other:
        other.execute("SELECT pg_advisory_lock(%s)", [SCAN_LOCK_KEY])
        with pytest.raises(CommandError, match="Another scan is running"):
            call_command("scan_conditions")


def test_broker_outage_neither_blocks_nor_fails_the_caller(
    django_capture_on_commit_callbacks, caplog
):
    # The project's Celery settings, pointed at a port where no broker listens.
    app = Celery("outage", set_as_current=False)  # other tests keep the project's app
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.broker_transport_options = {"socket_connect_timeout": 2}

    @app.task(name="outage.probe")
    def probe(today=None):
        return today

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.enqueue_after_commit(probe, today=TODAY.isoformat())
    elapsed = time.monotonic() - started
    assert len(callbacks) == 1
    assert elapsed < 10
    assert "Could not queue outage.probe" in caplog.text


def test_a_starting_worker_queues_a_catch_up_scan(monkeypatch):
    """The worker_ready signal queues the scan (here run at once), and a second start
    changes nothing: the scan is idempotent."""
    from celery.signals import worker_ready

    monkeypatch.setattr(tasks.scan_conditions, "delay", lambda: tasks.scan_conditions.apply())
    due = ConditionFactory(next_review_due=TODAY + datetime.timedelta(days=10))
    assert not Flag.objects.exists()
    worker_ready.send(sender=None)
    assert list(Flag.objects.values_list("condition_id", "kind")) == [(due.pk, "review_due_soon")]
    worker_ready.send(sender=None)
    assert Flag.objects.count() == 1
