"""History diffs in people's words: choice labels, the names of linked records, money in USD.

Events store raw column values (codes, ids, "300000000.00"). A page of events is shown with
one query per kind of linked record, whatever the number of events.
"""

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ForeignObjectRel

from core.history.events import HIDDEN_FIELDS, tracked_model

EMPTY = "(empty)"


def readable_changes(events) -> list[list[tuple[str, str, str]]]:
    """For each event, its (field label, before, after) in words; a page at a time."""
    raw = [(event, _raw_changes(event)) for event in events]
    names = _linked_names(item for _, changes in raw for item in changes)
    return [
        [
            (_label(field, name), _shown(field, old, names), _shown(field, new, names))
            for name, field, old, new in changes
        ]
        for _, changes in raw
    ]


def _raw_changes(event) -> list[tuple]:
    model = tracked_model(event.pgh_obj_model)
    fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
    if event.pgh_label == "update":
        items = [(k, old, new) for k, (old, new) in sorted((event.pgh_diff or {}).items())]
    elif event.pgh_label == "delete":
        items = [(k, v, None) for k, v in sorted((event.pgh_data or {}).items())]
    else:
        items = [(k, None, v) for k, v in sorted((event.pgh_data or {}).items())]
    return [(k, fields.get(k), old, new) for k, old, new in items if k not in HIDDEN_FIELDS]


def readable_rows(model, rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Rows of `model` as plain values keyed by field name (a snapshot's, foreign keys as
    ids): their column labels, and each row's values in words (names, labels, USD)."""
    keys = list(rows[0]) if rows else []
    fields = [_field(model, key) for key in keys]
    names = _linked_names(
        (key, field, row[key], None)
        for row in rows
        for key, field in zip(keys, fields, strict=True)
    )
    headers = [_label(field, key) for key, field in zip(keys, fields, strict=True)]
    values = [
        [_shown(field, row[key], names) for key, field in zip(keys, fields, strict=True)]
        for row in rows
    ]
    return headers, values


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # e.g. a snapshot's derived list: shown as it is
        return None


def _linked_names(changes) -> dict:
    """{(model, id): name} for every linked record the changes mention: one query per model."""
    wanted = defaultdict(set)
    for _, field, old, new in changes:
        if isinstance(field, models.ForeignKey):
            for value in (old, new):
                if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                    wanted[field.related_model].add(int(value))
    names = {}
    for model, ids in wanted.items():
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            names[(model, pk)] = str(obj)
    return names


def _label(field, name: str) -> str:
    if field is None:
        return name.replace("_", " ")
    if isinstance(field, ForeignObjectRel):  # a snapshot's list of related ids
        return str(field.related_model._meta.verbose_name_plural).capitalize()
    label = str(field.verbose_name)
    if isinstance(field, models.DecimalField) and name.endswith("_usd"):
        label = label.removesuffix(" usd") + " (USD)"
    return label[:1].upper() + label[1:]


def _shown(field, value, names) -> str:
    if value is None or value == "":
        return EMPTY
    if field is None:
        return str(value)
    if isinstance(field, ForeignObjectRel):
        return f"{len(value)} recorded by then" if isinstance(value, list) else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        key = (field.related_model, int(value)) if str(value).isdigit() else None
        return names.get(key, f"#{value} (no longer exists)")
    if isinstance(field, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(field, models.DecimalField) and field.name.endswith("_usd"):
        try:
            return f"${Decimal(str(value)):,.2f}"
        except InvalidOperation:
            return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or EMPTY
    return str(value)
