"""Keyset pages for the HTML lists: the API's cursors (core/api/pagination.py) over a sort key
that may follow relations (`condition__partner__name`) or name an annotation (a count).

Each page is one query: `ORDER BY key, id LIMIT n + 1` from the boundary row's (key, id), an
index seek whatever the page's depth, with no OFFSET and no COUNT(*).
"""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, QuerySet

from core.api.pagination import InvalidCursor, decode_cursor, encode_cursor, keyset_after

__all__ = ["InvalidCursor", "KeysetPage", "keyset_page"]


@dataclass
class KeysetPage:
    """One page of rows and the cursors of the pages either side (None at an end)."""

    rows: list
    next_cursor: str | None = None
    previous_cursor: str | None = None
    has_cursor: bool = False  # False on the first page (no "First" link needed)
    object_list: list = field(init=False)

    def __post_init__(self):
        self.object_list = self.rows

    def has_next(self) -> bool:
        return self.next_cursor is not None

    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)


def keyset_page(queryset: QuerySet, token: str | None, size: int) -> KeysetPage:
    """The page of `queryset` (ordered by strings, ending with pk) that `token` points at.

    Raises InvalidCursor when the token names no position in this ordering.
    """
    queryset, keys = _keyed(queryset)
    fields = [output for _, _, output, _ in keys]
    values, reverse = decode_cursor(token, fields) if token else (None, False)
    scan = [(alias, desc != reverse) for alias, desc, _, _ in keys]
    queryset = queryset.order_by(*[f"-{alias}" if desc else alias for alias, desc in scan])
    if values is not None:
        queryset = queryset.filter(keyset_after(scan, [k[3] for k in keys], values))
    rows = list(queryset[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    if reverse:
        rows.reverse()
    page = KeysetPage(rows, has_cursor=values is not None)
    if rows and (reverse or more):
        page.next_cursor = _cursor(rows[-1], keys, reverse=False)
    if rows and values is not None and (not reverse or more):
        page.previous_cursor = _cursor(rows[0], keys, reverse=True)
    return page


def _keyed(queryset: QuerySet) -> tuple[QuerySet, list[tuple]]:
    """The queryset with each ordering term readable on its rows, and the keys:
    (alias, descending, output field, nullable), the last always the primary key."""
    terms = [t for t in queryset.query.order_by if isinstance(t, str)]
    model = queryset.model
    keys, annotations = [], {}
    for position, term in enumerate(terms):
        path, desc = term.removeprefix("-"), term.startswith("-")
        if path in ("pk", "id", model._meta.pk.name):
            keys.append(("pk", desc, model._meta.pk, False))
            break
        if path in queryset.query.annotations:
            output = queryset.query.annotations[path].output_field
            keys.append((path, desc, output, output.null))
            continue
        alias = f"keyset_{position}"
        annotations[alias] = F(path)
        keys.append((alias, desc, *_target(model, path)))
    else:
        keys.append(("pk", keys[0][1] if keys else False, model._meta.pk, False))
    return queryset.annotate(**annotations), keys


def _target(model, path: str) -> tuple:
    """The field `path` ends at, and whether the value may be NULL on the way (a null
    foreign key joins as NULL even to a NOT NULL column)."""
    nullable = False
    for part in path.split("__"):
        try:
            target = model._meta.get_field(part)
        except FieldDoesNotExist:
            raise ValueError(f"Cannot keyset-paginate on {path}.") from None
        nullable = nullable or target.null
        model = target.related_model
    if target.is_relation:  # ordering by a foreign key orders by its column
        target = target.target_field
    return target, nullable


def _cursor(row, keys, *, reverse: bool) -> str:
    values = [row.pk if alias == "pk" else getattr(row, alias) for alias, _, _, _ in keys]
    return encode_cursor(values, reverse=reverse)
