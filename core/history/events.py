"""Reading the change history: pages of events labelled with their context, and filters.

The rows come from pghistory's event tables (one per tracked model). A page is a bounded
slice (core/history/slice.py): its positions are read first, then only those events are
loaded with their data, the change against the object's previous event, and their context.
One FilterSet serves the change-log page and `/api/v1/history/`.
"""

import base64
import binascii
import dataclasses
import datetime
import json
import uuid

import django_filters
from django import forms
from django.apps import apps
from django.db import connection
from pghistory.models import Events

from core.api.filters import DateFilter
from core.history.context import CHANNELS, NO_CONTEXT_CHANNEL, UNKNOWN_ACTOR
from core.history.slice import (
    CONTEXT_TABLE,
    EventFilter,
    Position,
    event_visible,
    page_positions,
)
from core.registry_day import day_bounds

# Columns every table has that say nothing a reader needs about the change itself.
HIDDEN_FIELDS = {"id", "created_at", "updated_at"}
ID_LIMIT = 2**63


def tracked_models() -> list:
    """Every model whose changes are recorded, in a stable order."""
    models = {m for m in apps.get_models() if getattr(m, "pgh_event_models", None)}
    return sorted(models, key=lambda m: m._meta.label)


def tracked_model(label: str):
    """The tracked model for `app_label.model_name` (any case), or None."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if getattr(model, "pgh_event_models", None) else None


@dataclasses.dataclass
class ChangeEvent:
    """One recorded change, with the labels of its context.

    A change made with no context (psql, `manage.py shell`) has no context row: it shows as
    actor `unknown`, channel `shell`. A service called from the shell names its actor but
    no channel, and shows as channel `shell` too.
    """

    pgh_model: str  # the event table's label, e.g. "partners.PartnerEvent"
    pgh_obj_model: str  # the tracked model's label, e.g. "partners.Partner"
    pgh_id: int
    pgh_created_at: datetime.datetime
    pgh_label: str
    pgh_obj_id: str | None
    pgh_context_id: uuid.UUID | None
    pgh_data: dict
    pgh_diff: dict | None  # {field: [before, after]} against the object's previous event
    actor: str
    channel: str
    user_id: str | None
    request_id: str | None
    task_id: str | None

    @property
    def pgh_slug(self) -> str:
        return f"{self.pgh_model}:{self.pgh_id}"


@dataclasses.dataclass
class Page:
    """One page of events, newest first, and the cursors of the pages either side."""

    events: list
    older: str | None  # cursor of the next (older) page, None at the end
    newer: str | None  # cursor of the previous (newer) page, None on the first page


def history_page(filters: EventFilter, *, size: int, cursor: str | None = None) -> Page:
    """A page of `size` events from the position a cursor names (the newest when none).
    Raises InvalidCursor for a cursor that names no position."""
    start, newer = decode_cursor(cursor) if cursor else (None, False)
    positions = page_positions(filters, size=size + 1, start=start, newer=newer)
    more = len(positions) > size
    positions = positions[1:] if newer and more else positions[:size]
    events = load_events(positions)
    if not events:
        return Page([], None, None)
    older = encode_cursor(events[-1], newer=False) if more or newer else None
    newest = start is None or (newer and not more)
    return Page(events, older, None if newest else encode_cursor(events[0], newer=True))


def object_filter(model, pk: int, categories: tuple[str, ...] = ()) -> EventFilter:
    """Events of one object and of the rows that point at it (its participants, sources...),
    those a reader allowed `categories` may see."""
    if not 0 < pk < ID_LIMIT:
        return EventFilter(empty=True)
    return EventFilter(references=(model, pk), categories=tuple(categories))


def event_by_slug(slug: str, categories: tuple[str, ...] = ()):
    """One event by its id (`app.ModelEvent:123`), reading only that event table; None
    when there is none, or when a reader allowed `categories` may not see it."""
    label, _, number = slug.rpartition(":")
    try:
        event_model = apps.get_model(label)
        pgh_id = int(number)
    except (LookupError, ValueError):
        return None
    if not hasattr(event_model, "pgh_tracked_model") or not 0 < pgh_id < 2**31:
        return None
    if not event_visible(event_model, pgh_id, categories):
        return None
    found = load_events([Position(None, event_model._meta.label, pgh_id)])
    return found[0] if found else None


class InvalidCursor(ValueError):
    """A cursor that names no position in the log."""


def encode_cursor(event: ChangeEvent, *, newer: bool) -> str:
    data = {"t": event.pgh_created_at.isoformat(), "m": event.pgh_model, "i": event.pgh_id}
    raw = json.dumps({**data, "r": newer}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_cursor(token: str) -> tuple[Position, bool]:
    """(position, newer) from a cursor; InvalidCursor when it names no position."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        at = datetime.datetime.fromisoformat(data["t"])
        label, pgh_id, newer = data["m"], data["i"], data["r"]
        event_model = apps.get_model(label)
    except (ValueError, TypeError, KeyError, AttributeError, LookupError, binascii.Error):
        raise InvalidCursor(token) from None
    valid = (
        at.tzinfo is not None
        and hasattr(event_model, "pgh_tracked_model")
        and type(pgh_id) is int
        and 0 < pgh_id < ID_LIMIT
        and isinstance(newer, bool)
    )
    if not valid:
        raise InvalidCursor(token)
    return Position(at, event_model._meta.label, pgh_id), newer


