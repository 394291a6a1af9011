"""Celery tasks: thin wrappers that receive ids and dates and call services."""

import dataclasses
import datetime
import logging

from celery import shared_task
from celery.signals import worker_ready
from django.db import DatabaseError, transaction

from conditions.services import notifications as notification_services
from conditions.services import scan as scan_services
from core.registry_day import registry_today

logger = logging.getLogger(__name__)

# Retried with exponential backoff (30 s, 60 s, ... capped at 15 min) when the database is
# unreachable; acks_late so a worker lost mid-scan leaves the message to be redelivered.
RETRYING = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 30,
    "retry_backoff_max": 15 * 60,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(
    name="conditions.tasks.scan_conditions", soft_time_limit=25 * 60, time_limit=30 * 60, **RETRYING
)
def scan_conditions(self, today: str | None = None) -> dict:
    """The daily flag scan; `today` is an ISO date (default: the registry day)."""
    day = datetime.date.fromisoformat(today) if today else registry_today()
    result = scan_services.scan_conditions(today=day, task_id=self.request.id)
    return dataclasses.asdict(result)


@worker_ready.connect
def scan_when_a_worker_starts(sender=None, **kwargs) -> None:
    """A starting worker queues a catch-up scan: beat's daily one runs at 00:05, so a
    registry started (or restarted) later would read 0 flags until the next day while the
    dashboard lists the reviews due. The scan is idempotent and skips while another runs."""
    scan_conditions.delay()


@shared_task(
    name="conditions.tasks.send_notification_digests",
    soft_time_limit=10 * 60,
    time_limit=12 * 60,
    **RETRYING,
)
def send_notification_digests(self) -> dict:
    """The hourly outbox run: one digest email per responsible office."""
    return dataclasses.asdict(notification_services.notifications_send())


def enqueue_after_commit(task, **kwargs) -> None:
    """Queue `task` once the current transaction commits, never failing the caller.

    A web request that asks for background work must not wait on, or fail because of, the
    broker: publishing gives up after the short connection timeout in settings, and the
    error is logged. Nothing is lost, because the work itself is in PostgreSQL (the outbox,
    the flags) and the scheduled runs pick it up.
    """

    def publish():
        try:
            task.apply_async(kwargs=kwargs, retry=False)
        except Exception:  # any broker error; the scheduled run catches up
            logger.warning("Could not queue %s; the scheduled run will catch up.", task.name)

    transaction.on_commit(publish)


@shared_task(name="conditions.tasks.verify_ledger", bind=True)
def verify_ledger(self) -> dict:
    """Daily: re-check the waiver ledger; a failure shows as an alert on the dashboard."""
    from conditions.services.ledger import ledger_verify
    from core.history.context import history_context

    actor = "task:verify_ledger"
    with history_context(actor=actor, channel="task", task_id=self.request.id):
        check = ledger_verify(actor=actor)
    return {"ok": check.ok, "check": check.pk, "message": check.message}
