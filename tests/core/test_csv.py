"""core/web/csv.py: the one way every export writes CSV."""

import datetime
import re
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import DateTimeField, Value

from core.markings import Marking
from core.web.csv import (
    AS_IS,
    BATCH_ROWS,
    Field,
    IsoTimestamp,
    attachment,
    cell,
    choice,
    csv_response,
    label,
    labelled,
    lines,
    lookup,
    marked,
    neutralise,
    rows_of,
    table_lines,
    text,
)

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ["config", "core", "partners", "agreements", "conditions", "registry"]
CHOICES = [("co_production", "Co-production"), ("framework", "Framework / umbrella MOU")]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_a_formula_is_neutralised(start):
    assert neutralise(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert cell(f"{start}cmd") == f"'{start}cmd"


def test_other_text_is_written_as_it_is():
    assert cell("Egypt") == "Egypt"
    assert cell("a=b") == "a=b"
    assert cell(" =1") == " =1"
    assert cell("") == ""


def test_numbers_stay_numbers_even_when_negative():
    assert cell(-5) == "-5"
    assert cell(Decimal("-5.00")) == "-5.00"
    assert cell(-1.5) == "-1.5"
    # The same characters typed as text could be a formula's start, so text is guarded.
    assert cell("-5") == "'-5"


def test_values_are_formatted_for_spreadsheets():
    assert cell(None) == ""
    assert cell(0) == "0"
    assert cell(True) == "True"
    assert cell(Decimal("320000000.00")) == "320000000.00"
    assert cell(Decimal("1E+2")) == "100"  # a plain number, never scientific notation
    assert cell(datetime.date(2025, 6, 30)) == "2025-06-30"
    stamp = datetime.datetime(2025, 6, 30, 12, 5, tzinfo=datetime.UTC)
    assert cell(stamp) == "2025-06-30T12:05:00+00:00"


def test_labels_of_one_code_several_codes_and_none():
    assert label("co_production", CHOICES) == "Co-production"
    assert label(["co_production", "framework"], CHOICES) == (
        "Co-production; Framework / umbrella MOU"
    )
    assert label("unknown_code", CHOICES) == "unknown_code"  # shown, not hidden
    assert label(None, CHOICES) == "" and label("", CHOICES) == "" and label([], CHOICES) == ""


def test_labelled_puts_a_label_column_beside_the_code():
    columns = [
        ("reference", lambda r: r["reference"]),
        *labelled("types", lambda r: r["types"], CHOICES),
        *labelled("type", lambda r: r["type"], CHOICES),
    ]
    records = [{"reference": "DTC-1", "types": ["co_production", "framework"], "type": "framework"}]
    assert list(rows_of(columns, records)) == [
        ["reference", "types", "types_label", "type", "type_label"],
        [
            "DTC-1",
            "co_production framework",
            "Co-production; Framework / umbrella MOU",
            "framework",
            "Framework / umbrella MOU",
        ],
    ]


def test_a_streamed_response_yields_the_header_before_reading_any_record():
    read = []

    def records():
        for number in (1, 2):
            read.append(number)
            yield {"n": number, "name": f"=row {number}"}

    columns = [("n", lambda r: r["n"]), ("name", lambda r: r["name"])]
    response = csv_response(rows_of(columns, records()), filename="things-2025-06-30.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="things-2025-06-30.csv"'
    chunks = iter(response.streaming_content)
    assert next(chunks) == b"n,name\r\n"
    assert read == []  # constant memory: nothing is read before the header has gone
    assert list(chunks) == [b"1,'=row 1\r\n", b"2,'=row 2\r\n"]


def test_an_error_response_keeps_its_status():
    response = csv_response(
        [["error"], ["as_of: Enter a valid date."]], filename="x.csv", status=400
    )
    assert response.status_code == 400
    assert b"".join(response.streaming_content) == b"error\r\nas_of: Enter a valid date.\r\n"


def test_attachment_names_the_file():
    assert attachment("waivers-20250630-120500.csv") == (
        'attachment; filename="waivers-20250630-120500.csv"'
    )


def test_every_export_writes_csv_through_core_web_csv():
    """No second CSV writer or text/csv response grows back beside core/web/csv.py; operator
    commands and benchmarks, which write files rather than responses, may use csv directly."""
    allowed = ROOT / "core" / "web" / "csv.py"
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if path == allowed or "management" in path.parts or "bench" in path.name:
                continue
            text = path.read_text()
            if re.search(r"csv\.(writer|DictWriter)\(|text/csv", text):
                found.append(str(path.relative_to(ROOT)))
    assert found == []


# The table path (table_lines, table_response): values_list rows, a convert chosen per column.
TABLE_FIELDS = [
    Field("n", "n", AS_IS),
    Field("name", "name", text),
    *choice("type", "type", CHOICES),
    Field("act", "act_id", lookup({1: "Section 1 of the Act", 2: "-2 U.S.C. 1"})),
    Field("amount", "amount"),  # `cell`, the default
    Field("on", "on", AS_IS),
    Field("at", "at"),
    Field("secret", "secret", AS_IS),
]
TABLE_ROWS = [
    (1, "=cmd", "framework", 1, Decimal("1E+2"), datetime.date(2025, 6, 30), None, False),
    (2, None, "unknown_code", 2, None, None, datetime.datetime(2025, 6, 30, 12, 5), True),
    (3, "-5", "", 1, Decimal("-5.00"), None, None, None),
    (4, "\ttab", None, 1, Decimal("0.10"), None, None, False),
    (5, "Egypt", "=HYPERLINK(1)", 2, None, None, None, False),
]


def test_a_table_writes_the_same_text_as_rows_of_and_cell():
    """The fast path writes what the one-cell-at-a-time path writes: each label, the guard,
    an unknown or empty code, numbers, dates and None."""
    names = ["n", "name", "type", "act_id", "amount", "on", "at", "secret"]
    records = [dict(zip(names, row, strict=True)) for row in TABLE_ROWS]
    citations = {1: "Section 1 of the Act", 2: "-2 U.S.C. 1"}
    columns = [
        ("n", lambda r: r["n"]),
        ("name", lambda r: r["name"]),
        *labelled("type", lambda r: r["type"], CHOICES),
        ("act", lambda r: citations[r["act_id"]]),
        *[(name, lambda r, name=name: r[name]) for name in ("amount", "on", "at", "secret")],
    ]
    marking = Marking.of(["EXPT"])
    expected = "".join(lines(marked(rows_of(columns, records), marking)))
    assert "".join(table_lines(TABLE_FIELDS, TABLE_ROWS, marking=marking)) == expected
    assert expected.splitlines()[2:4] == [
        "1,'=cmd,framework,Framework / umbrella MOU,Section 1 of the Act,100,2025-06-30,,False",
        "2,,unknown_code,unknown_code,'-2 U.S.C. 1,,,2025-06-30T12:05:00,True",
    ]
    assert "5,Egypt,'=HYPERLINK(1),'=HYPERLINK(1)," in expected  # an unknown code is guarded


def test_a_table_sends_its_header_before_reading_a_row_then_batches_of_lines():
    read = []

    def rows():
        for number in range(BATCH_ROWS + 1):
            read.append(number)
            yield (number, f"@{number}")

    chunks = table_lines([Field("n", "n", AS_IS), Field("name", "name", text)], rows())
    assert next(chunks) == "n,name\r\n"
    assert read == []  # constant memory: nothing is read before the header has gone
    batch = next(chunks)
    assert batch.count("\r\n") == BATCH_ROWS and batch.startswith("0,'@0\r\n")
    assert len(read) == BATCH_ROWS  # the next batch is not read yet
    assert list(chunks) == [f"{BATCH_ROWS},'@{BATCH_ROWS}\r\n"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stamp",
    [
        datetime.datetime(2025, 6, 30, 12, 5, tzinfo=datetime.UTC),  # no microseconds
        datetime.datetime(2025, 6, 30, 12, 5, 7, 120, tzinfo=datetime.UTC),
        datetime.datetime(2025, 1, 2, 23, 59, 59, 999999, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo")),
        datetime.datetime(999, 1, 2, 3, 4, 5, 600000, tzinfo=datetime.UTC),
    ],
)
def test_the_database_writes_a_timestamp_as_cell_writes_it(stamp):
    value = Value(stamp, output_field=DateTimeField())
    written = ContentType.objects.annotate(at=IsoTimestamp(value)).values_list("at", flat=True)
    utc = stamp.astimezone(datetime.UTC)
    assert written.first() == cell(utc)