def load_events(positions: list[Position]) -> list[ChangeEvent]:
    """The events at `positions`, in that order: one statement for the whole page."""
    wanted: dict[str, list[int]] = {}
    for position in positions:
        wanted.setdefault(position.label, []).append(position.pgh_id)
    if not wanted:
        return []
    selects, params = [], []
    for label, ids in wanted.items():
        selects.append(_event_select(apps.get_model(label)))
        params += [label, ids]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        found = {(row[0], row[1]): _event(*row) for row in cursor.fetchall()}
    return [found[key] for p in positions if (key := (p.label, p.pgh_id)) in found]


def _event_select(event_model) -> str:
    """An event table's rows by id: the row, the object's previous row, the context.

    The previous row is the entry just below the event's in the `(pgh_obj_id, pgh_id)`
    index, kept only when it is the same object's: one step down that index, however many
    events the table holds. Asked as "this object's rows below this id, newest first",
    PostgreSQL drops the object from the order (it is fixed) and walks the primary key back
    from the event, filtering on the object: for a record with no earlier row (every
    "created" event) that reads the whole table, and more with every write
    (docs/decisions/0042-previous-version-by-index.md)."""
    table = connection.ops.quote_name(event_model._meta.db_table)
    return (
        "SELECT %s::text, e.pgh_id, e.pgh_created_at, e.pgh_label, e.pgh_obj_id::text,"  # noqa: S608  # nosec B608
        f" e.pgh_context_id, c.metadata, to_jsonb(e),"
        " (SELECT CASE WHEN p.pgh_obj_id = e.pgh_obj_id THEN to_jsonb(p) END"
        f"   FROM {table} p WHERE (p.pgh_obj_id, p.pgh_id) < (e.pgh_obj_id, e.pgh_id)"
        "   ORDER BY p.pgh_obj_id DESC, p.pgh_id DESC LIMIT 1)"
        f" FROM {table} e LEFT JOIN {CONTEXT_TABLE} c ON c.id = e.pgh_context_id"
        " WHERE e.pgh_id = ANY(%s)"
    )


def _event(label, pgh_id, at, action, obj_id, context_id, metadata, row, previous):
    metadata = _json(metadata) or {}
    data = {k: v for k, v in _json(row).items() if not _is_bookkeeping(k)}
    before = _json(previous)
    diff = None
    if before is not None:
        diff = {k: [before[k], v] for k, v in data.items() if k in before and before[k] != v}
    return ChangeEvent(
        pgh_model=label,
        pgh_obj_model=apps.get_model(label).pgh_tracked_model._meta.label,
        pgh_id=pgh_id,
        pgh_created_at=at,
        pgh_label=action,
        pgh_obj_id=obj_id,
        pgh_context_id=context_id,
        pgh_data=data,
        pgh_diff=diff or None,
        actor=_text(metadata.get("actor")) or UNKNOWN_ACTOR,
        channel=_text(metadata.get("channel")) or NO_CONTEXT_CHANNEL,
        user_id=_text(metadata.get("user")),
        request_id=_text(metadata.get("request_id")),
        task_id=_text(metadata.get("task_id")),
    )


def _json(value):
    # Django's PostgreSQL backend hands jsonb to raw cursors as text.
    return json.loads(value) if isinstance(value, str | bytes) else value


def _is_bookkeeping(column: str) -> bool:
    # pghistory's own columns (pgh_id, pgh_label...), left out of `data` as pghistory does.
    return column.startswith("pgh") and len(column) > 3


def _text(value) -> str | None:
    """A context value as text, as PostgreSQL's ->> gives it."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


def _object_type_choices() -> list[tuple[str, str]]:
    # A callable, read each time a form is built: a list set in __init__ was lost once the
    # schema generator had built (and cached) the filter's form field from `choices=()`.
    return [(m._meta.label, m._meta.verbose_name.capitalize()) for m in tracked_models()]


class ChangeFilterSet(django_filters.FilterSet):
    """Filters of the global change log (page and API): user, object type, channel, dates."""

    user = django_filters.CharFilter(
        field_name="actor", label="User", help_text="A username, or task:<name> for a job."
    )
    object_type = django_filters.ChoiceFilter(
        field_name="pgh_obj_model", label="Object type", choices=_object_type_choices
    )
    object_id = django_filters.CharFilter(field_name="pgh_obj_id", label="Object id")
    channel = django_filters.ChoiceFilter(label="Channel", choices=[(c, c) for c in CHANNELS])
    action = django_filters.ChoiceFilter(
        field_name="pgh_label",
        label="What",
        choices=[("insert", "created"), ("update", "changed"), ("delete", "deleted")],
    )
    date_after = DateFilter(field_name="pgh_created_at", label="From")
    date_before = DateFilter(field_name="pgh_created_at", label="To")

    class Meta:
        model = Events
        fields: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"

    def event_filter(self, categories: tuple[str, ...] = ()) -> EventFilter:
        """The valid form's values as the slice's filter (core/history/slice.py), which
        pushes each into every event table's read, for a reader allowed `categories`;
        call after `is_valid()`."""
        data = self.form.cleaned_data
        object_id = data.get("object_id") or None
        # An id is matched as the text it is stored as: "05" or "x" match nothing.
        empty = object_id is not None and not _canonical_id(object_id)
        after, before = data.get("date_after"), data.get("date_before")
        return EventFilter(
            object_type=data.get("object_type") or None,
            object_id=None if object_id is None or empty else int(object_id),
            actor=data.get("user") or None,
            channel=data.get("channel") or None,
            action=data.get("action") or None,
            since=day_bounds(after)[0] if after else None,
            until=day_bounds(before)[1] if before else None,
            empty=empty,
            categories=tuple(categories),
        )


def _canonical_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and str(int(text)) == text and int(text) < ID_LIMIT
