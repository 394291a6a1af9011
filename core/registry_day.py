"""The registry's calendar: its day (in REGISTRY_TIME_ZONE, not UTC) and federal fiscal years.

Timestamps are stored in UTC; `day_bounds` is the one place a registry day becomes UTC
instants (e.g. "as recorded at the end of D"). Every "today" (flag windows, "in effect",
report defaults, the `designation` filter) is the date in Washington, so that at 20:00
Eastern the registry does not already live in tomorrow (CONTRACT.md v1.1).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone


def registry_time_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(getattr(settings, "REGISTRY_TIME_ZONE", "America/New_York"))


def registry_today() -> datetime.date:
    """Today's date in the registry's time zone."""
    return registry_day_of(timezone.now())


def registry_day_of(moment: datetime.datetime) -> datetime.date:
    """The registry day an instant (e.g. a history event's UTC timestamp) falls on."""
    return moment.astimezone(registry_time_zone()).date()


def registry_time(moment: datetime.datetime) -> datetime.datetime:
    """An instant on the registry's clock, for people to read."""
    return moment.astimezone(registry_time_zone())


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The registry day `day` as the UTC instants [start, end): its first instant and the
    first instant of the day after, in REGISTRY_TIME_ZONE (23, 24 or 25 hours apart).

    The one place a registry day becomes time: "as recorded on D" (`?as_of=`, snapshots,
    history slices), the change log's day filter and every date range over timestamps.
    """
    zone = registry_time_zone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def fiscal_year(day: datetime.date) -> int:
    """The federal fiscal year of a day: FY N runs 1 October N-1 through 30 September N."""
    return day.year + 1 if day.month >= 10 else day.year
