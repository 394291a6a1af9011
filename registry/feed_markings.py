"""Which feed changes a reader may see: one SQL expression over the change's record.

A feed row names its record by `resource` and `object_id` (a participant's or a
requirement's change is already an `updated` change of its agreement or condition). A change
is left out when that record, as it is now, carries a CUI category the reader may not see
(docs/decisions/0028-cui-markings.md, "Change feed and webhooks"); a flag follows its
condition and agreement. Each check is one primary-key lookup per change read, evaluated only
for the change's own resource, so a page of the feed stays a bounded, indexed read.
"""

from django.apps import apps
from django.db import connection

from core.marked import MarkedModel

ALLOWED = "%(allowed)s::varchar[]"


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _hidden_select(model) -> str | None:
    """Whether the record `c.object_id` of `model` is hidden (a scalar subquery), or None
    when its records are never marked nor belong to a marked one."""
    table = _quoted(model._meta.db_table)
    if issubclass(model, MarkedModel):
        return (
            f"(SELECT NOT r.marking_categories <@ {ALLOWED}"  # noqa: S608  # nosec B608
            f" FROM {table} r WHERE r.id = c.object_id)"
        )
    parents = [
        f
        for f in model._meta.concrete_fields
        if f.many_to_one and f.related_model and issubclass(f.related_model, MarkedModel)
    ]
    if not parents:
        return None
    joins = " ".join(
        f"LEFT JOIN {_quoted(f.related_model._meta.db_table)} p{n}"
        f" ON p{n}.id = r.{_quoted(f.column)}"
        for n, f in enumerate(parents)
    )
    allowed = " AND ".join(
        f"COALESCE(p{n}.marking_categories, '{{}}') <@ {ALLOWED}" for n in range(len(parents))
    )
    return f"(SELECT NOT ({allowed}) FROM {table} r {joins} WHERE r.id = c.object_id)"  # noqa: S608  # nosec B608


def hidden_change_sql(sources: dict) -> str:
    """An SQL condition, true for a change (alias `c`) the reader may not see; it takes the
    parameter `allowed` (the reader's categories). `sources`: label -> FeedSource."""
    branches = []
    for label, source in sources.items():
        if not source.resource:
            continue  # rows of another record's list: a change of that record
        select = _hidden_select(apps.get_model(label))
        if select is not None:
            branches.append(f"WHEN '{source.resource}' THEN {select}")
    return f"COALESCE(CASE c.resource {' '.join(branches)} END, false)"
