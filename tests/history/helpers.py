"""Helpers for the history tests: the newest recorded event of an object."""

from core.history.events import change_events


def events_of(obj, label: str | None = None):
    events = change_events().filter(pgh_obj_model=obj._meta.label, pgh_obj_id=str(obj.pk))
    return events.filter(pgh_label=label) if label else events


def last_event(obj, label: str | None = None):
    return events_of(obj, label).order_by("-pgh_created_at", "-pgh_id").first()
