"""core/web/csv.py: the one way every export writes CSV."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from core.web.csv import attachment, cell, csv_response, label, labelled, neutralise, rows_of

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
