"""The registry's calendar: its day (in REGISTRY_TIME_ZONE, not UTC) and federal fiscal years.

Timestamps are stored in UTC; every "today" (flag windows, "in effect", report defaults,
the `designation` filter) is the date in Washington, so that at 20:00 Eastern the registry
does not already live in tomorrow (CONTRACT.md v1.1).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone


def registry_time_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(getattr(settings, "REGISTRY_TIME_ZONE", "America/New_York"))


def registry_today() -> datetime.date:
    """Today's date in the registry's time zone."""
    return timezone.now().astimezone(registry_time_zone()).date()


def fiscal_year(day: datetime.date) -> int:
    """The federal fiscal year of a day: FY N runs 1 October N-1 through 30 September N."""
    return day.year + 1 if day.month >= 10 else day.year
