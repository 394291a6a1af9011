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
import math

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
    first, whatever `newer` says. One SQL statement, or a few for a frequent user or channel
    (see `_walked_positions`)."""
    if _walk_for(filters):
        positions = _walked_positions(filters, size=size, start=start, newer=newer)
    else:
        positions = _positions(filters, size=size, start=start, newer=newer)
    return positions[::-1] if newer else positions


def _positions(filters: EventFilter, *, size: int, start, newer: bool, labels=False) -> list:
    """Up to `size` positions after `start`, in the order read (newest first, or oldest first
    when `newer`): each table's page read through its index, merged and cut. With `labels`,
    (position, the event's context labels [actor, channel] or None) instead."""
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
        branches.append(_branch(event_model, rank, where, newer, context=labels))
        params += [*values, size]
    if not branches:
        return []
    direction = "ASC" if newer else "DESC"
    order = f"ORDER BY pgh_created_at {direction}, rank {direction}, pgh_id {direction}"
    sql = (
        "SELECT rank, pgh_id, pgh_created_at, pgh_context_id FROM ("  # noqa: S608  # nosec B608 (names from models)
        + " UNION ALL ".join(branches)
        + f") page {order} LIMIT %s"
    )
    if labels:  # looked up for the rows taken only: one lookup by primary key each
        sql = f"SELECT rank, pgh_id, pgh_created_at, {_LABELS} FROM ({sql}) page {order}"  # noqa: S608  # nosec B608 (constant SQL)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, size])
        rows = cursor.fetchall()
    found = [
        (Position(at, ranked[r][1]._meta.label, pgh_id), extra) for r, pgh_id, at, extra in rows
    ]
    return found if labels else [position for position, _ in found]


def _branch(event_model, rank: int, where: list[str], newer: bool, *, context: bool) -> str:
    table = connection.ops.quote_name(event_model._meta.db_table)
    direction = "ASC" if newer else "DESC"
    # The context only when asked for: the time index alone answers a page (index-only).
    context_id = "e.pgh_context_id" if context else "NULL::uuid"
    return (
        f"(SELECT {int(rank)} AS rank, e.pgh_id, e.pgh_created_at, {context_id} AS pgh_context_id"  # noqa: S608  # nosec B608
        f" FROM {table} e WHERE {' AND '.join(where) or 'TRUE'}"
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


# A user or channel filter is read one of two ways (docs/decisions/0026-bounded-history.md).
# For a value few contexts name, each table's read keeps `pgh_context_id IN (its contexts)`:
# PostgreSQL reads that value's events through the context index and sorts them, a cost that
# grows with that value's own history only. For a value on many events that would be most of
# the log, so the log is walked instead: every table's index merged newest first, each event
# read checked against its context, until a page is found. A value on one event in k reads
# about k events per event shown, however long the history is.
WALK_MIN_SHARE = 0.01  # walk for a value named by at least this share of all contexts,
WALK_MIN_CONTEXTS = 100  # and by at least this many
WALK_FIRST_READ = 16  # events read at first, per event wanted; doubled on each further read
WALK_MAX_READ = 20_000


def _walked_positions(filters: EventFilter, *, size: int, start, newer: bool) -> list:
    """Up to `size` positions after `start` that the user or channel filter selects, read by
    walking the log in order (the other filters and the marking still inside each table's
    read), a growing number of events at a time, each checked against its context."""
    unlabelled = dataclasses.replace(filters, actor=None, channel=None)
    found, read_size = [], size * WALK_FIRST_READ
    while True:
        read = _positions(unlabelled, size=read_size, start=start, newer=newer, labels=True)
        found += [position for position, labels in read if _labels_match(filters, labels)]
        if len(found) >= size or len(read) < read_size:
            return found[:size]
        start, read_size = read[-1][0], min(read_size * 2, WALK_MAX_READ)


# An event's context labels, looked up for the events a walk read only (`page` its read).
_LABELS = (
    "(SELECT ARRAY[c.metadata->>'actor', c.metadata->>'channel']"
    " FROM pghistory_context c WHERE c.id = page.pgh_context_id)"
)


def _labels_match(filters: EventFilter, labels) -> bool:
    actor, channel = labels or (None, None)  # no context row: neither label
    return filters.actor in (None, actor) and filters.channel in (None, channel)


def _walk_for(filters: EventFilter) -> bool:
    """Whether to walk the log for this filter: it names a user or a channel, each of them
    named by many contexts. Not for `unknown` and `shell`, which also match the changes made
    with no context (those are not counted here)."""
    named = {"actor": filters.actor, "channel": filters.channel}
    named = {key: value for key, value in named.items() if value is not None}
    defaults = {UNKNOWN_ACTOR, NO_CONTEXT_CHANNEL}
    if not named or filters.empty or any(value in defaults for value in named.values()):
        return False
    if filters.object_id is not None or filters.references is not None:
        return False  # one record's events: few, and found by their own index
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [CONTEXT_TABLE])
        contexts = max(cursor.fetchone()[0], 0)  # PostgreSQL's estimate; -1 before ANALYZE
        enough = max(WALK_MIN_CONTEXTS, math.ceil(contexts * WALK_MIN_SHARE))
        for key, value in named.items():
            # Counted up to `enough` only: a frequent value costs no more than a rare one.
            cursor.execute(f"SELECT count(*) FROM ({_NAMED[key]} LIMIT %s) named", [value, enough])  # noqa: S608  # nosec B608 (constant SQL)
            if cursor.fetchone()[0] < enough:
                return False
    return True


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
