"""Every CSV export goes through here: columns, labels, cell values, the guard, the stream.

A cell is written as text a spreadsheet reads back the same way: dates in ISO 8601, decimals
as plain numbers (never 1E+2), None as an empty cell. Text that a spreadsheet would run as a
formula (it starts with =, +, -, @, a tab or a carriage return) gets a leading apostrophe
(OWASP's "CSV injection"). Numbers are not text a person typed: a negative amount stays a
number, -5.00, not '-5.00.
"""

import csv
import datetime
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse

from core.markings import Marking

CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Several codes in one cell are separated by spaces; their labels, which hold spaces, by "; ".
LABEL_SEPARATOR = "; "

# A column: its header and how to read its value from one record (a model or a dict).
Column = tuple[str, Callable[[Any], Any]]


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as written instead of running it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _decimal(value: Decimal) -> str:
    return format(value, "f")


# The exact types an export mostly holds, each with its text: one dict lookup per cell
# instead of a chain of isinstance checks (subclasses take the chain below).
_EXACT: dict[type, Callable[[Any], str]] = {
    type(None): lambda value: "",
    bool: str,
    int: str,
    float: str,
    Decimal: _decimal,
    datetime.date: datetime.date.isoformat,
    datetime.datetime: datetime.datetime.isoformat,
}


def cell(value: Any) -> str:
    """One value as the text of a CSV cell (see the module docstring)."""
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    exact = _EXACT.get(kind)
    if exact is not None:
        return exact(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return neutralise(str(value))


def label(code: Any, choices: Iterable[tuple[str, str]] | Mapping[str, str]) -> str:
    """The label of a choice code, or of several codes (a list), for the `_label` column.

    An unknown code is shown as itself rather than hidden; no code is an empty cell."""
    names = choices if isinstance(choices, Mapping) else dict(choices)
    if code is None or code == "":
        return ""
    if isinstance(code, list | tuple):
        return LABEL_SEPARATOR.join(str(names.get(c, c)) for c in code)
    return str(names.get(code, code))


def codes(code: Any) -> Any:
    """A choice code as it is, several (a list) separated by spaces."""
    return " ".join(code) if isinstance(code, list | tuple) else code


def labelled(name: str, value: Callable[[Any], Any], choices) -> list[Column]:
    """Two columns: the code under `name` for machines, its label under `<name>_label` for
    people, e.g. `*labelled("action", lambda e: e.action, WaiverEntry.Action.choices)`.

    `value` reads one code or a list of codes from a record."""
    names = dict(choices)
    return [
        (name, lambda record: codes(value(record))),
        (f"{name}_label", lambda record: label(value(record), names)),
    ]


def rows_of(columns: list[Column], records: Iterable[Any]) -> Iterator[list[Any]]:
    """The header, then one line per record, each value read by its column."""
    yield [name for name, _ in columns]
    for record in records:
        yield [value(record) for _, value in columns]


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can stream."""

    def write(self, value: str) -> str:
        return value


def lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row (header first) as one line of CSV text, every cell through `cell`."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(map(cell, row))


def attachment(filename: str) -> str:
    """The Content-Disposition value that makes a browser save the download as `filename`."""
    return f'attachment; filename="{filename}"'


def marked(rows: Iterable[Iterable[Any]], marking: Marking | None) -> Iterable[Iterable[Any]]:
    """The rows after a first line holding the CUI banner, when the export holds CUI.

    An export of uncontrolled records starts with its header, as it always has: uncontrolled
    information carries no marking (docs/decisions/0028-cui-markings.md)."""
    if marking is None or not marking.is_cui:
        return rows
    return itertools.chain([[marking.banner]], rows)


def csv_response(
    rows: Iterable[Iterable[Any]],
    *,
    filename: str,
    status: int = 200,
    marking: Marking | None = None,
) -> StreamingHttpResponse:
    """The rows streamed as a CSV download, one line at a time in constant memory; the
    marking of a CUI export as its first line and its X-CUI-Marking header."""
    headers = {"Content-Disposition": attachment(filename)}
    if marking is not None:
        headers["X-CUI-Marking"] = marking.banner
    return StreamingHttpResponse(
        lines(marked(rows, marking)),
        content_type=CONTENT_TYPE,
        status=status,
        headers=headers,
    )
