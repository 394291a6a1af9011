"""Point in time: rows as they stood at the end of a day, rebuilt from the event tables.

The pieces each app's snapshot is built from (agreements/snapshots.py,
conditions/snapshots.py, partners/snapshots.py): a snapshot is a plain dict shaped like the
API's record, or None when the record did not exist yet (or had been deleted) at the end of
that day: the registry's day (REGISTRY_TIME_ZONE), whose end core.registry_day.day_bounds
gives as a UTC instant to compare with the events' timestamps.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from core.domain import parse_iso_date
from core.registry_day import day_bounds, registry_day_of


def parse_as_of(raw: str) -> datetime.date:
    """The `as_of` query value as a date; a ValidationError naming `as_of` otherwise."""
    try:
        return parse_iso_date(raw)
    except ValueError as error:
        raise ValidationError({"as_of": [str(error)]}) from None


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after the registry day `day`: changes before it count."""
    return day_bounds(day)[1]


def _events(model):
    return model.pgh_event_models["insert"].objects


def _as_dict(model, event) -> dict:
    """The tracked row's values in an event, keyed by field name (foreign keys as ids); fields
    the history leaves out (derived ones, such as a search vector) are not in the snapshot."""
    return {
        f.name: getattr(event, f.attname)
        for f in model._meta.concrete_fields
        if hasattr(event, f.attname)
    }


def state_as_of(model, pk, moment: datetime.datetime) -> dict | None:
    """One row as recorded just before `moment`, or None if it did not exist then."""
    event = (
        _events(model).filter(pgh_obj_id=pk, pgh_created_at__lt=moment).order_by("-pgh_id").first()
    )
    if event is None or event.pgh_label == "delete":
        return None
    return _as_dict(model, event)


def rows_as_of(model, moment: datetime.datetime, **match) -> list[dict]:
    """Rows of `model` that matched `match` (e.g. agreement=5) just before `moment`."""
    ever = _events(model).filter(pgh_created_at__lt=moment, **match).values("pgh_obj_id")
    latest = (
        _events(model)
        .filter(pgh_obj_id__in=ever, pgh_created_at__lt=moment)
        .order_by("pgh_obj_id", "-pgh_id")
        .distinct("pgh_obj_id")
    )
    rows = [_as_dict(model, e) for e in latest if e.pgh_label != "delete"]
    return sorted(
        (r for r in rows if all(_id(r[k]) == _id(v) for k, v in match.items())),
        key=lambda r: r["id"],
    )


def _id(value):
    return getattr(value, "pk", value)


def children_as_of(model, moment, drop: str, **match) -> list[dict]:
    """Child rows (e.g. an agreement's participants) without their id and parent column."""
    return [
        {k: v for k, v in row.items() if k not in ("id", drop)}
        for row in rows_as_of(model, moment, **match)
    ]


def jsonable(value):
    """Dates as YYYY-MM-DD, decimals as numbers: the API's own conventions."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def first_recorded(model, pk) -> datetime.date | None:
    """The registry day the row was first recorded (its first history event), if ever."""
    first = _events(model).filter(pgh_obj_id=pk).order_by("pgh_id").first()
    return registry_day_of(first.pgh_created_at) if first is not None else None
