"""Every CSV export goes through here: columns, labels, cell values, the guard, the stream.

A cell is written as text a spreadsheet reads back the same way: dates in ISO 8601, decimals
as plain numbers (never 1E+2), None as an empty cell. Text that a spreadsheet would run as a
formula (it starts with =, +, -, @, a tab or a carriage return) gets a leading apostrophe
(OWASP's "CSV injection"). Numbers are not text a person typed: a negative amount stays a
number, -5.00, not '-5.00.
"""

import csv
import datetime
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

from django.db.models import CharField, Func, QuerySet
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


# Large exports: the rows of a queryset read with values_list, each value turned into its cell
# by a function chosen once per column instead of `cell` asking its type per value, and many
# lines handed to the response at a time. Same text as `rows_of` and `csv_response`.

# The convert of a column of ints, dates (not datetimes), booleans or None, which csv.writer
# writes as `cell` would: the value goes to the writer as it is, with no call.
AS_IS = None
# Lines handed to the response at a time: a few hundred kilobytes, constant memory.
BATCH_ROWS = 500


class Field(NamedTuple):
    """A column of a table export: its header, the values_list name it reads, and how that
    value becomes its cell (`cell` takes any value; `text`, a lookup or AS_IS are faster)."""

    header: str
    source: str
    convert: Callable[[Any], Any] | None = cell


def text(value: str | None) -> str:
    """A text value (or None) as its cell: `cell` for a column known to hold text."""
    if value is None:
        return ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Cells(dict):
    """The cells of the values known in advance; any other value's cell from `otherwise`."""

    def __init__(self, known: dict, otherwise: Callable[[Any], str]):
        super().__init__(known)
        self.otherwise = otherwise

    def __missing__(self, value):
        return self.otherwise(value)


def choice(header: str, source: str, choices) -> list[Field]:
    """`labelled` for a table: the code and its `<header>_label`, one code per value. Each
    known code's two cells are made once, by `codes` and `label`, so they are the same text."""
    names = dict(choices)
    code_cells = {code: cell(codes(code)) for code in names}
    label_cells = {code: cell(label(code, names)) for code in names}
    return [
        Field(header, source, _Cells(code_cells, lambda code: cell(codes(code))).__getitem__),
        Field(
            f"{header}_label",
            source,
            _Cells(label_cells, lambda code: cell(label(code, names))).__getitem__,
        ),
    ]


def lookup(mapping: Mapping) -> Callable[[Any], str]:
    """The cell of `mapping[value]` (e.g. a citation by provision id), each made once."""
    return {key: cell(value) for key, value in mapping.items()}.__getitem__


class IsoTimestamp(Func):
    """A timestamp column as the text `cell` gives its value (datetime.isoformat() in UTC),
    made by the database: Django's psycopg loader parses each timestamptz in Python (0.17 s
    of CPU for 40,000 values), text costs next to nothing to load. Microseconds are written
    only when there are some, as Python does; nothing else in the text can read ".000000"."""

    template = (
        "replace(to_char(%(expressions)s AT TIME ZONE 'UTC',"
        " 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '') || '+00:00'"
    )
    output_field = CharField()


def table_lines(
    fields: list[Field], rows: Iterable[tuple], *, marking: Marking | None = None
) -> Iterator[str]:
    """The marking line and header, then the rows (values_list tuples in the order of
    `sources(fields)`) as CSV text, BATCH_ROWS lines at a time."""
    names = sources(fields)
    positions = [names.index(field.source) for field in fields]
    # itemgetter of several positions gives a tuple, of one the bare value.
    spread = itemgetter(*positions) if len(positions) > 1 else lambda row: (row[positions[0]],)
    converters = [
        (position, field.convert)
        for position, field in enumerate(fields)
        if field.convert is not AS_IS
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    for line in marked([[field.header for field in fields]], marking):
        writer.writerow(map(cell, line))
    yield out.getvalue()  # before any row is read
    out.seek(0)
    out.truncate()

    def converted():
        for row in rows:
            cells = list(spread(row))
            for position, convert in converters:
                cells[position] = convert(cells[position])
            yield cells

    yield from batches(converted(), writer, out)


def batches(rows: Iterable, writer, out: io.StringIO) -> Iterator[str]:
    """`rows` written by `writer` onto `out`, the text yielded every BATCH_ROWS rows."""
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % BATCH_ROWS == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def sources(fields: list[Field]) -> list[str]:
    """The values_list names the fields read, each once, in order."""
    return list(dict.fromkeys(field.source for field in fields))


def table_response(
    fields: list[Field],
    queryset: QuerySet,
    *,
    filename: str,
    marking: Marking | None = None,
    chunk_size: int = 5000,
) -> StreamingHttpResponse:
    """`csv_response` for a large queryset: its rows read with values_list through a
    server-side cursor `chunk_size` rows at a time and written by `table_lines`."""
    rows = queryset.values_list(*sources(fields)).iterator(chunk_size=chunk_size)
    headers = {"Content-Disposition": attachment(filename)}
    if marking is not None:
        headers["X-CUI-Marking"] = marking.banner
    return StreamingHttpResponse(
        table_lines(fields, rows, marking=marking), content_type=CONTENT_TYPE, headers=headers
    )
