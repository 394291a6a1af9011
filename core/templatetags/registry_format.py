"""Template filters that put values in people's words: durations, days and amounts in USD."""

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import dateformat

from core.registry_day import registry_day_of
from core.registry_day import registry_time as on_registry_clock

register = template.Library()


@register.filter
def duration_words(value) -> str:
    """A timedelta as words: 30 minutes, 1 hour 30 minutes, 2 days."""
    if not isinstance(value, datetime.timedelta):
        return str(value)
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words) or "less than a minute"


@register.filter
def usd(value) -> str:
    """An amount as US dollars with separators: $320,000,000.00; empty stays empty."""
    if value is None or value == "":
        return ""
    try:
        return f"${Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return str(value)


@register.filter
def registry_time(value) -> str:
    """An instant on the registry's clock, named: Dec 7, 2026, 7:37 p.m. EST."""
    if not isinstance(value, datetime.datetime):
        return "" if value is None else str(value)
    return dateformat.format(on_registry_clock(value), "M j, Y, P T")


@register.filter
def day(value) -> str:
    """A date, or the registry's day of a moment, as people write it: Dec 7, 2026.

    The one date format of the pages (issue 30); an empty value stays empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = registry_day_of(value) if value.tzinfo else value.date()
    if not isinstance(value, datetime.date):
        return str(value)
    return f"{value:%b} {value.day}, {value.year}"
