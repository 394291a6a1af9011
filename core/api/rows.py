"""API list pages read as rows: `.values()` for the page, one `.values()` query per nested list.

A list GET through DRF builds a model instance for every row and nested row, a related
manager and a cloned queryset per prefetched list per row, then walks every serializer field
of every row; on a page of 500 agreements that was most of the response time (issue 14 item
4). `RowReader` gives the same output from plain rows: it reads the serializer's own fields
(so the field lists stay declared once, in `<app>/fields.py`, and the OpenAPI document is the
serializer's), maps each to the column it reads, and converts values with the field's own
`to_representation`. tests/api/test_rows.py holds every list, in every ordering, byte for
byte equal to DRF's output.

What it reads: model columns; foreign keys as their id or a slug of the related row; lists of
nested serializers over a reverse foreign key or a many-to-many relation; a list field that
names its `values_path` (relation, column); a field that names its `values_columns` and
computes itself from them with `from_columns` (the marking banner). A serializer with any
other field (a property such as `citation`, a custom `get_attribute`) is not read this way:
`for_list` answers None and the view serializes instances as before. A nested list whose own
fields are not all readable is loaded as instances for the page's parents only, and
serialized by DRF (an agreement's legal bases, which show their provision's citation).
"""

from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F
from rest_framework import relations, serializers

PARENT = "rows_parent"  # the annotation that names a nested row's parent

# Serializer class -> its reader, or None when it must be served by DRF (compiled once).
_READERS: dict[type, "RowReader | None"] = {}

# DRF fields whose to_representation gives back a column's value unchanged when the model
# column holds that Python type: str(s) for text, int(i) for integers, a bool as itself.
_UNCHANGED = (
    (serializers.CharField, (models.CharField, models.TextField)),
    (serializers.IntegerField, (models.IntegerField,)),
    (serializers.BooleanField, (models.BooleanField,)),
)


class Unreadable(Exception):
    """A serializer field that has no column to read it from."""


class RowReader:
    """How to build one serializer's output from `.values()` rows of its model.

    Compiled once per serializer class (`for_list`), from an instance made without a request:
    what a field reads depends on its declaration only. The querysets of nested lists are
    taken from each request's own queryset (its `Prefetch` lookups) when the page is read.
    """

    def __init__(self, serializer: serializers.Serializer):
        if type(serializer).to_representation is not serializers.Serializer.to_representation:
            raise Unreadable(type(serializer).__name__)
        self.model = getattr(getattr(serializer, "Meta", None), "model", None)
        if self.model is None:
            raise Unreadable(type(serializer).__name__)
        self.columns: list[str] = []
        self.steps: list[tuple[str, Callable]] = []
        self.nested: list[NestedList] = []
        for field in serializer._readable_fields:
            self.steps.append((field.field_name, self._step(field)))

    @classmethod
    def for_list(cls, serializer_class) -> "RowReader | None":
        """The reader of a list page, or None when a field cannot be read from columns."""
        if serializer_class not in _READERS:
            try:
                _READERS[serializer_class] = cls(serializer_class())
            except Unreadable:
                _READERS[serializer_class] = None
        return _READERS[serializer_class]

    def values(self, queryset, extra: list[str]) -> models.QuerySet:
        """The page's queryset as rows with the columns this reader needs (and `extra`)."""
        names = list(dict.fromkeys([*self.columns, *extra]))
        return queryset.prefetch_related(None).values(*names)

    def read(self, rows: list[dict], queryset) -> list[dict]:
        """The serializer's output for each row, in order; `queryset` the page was read from."""
        lookups = {p.prefetch_to: p for p in _prefetches(queryset)}
        ids = [row["id"] for row in rows] if self.nested else []
        lists = {nested.name: nested.read(ids, lookups) for nested in self.nested}
        out = []
        for row in rows:
            item = {}
            for name, step in self.steps:
                item[name] = step(row, lists)
            out.append(item)
        return out

    # --- compiling ----------------------------------------------------------------------------

    def _need(self, *names: str) -> None:
        self.columns.extend(n for n in names if n not in self.columns)

    def _step(self, field) -> Callable:
        if getattr(field, "values_columns", None):
            names, compute = field.values_columns, field.from_columns
            self._need(*names)
            return lambda row, lists: compute(*(row[name] for name in names))
        if isinstance(field, serializers.ListSerializer) or getattr(field, "values_path", None):
            nested = NestedList(self.model, field)
            self._need("id")
            self.nested.append(nested)
            name = nested.name
            return lambda row, lists: lists[name].get(row["id"], [])
        key, convert = self._column(field)
        self._need(key)
        if convert is None:
            return lambda row, lists: row[key]
        return lambda row, lists: None if (value := row[key]) is None else convert(value)

    def _column(self, field) -> tuple[str, Callable | None]:
        """(values key, conversion or None) of a field that reads one column of its model."""
        column = _concrete(self.model, field)
        if isinstance(field, relations.RelatedField):
            if not (column.is_relation and column.many_to_one):
                raise Unreadable(field.field_name)
            if isinstance(field, relations.SlugRelatedField):
                return f"{column.name}__{field.slug_field}", None
            if _reads_pk(field):
                return column.attname, None
            raise Unreadable(field.field_name)
        if column.is_relation or type(field).get_attribute is not serializers.Field.get_attribute:
            raise Unreadable(field.field_name)
        method = type(field).to_representation
        for drf, columns in _UNCHANGED:
            if method is drf.to_representation and isinstance(column, columns):
                return column.attname, None
        return column.attname, field.to_representation


