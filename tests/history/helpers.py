"""Helpers for the history tests: the events of an object, newest first."""

from core.history.events import history_page
from core.history.slice import EventFilter


def events_of(obj, label: str | None = None) -> list:
    model = type(obj)._meta.concrete_model
    filters = EventFilter(object_type=model._meta.label, object_id=obj.pk, action=label)
    return history_page(filters, size=500).events


def last_event(obj, label: str | None = None):
    events = events_of(obj, label)
    return events[0] if events else None
