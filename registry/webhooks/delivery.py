"""Sending the feed to a subscription, in order, signed, with backoff (decision 0021).

The feed is the outbox: its rows are written in the transaction that made the change, and
each subscription keeps its own cursor. One worker at a time delivers a subscription (a
session advisory lock, released by PostgreSQL if the worker dies); it posts the changes after
the cursor one by one and moves the cursor after each success. A failure stops the run and
schedules the next attempt with exponential backoff and jitter; after WEBHOOK_PAUSE_AFTER
of failures the subscription is paused and its admin told. A change may be sent twice (a
worker killed after the receiver answered, before the cursor moved): receivers drop repeats
by `webhook-id`, which is the same on every attempt.
"""

import contextlib
import dataclasses
import datetime
import json
import random
import time

import urllib3
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from standardwebhooks import Webhook

from core.marked import allowed_category_codes
from registry.changes import FeedChange, changes_after
from registry.models import WebhookDelivery, WebhookSubscription
from registry.webhooks.services import feed_filter, signing_secrets, tell_owner_paused
from registry.webhooks.targets import TargetRefused, TargetSession

LOCK_CLASS = 2021  # advisory lock (2021, subscription id): one deliverer per subscription
BATCH = 100


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def webhook_id(subscription_id: int, change_id: int) -> str:
    """The message id: the same on every attempt, so receivers can drop repeats."""
    return f"msg_{subscription_id}_{change_id}"


def payload(change: FeedChange) -> str:
    body = {
        "type": f"{change.resource}.{change.action}",
        "timestamp": change.occurred_at.isoformat(),
        "data": change.as_json(),
    }
    return json.dumps(body, separators=(",", ":"))


def backoff(attempts: int, *, rng=random) -> datetime.timedelta:
    """Exponential backoff with jitter: about base·2^(n−1), capped, between half and all."""
    base = _setting("WEBHOOK_BACKOFF_BASE_SECONDS", 10)
    cap = _setting("WEBHOOK_BACKOFF_CAP_SECONDS", 3600)
    ceiling = min(cap, base * 2 ** min(attempts - 1, 30))
    return datetime.timedelta(seconds=rng.uniform(ceiling / 2, ceiling))  # noqa: S311


@dataclasses.dataclass
class Attempt:
    ok: bool
    response_code: int | None
    latency_ms: int
    error: str = ""


def signed_headers(subscription: WebhookSubscription, change: FeedChange, body: str) -> dict:
    now = timezone.now()
    message_id = webhook_id(subscription.pk, change.id)
    signatures = [
        Webhook(secret).sign(message_id, now, body)
        for secret in signing_secrets(subscription, now=now)
    ]
    return {
        "content-type": "application/json",
        "user-agent": "dtc-registry-webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),  # both secrets during a rotation
    }


# The delivery log says what happened in these words only, never the target's own text
# (a reason phrase, an exception naming a host or port): issue 25.
OUTCOME_NOT_ALLOWED = "address not allowed"
OUTCOME_TIMEOUT = "timeout"
OUTCOME_NO_CONNECTION = "no connection"
OUTCOME_NOT_ACCEPTED = "not accepted"


def send(subscription: WebhookSubscription, change: FeedChange, *, session) -> Attempt:
    body = payload(change)
    headers = signed_headers(subscription, change, body)
    timeouts = (
        _setting("WEBHOOK_CONNECT_TIMEOUT_SECONDS", 3),
        _setting("WEBHOOK_READ_TIMEOUT_SECONDS", 10),
    )
    started = time.monotonic()
    try:
        response = session.post(
            subscription.url, body=body.encode(), headers=headers, timeout=timeouts
        )
    except TargetRefused:
        return Attempt(False, None, 0, OUTCOME_NOT_ALLOWED)
    except urllib3.exceptions.NewConnectionError:  # (urllib3 makes it a kind of timeout)
        elapsed = int((time.monotonic() - started) * 1000)
        return Attempt(False, None, elapsed, OUTCOME_NO_CONNECTION)
    except urllib3.exceptions.TimeoutError:
        return Attempt(False, None, int((time.monotonic() - started) * 1000), OUTCOME_TIMEOUT)
    except (urllib3.exceptions.HTTPError, OSError):
        elapsed = int((time.monotonic() - started) * 1000)
        return Attempt(False, None, elapsed, OUTCOME_NO_CONNECTION)
    elapsed = int((time.monotonic() - started) * 1000)
    ok = 200 <= response.status < 300
    return Attempt(ok, response.status, elapsed, "" if ok else OUTCOME_NOT_ACCEPTED)