class NestedList:
    """One nested list of a page (participants, designations, sources, area slugs)."""

    def __init__(self, model, field):
        self.name = field.field_name
        path = getattr(field, "values_path", None)
        self.source, self.slug = path if path else (field.source, None)
        relation = _relation(model, self.source)
        self.parent_key = _query_name(relation)
        self.target = relation.related_model
        self.child = field.child if isinstance(field, serializers.ListSerializer) else None
        self.reader = None
        if self.child is not None:
            try:
                self.reader = RowReader(self.child)
            except Unreadable:
                self.reader = None  # read as instances below

    def read(self, parent_ids: list, lookups: dict) -> dict:
        """{parent id: [item, ...]} for the page's parents, each list in its own order (the
        request's `Prefetch` for this relation, else the related model's default order)."""
        prefetch = lookups.get(self.source)
        if prefetch is not None and prefetch.queryset is not None:
            rows = prefetch.queryset
        else:
            rows = self.target._default_manager.all()
        rows = rows.filter(**{f"{self.parent_key}__in": parent_ids})
        rows = rows.annotate(**{PARENT: F(self.parent_key)})
        grouped = defaultdict(list)
        if self.slug is not None:
            for row in rows.values(PARENT, self.slug):
                grouped[row[PARENT]].append(row[self.slug])
        elif self.reader is None:
            for instance in rows:
                grouped[getattr(instance, PARENT)].append(self.child.to_representation(instance))
        else:
            page = list(self.reader.values(rows, [PARENT]))
            for row, item in zip(page, self.reader.read(page, rows), strict=True):
                grouped[row[PARENT]].append(item)
        return grouped


def _reads_pk(field) -> bool:
    """A primary-key field that answers the related row's id as it is."""
    return (
        isinstance(field, relations.PrimaryKeyRelatedField)
        and field.pk_field is None
        and type(field).get_attribute is relations.RelatedField.get_attribute
    )


def _prefetches(queryset) -> list:
    return [p for p in queryset._prefetch_related_lookups if isinstance(p, models.Prefetch)]


def _concrete(model, field):
    if len(field.source_attrs) != 1:
        raise Unreadable(field.field_name)
    try:
        column = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        raise Unreadable(field.field_name) from None
    if not column.concrete:
        raise Unreadable(field.field_name)
    return column


def _relation(model, source: str):
    try:
        relation = model._meta.get_field(source)
    except FieldDoesNotExist:
        raise Unreadable(source) from None
    if not (relation.one_to_many or relation.many_to_many):
        raise Unreadable(source)
    return relation


def _query_name(relation) -> str:
    """The name the related model's rows use to filter by their parent."""
    if isinstance(relation, models.ManyToManyField):
        return relation.related_query_name()
    return relation.field.name  # a reverse foreign key or a reverse many-to-many
