"""The change history a bounded slice at a time (docs/decisions/0026-bounded-history.md).

Every tracked model has its own event table. A page is read table by table, newest first,
each read an index scan on (pgh_created_at, pgh_id) with the filters and the page position
pushed into it and at most one page of rows taken; the per-table pages are then merged and
cut to one page. A page therefore reads about (tables x page size) index entries, however
long the history has grown.

The order is the event's time, then its id (`app.ModelEvent:123`: the event table, then the
row), newest first. Tables are ranked by their label in Python, so the merge never depends
on the database's collation.
"""

import dataclasses
import datetime

from django.apps import apps
from django.db import connection

from core.history.context import NO_CONTEXT_CHANNEL, UNKNOWN_ACTOR
from core.history.marking_filter import marking_conditions

CONTEXT_TABLE = "pghistory_context"  # pghistory's Context model


@dataclasses.dataclass(frozen=True)
class Position:
    """An event's place in the log: its time, its event table's label, its id there."""

    at: datetime.datetime
    label: str
    pgh_id: int


@dataclasses.dataclass(frozen=True)
class EventFilter:
    """What a log is narrowed to; each field becomes a condition inside every table's read."""

    object_type: str | None = None  # a tracked model's label, e.g. "partners.Partner"
    object_id: int | None = None
    references: tuple | None = None  # (model, pk): the record and the rows pointing at it
    actor: str | None = None
    channel: str | None = None
    action: str | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None  # exclusive
    empty: bool = False  # a value nothing can match (an id no column holds)
    # The CUI categories the reader may see (core.marked.allowed_category_codes): events of
    # records marked with any other are left out. Empty by default: uncontrolled ones only.
    categories: tuple[str, ...] = ()


def event_models() -> list:
    """Every event table's model, ranked by label (the tie-break of the log's order)."""
    found = {
        event_model
        for model in apps.get_models()
        for event_model in (getattr(model, "pgh_event_models", None) or {}).values()
    }
    return sorted(found, key=lambda m: m._meta.label)


