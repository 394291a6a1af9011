"""A fast path for list GETs: a serializer's output built by a plan compiled once per request.

DRF's `Serializer.to_representation` walks every field of every row through `get_attribute`
(source lookup, callable checks, PKOnlyObject for foreign keys) and `to_representation`; on a
page of 500 agreements with their nested lists that generic walk was most of the response
time (issue 14 item 4). `row_writer` reads the same fields in the same order and gives the
same values, byte for byte (tests/api/test_rows.py compares both on every list): columns are
read straight from the instance, foreign keys as their id, nested lists through their own
plan, and any field it does not know is handed to DRF exactly as the serializer would.
"""

from collections.abc import Callable
from operator import attrgetter

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField

_SKIP = object()

# DRF fields whose to_representation returns a column's own value unchanged when the model
# column has the matching Python type (str(s), int(i), a bool as itself).
_IDENTITY = {
    serializers.CharField.to_representation: (
        models.CharField,
        models.TextField,
    ),
    serializers.IntegerField.to_representation: (models.IntegerField,),
    serializers.BooleanField.to_representation: (models.BooleanField,),
}


def row_writer(serializer: serializers.Serializer) -> Callable[[object], dict]:
    """A function that turns one instance into what `serializer.to_representation` returns."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    plan = [_step(field, model) for field in serializer._readable_fields]

    def write(instance) -> dict:
        out = {}
        for name, get, convert in plan:
            value = get(instance)
            if value is _SKIP:
                continue
            out[name] = value if value is None or convert is None else convert(value)
        return out

    return write


def _step(field, model) -> tuple:
    column = _column(field, model)
    if isinstance(field, serializers.ListSerializer) and has_standard_output(field):
        return field.field_name, _generic_get(field), _list_of(row_writer(field.child))
    if column is not None and _plain_get(field):
        if isinstance(field, PrimaryKeyRelatedField) and field.pk_field is None:
            if column.is_relation and column.many_to_one:
                return field.field_name, attrgetter(column.attname), None
        elif not column.is_relation:
            convert = field.to_representation
            if isinstance(column, _IDENTITY.get(type(field).to_representation, ())):
                convert = None
            return field.field_name, attrgetter(column.attname), convert
    return field.field_name, _generic_get(field), field.to_representation


def has_standard_output(serializer) -> bool:
    """Whether a serializer (or a list of one) builds its output the way DRF does."""
    if isinstance(serializer, serializers.ListSerializer):
        if type(serializer).to_representation is not serializers.ListSerializer.to_representation:
            return False
        serializer = serializer.child
    return type(serializer).to_representation is serializers.Serializer.to_representation


def _column(field, model):
    """The concrete model column a field reads directly, or None."""
    if model is None or len(field.source_attrs) != 1:
        return None
    try:
        column = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None
    return column if column.concrete else None


def _plain_get(field) -> bool:
    """Whether the field reads its source the standard way (no custom get_attribute)."""
    method = type(field).get_attribute
    if isinstance(field, PrimaryKeyRelatedField):
        return method is PrimaryKeyRelatedField.get_attribute and field.use_pk_only_optimization()
    return method is serializers.Field.get_attribute


def _generic_get(field):
    """DRF's own read of one field, with its SkipField and null-foreign-key handling."""

    def get(instance):
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            return _SKIP
        if isinstance(attribute, PKOnlyObject) and attribute.pk is None:
            return None
        return attribute

    return get


def _list_of(write):
    def convert(data) -> list:
        items = data.all() if isinstance(data, models.manager.BaseManager) else data
        return [write(item) for item in items]

    return convert
