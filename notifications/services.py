"""Every write to congressional notifications goes through these functions."""

from core.domain import apply_changes, check_version, save_new_version, validate
from core.history.context import service
from notifications.fields import NOTIFICATION_FIELDS
from notifications.models import CongressionalNotification


@service
def notification_create(*, actor, **fields) -> CongressionalNotification:
    """A new notification from the fields in notifications.fields.NOTIFICATION_FIELDS."""
    notification = CongressionalNotification()
    apply_changes(notification, fields, allowed=set(NOTIFICATION_FIELDS))
    validate(notification)
    notification.save()
    return notification


@service
def notification_update(
    *,
    notification: CongressionalNotification,
    actor,
    expected_version: int | None = None,
    **changes,
) -> CongressionalNotification:
    notification = CongressionalNotification.objects.select_for_update().get(pk=notification.pk)
    check_version(notification, expected_version)
    apply_changes(notification, changes, allowed=set(NOTIFICATION_FIELDS))
    validate(notification)
    save_new_version(notification)
    return notification