@contextlib.contextmanager
def subscription_lock(subscription_id: int):
    """A session lock (never held in a transaction): True when this worker may deliver."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, subscription_id])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, subscription_id])


def deliver_subscription(subscription_id: int, *, budget_seconds: float = 20) -> str:
    """Send what is due to one subscription, for up to `budget_seconds`.

    Returns `busy` (another worker has it), `waiting` (paused, or backing off), `idle`
    (nothing left), `failed` (an attempt failed; the next one is scheduled) or `more`
    (the budget ran out with changes left: the caller queues another run).
    """
    with subscription_lock(subscription_id) as held:
        if not held:
            return "busy"
        subscription = WebhookSubscription.objects.select_related("owner").get(pk=subscription_id)
        now = timezone.now()
        if subscription.status != WebhookSubscription.Status.ACTIVE or (
            subscription.next_attempt_at and subscription.next_attempt_at > now
        ):
            return "waiting"
        resources, kinds = feed_filter(subscription.kinds)
        # Only changes of records the subscription's owner may see (decision 0028).
        categories = tuple(allowed_category_codes(subscription.owner))
        deadline = time.monotonic() + budget_seconds
        with TargetSession() as session:
            while time.monotonic() < deadline:
                cursor = (subscription.cursor_position, subscription.cursor_id)
                batch = changes_after(
                    cursor, resources=resources, kinds=kinds, limit=BATCH, categories=categories
                )
                if not batch:
                    return "idle"
                for change in batch:
                    attempt = send(subscription, change, session=session)
                    _record(subscription, change, attempt)
                    if not attempt.ok:
                        return "failed"
                    if time.monotonic() >= deadline:
                        break
        return "more"


def _record(subscription: WebhookSubscription, change: FeedChange, attempt: Attempt) -> None:
    """Log the attempt and move the cursor (success) or schedule the retry (failure)."""
    now = timezone.now()
    status = WebhookDelivery.Status.DELIVERED if attempt.ok else WebhookDelivery.Status.FAILED
    with transaction.atomic():
        WebhookDelivery.objects.create(
            subscription=subscription,
            change_id=change.id,
            webhook_id=webhook_id(subscription.pk, change.id),
            attempt=subscription.attempts + 1,
            status=status,
            response_code=attempt.response_code,
            latency_ms=attempt.latency_ms,
            error=attempt.error,
            attempted_at=now,
        )
        if attempt.ok:
            subscription.cursor_position, subscription.cursor_id = change.position, change.id
            subscription.last_delivered_at = now
            subscription.failing_since = subscription.next_attempt_at = None
            subscription.attempts = 0
        else:
            subscription.attempts += 1
            subscription.failing_since = subscription.failing_since or now
            subscription.next_attempt_at = now + backoff(subscription.attempts)
            pause_after = datetime.timedelta(
                seconds=_setting("WEBHOOK_PAUSE_AFTER_SECONDS", 24 * 3600)
            )
            if now - subscription.failing_since >= pause_after:
                subscription.status = WebhookSubscription.Status.PAUSED
                subscription.paused_at = now
                subscription.pause_reason = (
                    f"Every attempt failed for {pause_after}; last: "
                    f"{attempt.response_code or attempt.error}"
                )[:300]
        subscription.save(
            update_fields=[
                "cursor_position",
                "cursor_id",
                "last_delivered_at",
                "failing_since",
                "attempts",
                "next_attempt_at",
                "status",
                "paused_at",
                "pause_reason",
                "updated_at",
            ]
        )
    if subscription.status == WebhookSubscription.Status.PAUSED:
        tell_owner_paused(subscription)


def due_subscription_ids() -> list[int]:
    """Active subscriptions whose backoff has passed and that have changes to send."""
    now = timezone.now()
    due = []
    candidates = WebhookSubscription.objects.filter(
        status=WebhookSubscription.Status.ACTIVE
    ).select_related("owner")
    for subscription in candidates.exclude(next_attempt_at__gt=now):
        resources, kinds = feed_filter(subscription.kinds)
        cursor = (subscription.cursor_position, subscription.cursor_id)
        # The same changes the run would send: what the owner may see, or it would be queued
        # every few seconds for changes it never sends.
        categories = tuple(allowed_category_codes(subscription.owner))
        if changes_after(cursor, resources=resources, kinds=kinds, limit=1, categories=categories):
            due.append(subscription.pk)
    return due
