"""Which change events a reader may see, as SQL conditions on one event table's read.

One rule (docs/decisions/0028-cui-markings.md, "History"): an event of a marked record
(a partner, agreement, condition, review, waiver entry) is shown when the reader may see
the record's categories as of that event and, while the record still exists, as it is now;
an event of an unmarked row (a participant, a requirement, a designation, a flag...) is
shown when the reader may see every marked record it belongs to, as it is now, one foreign
key away or, through an unmarked row (a notification's flag), two. Each condition is a
primary-key lookup per row read, so a page stays a bounded, indexed read.
"""

from django.db import connection

from core.marked import MarkedModel, visible_sql

ALLOWED = "%s::varchar[]"  # the reader's categories, one parameter per use
# `OFFSET 0` keeps each NOT EXISTS a lookup by primary key for each event read: without it
# PostgreSQL may turn the check into a join, and with no statistics for `<@` it then guesses
# that nearly every parent is hidden and sorts whole tables (or, told by `= '{}'` that almost
# none is, reads every parent to find them), where a page needs a few rows of each table.
HIDDEN_CHECK_END = " OFFSET 0"


def marking_conditions(event_model, categories) -> tuple[list[str], list]:
    """(SQL conditions on alias `e`, values) that keep the events a reader may see."""
    tracked = event_model.pgh_tracked_model
    allowed = list(categories)
    if issubclass(tracked, MarkedModel):
        now = _hidden_row(tracked, "e.pgh_obj_id")
        # `= '{}'` first (core.marked.visible_sql): PostgreSQL estimates it from statistics,
        # where for `<@` alone it guesses 0.5% of the rows and plans a sort of the whole table.
        visible_then = visible_sql("e.marking_categories", ALLOWED)
        return [visible_then, f"NOT EXISTS ({now})"], [allowed, allowed]
    where, values = [], []
    for column, path in _marked_parents(event_model):
        where.append(f"NOT EXISTS ({_hidden_path(path, f'e.{column}')})")
        values.append(allowed)
    return where, values


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _hidden_row(model, key: str) -> str:
    """A row of marked `model` with id `key` that the reader may not see."""
    return (
        f"SELECT 1 FROM {_quoted(model._meta.db_table)} p"  # noqa: S608  # nosec B608 (model names)
        f" WHERE p.id = {key} AND NOT p.marking_categories <@ {ALLOWED}{HIDDEN_CHECK_END}"
    )


def _hidden_path(path: tuple, key: str) -> str:
    """The same through one unmarked row: (middle model, its column, marked model)."""
    if len(path) == 1:
        return _hidden_row(path[0], key)
    middle, column, model = path
    return (
        f"SELECT 1 FROM {_quoted(middle._meta.db_table)} m"  # noqa: S608  # nosec B608
        f" JOIN {_quoted(model._meta.db_table)} p ON p.id = m.{_quoted(column)}"
        f" WHERE m.id = {key} AND NOT p.marking_categories <@ {ALLOWED}{HIDDEN_CHECK_END}"
    )


def _foreign_keys(model):
    return [f for f in model._meta.concrete_fields if f.many_to_one and f.related_model]


def _marked_parents(event_model) -> list[tuple[str, tuple]]:
    """(event column, path to a marked model) for each marked record an unmarked row
    belongs to: directly, or through one unmarked row."""
    columns = {f.name: f.column for f in event_model._meta.concrete_fields}
    found = []
    for field in _foreign_keys(event_model.pgh_tracked_model):
        if field.name not in columns:
            continue
        column = _quoted(columns[field.name])
        parent = field.related_model
        if issubclass(parent, MarkedModel):
            found.append((column, (parent,)))
            continue
        if not getattr(parent, "pgh_event_models", None):
            continue  # users, contexts: not records of the registry
        for grand in _foreign_keys(parent):
            if issubclass(grand.related_model, MarkedModel):
                found.append((column, (parent, grand.column, grand.related_model)))
    return found
