"""Webhook subscriptions: create, change, rotate the secret, pause and resume (decision 0021).

Only admins manage subscriptions (the API checks); each service takes the acting user.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.domain import check_version, save_new_version
from registry.changes import feed_head
from registry.models import RESOURCES, Change, WebhookSubscription
from registry.webhooks import secrets
from registry.webhooks.targets import check_url

logger = logging.getLogger(__name__)

# `flags.raised` is a flag created; any `<resource>.<action>` narrows a resource to an action.
ALIASES = {"flags.raised": "flags.created"}
# Every kind a subscription may name (the API's enum).
KINDS = [
    *RESOURCES,
    *(f"{resource}.{action}" for resource in RESOURCES for action in Change.Action.values),
    *ALIASES,
]
DEFAULT_OVERLAP = datetime.timedelta(hours=24)


def check_kinds(kinds: list[str]) -> list[str]:
    """Resource names or `<resource>.<action>` pairs; a ValidationError naming `kinds`."""
    if not kinds:
        raise ValidationError({"kinds": ["Name at least one kind of change."]})
    actions = set(Change.Action.values)
    for kind in kinds:
        resource, _, action = ALIASES.get(kind, kind).partition(".")
        if resource not in RESOURCES or (action and action not in actions):
            raise ValidationError(
                {
                    "kinds": [
                        f"Unknown kind {kind!r}: use a resource ({', '.join(RESOURCES)}), "
                        "`<resource>.<action>` or `flags.raised`."
                    ]
                }
            )
    return sorted(set(kinds))


def feed_filter(kinds: list[str]) -> tuple[list[str], list[str]]:
    """(resources, resource.action pairs) for registry.changes.changes_after."""
    resolved = [ALIASES.get(kind, kind) for kind in kinds]
    return [k for k in resolved if "." not in k], [k for k in resolved if "." in k]


@transaction.atomic
def subscription_create(
    *, actor, url: str, kinds: list[str], description: str = ""
) -> tuple[WebhookSubscription, str]:
    """A subscription from the current head of the feed; returns it and its secret (once)."""
    secret = secrets.new_secret()
    position, change_id = feed_head()
    subscription = WebhookSubscription(
        url=check_url(url),
        kinds=check_kinds(kinds),
        description=description,
        owner=actor,
        secret_encrypted=secrets.encrypt(secret),
        cursor_position=position,
        cursor_id=change_id,
    )
    subscription.full_clean()
    subscription.save()
    logger.info("Webhook subscription %s created by %s", subscription.pk, actor)
    return subscription, secret


@transaction.atomic
def subscription_update(
    *, subscription: WebhookSubscription, actor, expected_version: int | None = None, **fields
) -> WebhookSubscription:
    """Change the URL, kinds or description."""
    subscription = _lock(subscription)
    check_version(subscription, expected_version)
    if "kinds" in fields:
        fields["kinds"] = check_kinds(fields["kinds"])
    if "url" in fields:
        fields["url"] = check_url(fields["url"])
    for name in ("url", "kinds", "description"):
        if name in fields:
            setattr(subscription, name, fields[name])
    subscription.full_clean()
    save_new_version(subscription)
    return subscription


@transaction.atomic
def subscription_rotate_secret(
    *, subscription: WebhookSubscription, actor, overlap: datetime.timedelta = DEFAULT_OVERLAP
) -> tuple[WebhookSubscription, str]:
    """A new secret signs from now on; the old one signs beside it until `overlap` ends."""
    subscription = _lock(subscription)
    secret = secrets.new_secret()
    subscription.previous_secret_encrypted = subscription.secret_encrypted
    subscription.previous_secret_expires_at = timezone.now() + overlap
    subscription.secret_encrypted = secrets.encrypt(secret)
    save_new_version(subscription)
    logger.info("Webhook subscription %s secret rotated by %s", subscription.pk, actor)
    return subscription, secret


@transaction.atomic
def subscription_pause(
    *, subscription: WebhookSubscription, actor, reason: str = "Paused by an admin."
) -> WebhookSubscription:
    return _change(
        subscription,
        status=WebhookSubscription.Status.PAUSED,
        paused_at=timezone.now(),
        pause_reason=reason[:300],
    )


@transaction.atomic
def subscription_resume(*, subscription: WebhookSubscription, actor) -> WebhookSubscription:
    """Active again, from the last change delivered: everything after it is replayed."""
    subscription = _change(
        subscription,
        status=WebhookSubscription.Status.ACTIVE,
        paused_at=None,
        pause_reason="",
        failing_since=None,
        attempts=0,
        next_attempt_at=None,
    )
    logger.info("Webhook subscription %s resumed by %s", subscription.pk, actor)
    return subscription


def _lock(subscription: WebhookSubscription) -> WebhookSubscription:
    """The subscription's row, locked until the transaction ends."""
    return WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)


def _change(subscription: WebhookSubscription, **values) -> WebhookSubscription:
    """Lock the subscription's row, set the values and save them as a new version."""
    subscription = _lock(subscription)
    for name, value in values.items():
        setattr(subscription, name, value)
    save_new_version(subscription)
    return subscription


def signing_secrets(subscription: WebhookSubscription, *, now=None) -> list[str]:
    """The current secret, and the previous one while its overlap lasts."""
    now = now or timezone.now()
    keys = [secrets.decrypt(subscription.secret_encrypted)]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret_encrypted and expires and now < expires:
        keys.append(secrets.decrypt(subscription.previous_secret_encrypted))
    return keys


def tell_owner_paused(subscription: WebhookSubscription) -> None:
    """Email the subscription's admin that it was paused (logged too; never raises)."""
    logger.warning(
        "Webhook subscription %s (%s) paused: %s",
        subscription.pk,
        subscription.url,
        subscription.pause_reason,
    )
    email = subscription.owner.email
    if not email:
        return
    try:
        send_mail(
            subject=f"Webhook subscription {subscription.pk} paused",
            message=(
                f"Deliveries to {subscription.url} have failed since "
                f"{subscription.failing_since:%Y-%m-%d %H:%M} UTC, so the subscription was "
                f"paused: {subscription.pause_reason}\n\nFix the receiver, then resume the "
                "subscription; it replays every change after the last one delivered."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )
    except Exception:  # a mail outage must not undo the pause
        logger.exception("Could not email the owner of webhook subscription %s", subscription.pk)
