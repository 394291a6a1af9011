"""API pagination: {results, next, previous}, page_size clamped to 1..500, no COUNT(*).

Keyset ("cursor") pagination over the full ordering, tie-broken by id: each page is one
indexed range query whatever the table size or the page number. Unlike DRF's
CursorPagination it keys on every ordering field (no OFFSET for ties) and handles NULLs,
so `?ordering=` may name nullable fields such as `signed_on`.
"""

import base64
import binascii

import orjson
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.api.filters import BIGINT_MAX

_NOTHING = Q(pk__in=[])


class Pagination(BasePagination):
    """Keyset pagination with opaque cursors; `next`/`previous` are full URLs or null."""

    page_size = 50
    max_page_size = 500
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({"page_size": ["A whole number is required."]}) from None
        return max(1, min(size, self.max_page_size))

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        self.ordering = self._ordering(queryset)
        fields = [self._field(queryset.model, name) for name, _ in self.ordering]
        self.columns = [field.attname for field in fields]
        values, reverse = self._decode(request.query_params.get(self.cursor_query_param), fields)
        self.has_cursor = values is not None
        self.reverse = reverse
        scan = [(name, desc != reverse) for name, desc in self.ordering]
        queryset = queryset.order_by(*[f"-{n}" if d else n for n, d in scan])
        if values is not None:
            queryset = queryset.filter(_after(scan, fields, values))
        rows = list(queryset[: size + 1])
        self.has_more = len(rows) > size
        rows = rows[:size]
        if reverse:
            rows.reverse()
        self.page = rows
        return rows

    def get_paginated_response(self, data):
        return Response(
            {"results": data, "next": self.get_next_link(), "previous": self.get_previous_link()}
        )

    def get_next_link(self):
        if not self.page or (not self.reverse and not self.has_more):
            return None
        return self._link(self.page[-1], reverse=False)

    def get_previous_link(self):
        if not self.page or not self.has_cursor or (self.reverse and not self.has_more):
            return None
        return self._link(self.page[0], reverse=True)

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["results", "next", "previous"],
            "properties": {"results": schema, "next": link, "previous": link},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a previous page's `next` or `previous`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": "Items per page: default 50, clamped to 1..500.",
                "schema": {"type": "integer"},
            },
        ]

    # --- ordering and cursors -------------------------------------------------------------

    @staticmethod
    def _ordering(queryset) -> list[tuple[str, bool]]:
        """The queryset's explicit ordering as (field, descending), always ending with id."""
        terms = [t for t in queryset.query.order_by if isinstance(t, str)] or ["-id"]
        ordering = [(t.removeprefix("-"), t.startswith("-")) for t in terms]
        ordering = [("id" if n == "pk" else n, d) for n, d in ordering]
        if not any(n == "id" for n, _ in ordering):
            ordering.append(("id", ordering[0][1]))
        return ordering

    @staticmethod
    def _field(model, name):
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            raise ValidationError({"ordering": [f"Cannot order by {name}."]}) from None

    def ordering_columns(self, queryset) -> list[str]:
        """The columns a page's rows need for their cursors (a list read as `.values()`)."""
        return [self._field(queryset.model, name).attname for name, _ in self._ordering(queryset)]

    def _link(self, row, *, reverse: bool) -> str:
        if isinstance(row, dict):  # a page read as rows (core/api/rows.py)
            values = [row[column] for column in self.columns]
        else:
            values = [getattr(row, column) for column in self.columns]
        token = encode_cursor(values, reverse=reverse)
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, token)

    def _decode(self, token, fields):
        if not token:
            return None, False
        try:
            return decode_cursor(token, fields)
        except InvalidCursor:
            # DRF's convention: a cursor that names no position is a page that does not exist.
            raise NotFound("Invalid cursor.") from None


class InvalidCursor(ValueError):
    """A cursor that names no position (tampered, truncated, or for another ordering)."""


def encode_cursor(values: list, *, reverse: bool) -> str:
    """The opaque cursor for a boundary row's ordering values (`reverse`: a previous page)."""
    data = {"v": [_encode(value) for value in values], "r": reverse}
    return base64.urlsafe_b64encode(orjson.dumps(data)).decode()


def decode_cursor(token: str, fields: list) -> tuple[list, bool]:
    """(values, reverse) from a cursor, each value typed by its field; InvalidCursor if bad."""
    try:
        data = orjson.loads(base64.urlsafe_b64decode(token.encode()))
        values, reverse = data["v"], data["r"]
        if not isinstance(values, list) or len(values) != len(fields):
            raise ValueError
        if not isinstance(reverse, bool):
            raise ValueError
        pairs = zip(fields, values, strict=True)
        decoded = [None if v is None else _decode_value(f, v) for f, v in pairs]
    except (ValueError, TypeError, KeyError, binascii.Error, DjangoValidationError):
        raise InvalidCursor(token) from None
    return decoded, reverse


def _encode(value):
    if value is None or isinstance(value, bool | int):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _decode_value(field, raw):
    if isinstance(raw, bool) != (field.get_internal_type() == "BooleanField"):
        raise ValueError
    if not isinstance(raw, str | int) or isinstance(raw, str) and "\x00" in raw:
        raise ValueError
    value = field.to_python(raw)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > BIGINT_MAX:
        raise ValueError
    return value


def _after(scan, fields, values) -> Q:
    return keyset_after(scan, [field.null for field in fields], values)


def keyset_after(scan, nullable: list[bool], values: list) -> Q:
    """Rows strictly after `values` in the scan order (PostgreSQL: NULLs last ascending).

    `scan` is [(name, descending)], `nullable` whether each may hold NULL. The OR-chain alone
    cannot be an index condition, so a redundant bound on the first key is added (`a >= v`
    ascending, `a <= v` descending): the page then starts with an index seek, not a walk.
    """
    result = _NOTHING
    equal = Q()
    for (name, desc), null, value in zip(scan, nullable, values, strict=True):
        if value is None:
            after = Q(**{f"{name}__isnull": False}) if desc else _NOTHING
            same = Q(**{f"{name}__isnull": True})
        else:
            after = Q(**{f"{name}__lt" if desc else f"{name}__gt": value})
            if null and not desc:
                after |= Q(**{f"{name}__isnull": True})
            same = Q(**{name: value})
        result |= equal & after
        equal &= same
    return _first_key_bound(scan[0], nullable[0], values[0]) & result


def _first_key_bound(key, null: bool, value) -> Q:
    name, desc = key
    if value is None:
        return Q() if desc else Q(**{f"{name}__isnull": True})
    if desc:
        return Q(**{f"{name}__lte": value})  # NULLs sort first descending: none come after
    return Q() if null else Q(**{f"{name}__gte": value})
