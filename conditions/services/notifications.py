"""Sending the notification outbox: one digest email per responsible office.

The scan writes a `Notification` row with every flag it raises, in the same statement.
This service sends the unsent rows grouped by office and recipient. Each digest is sent
inside the transaction that locks its rows (`FOR UPDATE SKIP LOCKED`, so two senders never
pick the same rows) and marks them sent; the commit follows the send. A crash between the
send and the commit leaves the rows unsent and the digest goes out again on the next run:
at least once, never lost (docs/decisions/0011).
"""

import dataclasses
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from conditions.models import Notification

logger = logging.getLogger(__name__)

DIGEST_LIMIT = 500  # rows per email; an office with more gets several digests in one run
MAX_DIGESTS_PER_RUN = 10_000


@dataclasses.dataclass(frozen=True)
class DigestResult:
    """How many digests went out and how many outbox rows they carried."""

    digests: int = 0
    notifications: int = 0


def notifications_send(*, limit: int = DIGEST_LIMIT) -> DigestResult:
    """Send every unsent notification, one digest per (office, recipient)."""
    digests = sent = 0
    for _ in range(MAX_DIGESTS_PER_RUN):
        count = _send_one_digest(limit=limit)
        if count == 0:
            break
        digests += 1
        sent += count
    unaddressed = _unsendable().count()
    if unaddressed:
        logger.warning(
            "%s notifications have no recipient; set the office's responsible_email "
            "or NOTIFICATIONS_FALLBACK_EMAIL.",
            unaddressed,
        )
    return DigestResult(digests=digests, notifications=sent)


def _fallback() -> str:
    return getattr(settings, "NOTIFICATIONS_FALLBACK_EMAIL", "") or ""


def _sendable():
    unsent = Notification.objects.filter(sent_at__isnull=True)
    return unsent if _fallback() else unsent.exclude(recipient="")


def _unsendable():
    if _fallback():
        return Notification.objects.none()
    return Notification.objects.filter(sent_at__isnull=True, recipient="")


@transaction.atomic
def _send_one_digest(*, limit: int) -> int:
    """Lock, send and mark one office's unsent rows; 0 when nothing is left to send."""
    first = (
        _sendable()
        .select_for_update(skip_locked=True)
        .order_by("office", "recipient", "id")
        .values("office", "recipient")
        .first()
    )
    if first is None:
        return 0
    rows = list(
        _sendable()
        .filter(office=first["office"], recipient=first["recipient"])
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("flag__condition")
        .order_by("id")[:limit]
    )
    recipient = first["recipient"] or _fallback()
    _digest_email(office=first["office"], recipient=recipient, rows=rows).send()
    Notification.objects.filter(pk__in=[row.pk for row in rows], sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    return len(rows)


def _digest_email(*, office: str, recipient: str, rows: list[Notification]) -> EmailMessage:
    plural = "" if len(rows) == 1 else "s"
    lines = [
        f"{len(rows)} new flag{plural} for {office} in the defense technology cooperation "
        "registry:",
        "",
    ]
    for row in rows:
        lines += [row.subject, row.body, ""]
    return EmailMessage(
        subject=f"[Registry] {len(rows)} new flag{plural} for {office}",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
    )
