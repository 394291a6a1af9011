"""Notifications as the registry recorded them at the end of a day (core/history/as_of.py)."""

import datetime

from core.history.as_of import end_of_day, state_as_of
from notifications.models import CongressionalNotification


def notification_as_of(pk: int, day: datetime.date) -> dict | None:
    """A notification's recorded fields at the end of `day`, or None if it did not exist."""
    return state_as_of(CongressionalNotification, pk, end_of_day(day))