def page_positions(filters: EventFilter, *, size: int, start=None, newer=False) -> list:
    """Up to `size` positions after `start` (older ones; newer ones when `newer`), newest
    first, whatever `newer` says. One SQL statement."""
    ranked = list(enumerate(event_models()))
    rank_of = {m._meta.label: rank for rank, m in ranked}
    branches, params = [], []
    for rank, event_model in ranked:
        where, values = _conditions(event_model, filters)
        if where is None:
            continue
        if start is not None:
            bound, bound_values = _keyset(rank, rank_of[start.label], start, newer=newer)
            where, values = [*where, bound], [*values, *bound_values]
        branches.append(_branch(event_model, rank, where, newer))
        params += [*values, size]
    if not branches:
        return []
    direction = "ASC" if newer else "DESC"
    sql = (
        "SELECT rank, pgh_id, pgh_created_at FROM ("  # noqa: S608  # nosec B608 (names from models)
        + " UNION ALL ".join(branches)
        + f") page ORDER BY pgh_created_at {direction}, rank {direction}, pgh_id {direction}"
        " LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, size])
        rows = cursor.fetchall()
    positions = [Position(at, ranked[rank][1]._meta.label, pgh_id) for rank, pgh_id, at in rows]
    return positions[::-1] if newer else positions


def _branch(event_model, rank: int, where: list[str], newer: bool) -> str:
    table = connection.ops.quote_name(event_model._meta.db_table)
    direction = "ASC" if newer else "DESC"
    return (
        f"(SELECT {int(rank)} AS rank, e.pgh_id, e.pgh_created_at FROM {table} e"  # noqa: S608  # nosec B608
        f" WHERE {' AND '.join(where) or 'TRUE'}"
        f" ORDER BY e.pgh_created_at {direction}, e.pgh_id {direction} LIMIT %s)"
    )


def _keyset(rank: int, start_rank: int, start: Position, *, newer: bool):
    """Rows strictly after `start` in this table, in the order (time, table rank, id)."""
    if rank == start_rank:
        op = ">" if newer else "<"
        return f"(e.pgh_created_at, e.pgh_id) {op} (%s, %s)", [start.at, start.pgh_id]
    # Same time, another table: the table's rank decides which side of `start` it is on.
    later_table = rank > start_rank
    if newer:
        return ("e.pgh_created_at >= %s" if later_table else "e.pgh_created_at > %s"), [start.at]
    return ("e.pgh_created_at < %s" if later_table else "e.pgh_created_at <= %s"), [start.at]


# Filters that are one indexed column of every event table: (EventFilter field, condition).
COLUMN_CONDITIONS = (
    ("object_id", "e.pgh_obj_id = %s"),
    ("action", "e.pgh_label = %s"),
    ("since", "e.pgh_created_at >= %s"),
    ("until", "e.pgh_created_at < %s"),
)


def _conditions(event_model, filters: EventFilter):
    """(SQL conditions, values) for one table, or (None, None) when it cannot match."""
    tracked = event_model.pgh_tracked_model
    if filters.empty or filters.object_type not in (None, tracked._meta.label):
        return None, None
    where, values = [], []
    if filters.references is not None:
        model, pk = filters.references
        columns = _columns_pointing_at(event_model, model)
        if not columns:
            return None, None
        where.append("(" + " OR ".join(f"e.{c} = %s" for c in columns) + ")")
        values += [pk] * len(columns)
    for name, condition in COLUMN_CONDITIONS:
        value = getattr(filters, name)
        if value is not None:
            where.append(condition)
            values.append(value)
    for key, value in (("actor", filters.actor), ("channel", filters.channel)):
        if value is not None:
            condition, condition_values = _context_condition(key, value)
            where.append(condition)
            values += condition_values
    marking_where, marking_values = marking_conditions(event_model, filters.categories)
    return [*where, *marking_where], [*values, *marking_values]


def event_visible(event_model, pgh_id: int, categories) -> bool:
    """Whether a reader with `categories` may see one event (the API's event by its id)."""
    where, values = marking_conditions(event_model, categories)
    table = connection.ops.quote_name(event_model._meta.db_table)
    sql = f"SELECT 1 FROM {table} e WHERE e.pgh_id = %s"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(" AND ".join([sql, *where]), [pgh_id, *values])
        return cursor.fetchone() is not None


def _columns_pointing_at(event_model, model) -> list[str]:
    """The event table's columns that refer to `model` (its own pgh_obj_id, foreign keys)."""
    concrete = model._meta.concrete_model
    return [
        connection.ops.quote_name(field.column)
        for field in event_model._meta.concrete_fields
        if field.related_model is not None and field.related_model._meta.concrete_model is concrete
    ]


# Context ids naming a value under a key, and context ids without that key (literal keys, so
# the expression indexes on pghistory_context apply).
_NAMED = {
    "actor": "SELECT c.id FROM pghistory_context c WHERE c.metadata->>'actor' = %s",
    "channel": "SELECT c.id FROM pghistory_context c WHERE c.metadata->>'channel' = %s",
}
_UNNAMED = {
    "actor": "SELECT c.id FROM pghistory_context c WHERE c.metadata->>'actor' IS NULL",
    "channel": "SELECT c.id FROM pghistory_context c WHERE c.metadata->>'channel' IS NULL",
}


def _context_condition(key: str, value: str):
    """Events whose context names `value` as actor or channel. Changes with no context, or a
    context without that key, read as actor `unknown` and channel `shell`
    (core.history.context), so those values also match them."""
    default = UNKNOWN_ACTOR if key == "actor" else NO_CONTEXT_CHANNEL
    if value != default:
        return f"e.pgh_context_id IN ({_NAMED[key]})", [value]
    condition = (
        f"(e.pgh_context_id IS NULL OR e.pgh_context_id IN ({_NAMED[key]})"
        f" OR e.pgh_context_id IN ({_UNNAMED[key]}))"
    )
    return condition, [value]
