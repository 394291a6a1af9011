"""Celery tasks of the webhooks: thin, idempotent, receiving ids (decision 0021)."""

import logging

from celery import shared_task

from registry.webhooks import delivery

logger = logging.getLogger(__name__)


@shared_task(name="registry.tasks.dispatch_webhooks", ignore_result=True)
def dispatch_webhooks() -> int:
    """Every few seconds (beat): queue one delivery run per subscription with work due."""
    ids = delivery.due_subscription_ids()
    for subscription_id in ids:
        # A run queued behind a backlog is worthless once the next dispatch has queued another.
        deliver_webhooks.apply_async(args=[subscription_id], expires=120)
    return len(ids)


@shared_task(
    name="registry.tasks.deliver_webhooks",
    ignore_result=True,
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
)
def deliver_webhooks(subscription_id: int) -> str:
    """Send one subscription's due changes in order; queue itself again if more remain."""
    outcome = delivery.deliver_subscription(subscription_id)
    if outcome == "more":
        deliver_webhooks.apply_async(args=[subscription_id], expires=120)
    return outcome
