"""Reading a bulk-import file (CSV or JSON) into typed records and format errors.

The file format is described in docs/decisions/0012-reports-and-bulk-import.md.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.postgres.fields import ArrayField
from django.db import models

from agreements.fields import AGREEMENT_FIELDS, PARTICIPANT_FIELDS
from agreements.models import Agreement, AgreementParticipant, Provision
from conditions.fields import CONDITION_FIELDS, REQUIREMENT_FIELDS, WAIVER_FIELDS
from conditions.models import Condition, ConditionRequirement, WaiverEntry
from core.domain import DATE_RANGE_MESSAGE, parse_iso_date
from partners.fields import PARTNER_FIELDS
from partners.models import Partner

MAX_ROWS = 20000
# A record: {field: value or [values], "participants": [{field: value or [values]}]}.
MAX_RECORD_DEPTH = 4
TEXT, DATE, DECIMAL, INT, BOOL, LIST = "text", "date", "decimal", "int", "bool", "list"
PROVISION_KEYS = {"codification": TEXT, "act": TEXT, "section": TEXT}


def _column_type(field) -> str:
    """How a column of the file is read: by the type of the model field it fills."""
    if isinstance(field, ArrayField):
        return LIST
    if isinstance(field, models.BooleanField):
        return BOOL
    if isinstance(field, models.DateField):
        return DATE
    if isinstance(field, models.DecimalField):
        return DECIMAL
    if isinstance(field, models.IntegerField):
        return INT
    return TEXT  # text, choices, and a record named by its natural key


def _columns(model, names) -> dict:
    """The columns of the fields `names` of `model`; a provision takes three columns,
    e.g. `authority_codification`, or `authority_act` and `authority_section`."""
    columns = {}
    for name in names:
        field = model._meta.get_field(name)
        if field.is_relation and field.related_model is Provision:
            columns.update({f"{name}_{key}": kind for key, kind in PROVISION_KEYS.items()})
        else:
            columns[name] = _column_type(field)
    return columns


# Each record's columns are its fields (the field specs of the apps), and the natural keys
# that place a row: its agreement or condition, and a waiver entry's key within the file.
COLUMNS = {
    "partner": _columns(Partner, PARTNER_FIELDS),
    "agreement": {**_columns(Agreement, AGREEMENT_FIELDS), "technology_areas": LIST},
    "participant": {"agreement": TEXT, **_columns(AgreementParticipant, PARTICIPANT_FIELDS)},
    "condition": _columns(Condition, CONDITION_FIELDS),
    "requirement": {
        "condition": TEXT,
        "condition_partner": TEXT,
        **_columns(ConditionRequirement, REQUIREMENT_FIELDS),
    },
    "waiver": {
        "entry_key": TEXT,
        "condition": TEXT,
        "condition_partner": TEXT,
        **_columns(WaiverEntry, WAIVER_FIELDS),
    },
}
# Children travel with their parent (CSV rows of their own, or nested lists in JSON).
CHILDREN = {
    "participant": ("agreement", "participants"),
    "requirement": ("condition", "requirements"),
}


@dataclass(frozen=True)
class RowError:
    row: int | str
    field: str
    message: str


@dataclass
class Record:
    row: int | str
    kind: str
    data: dict
    children: list = field(default_factory=list)


# ----- reading ---------------------------------------------------------------------------


def read_records(content: str, *, filename: str = "") -> tuple[list[Record], list[RowError]]:
    """Parse a CSV or JSON file into typed records and every row's format errors."""
    stripped = content.lstrip("\ufeff").lstrip()
    is_json = filename.lower().endswith(".json") or stripped[:1] in ("[", "{")
    try:
        raw = _json_rows(stripped) if is_json else _csv_rows(stripped)
    except FileError as error:
        return [], [RowError(error.row, "file", str(error))]
    except ValueError as error:
        return [], [RowError(0, "file", str(error))]
    if len(raw) > MAX_ROWS:
        return [], [RowError(0, "file", f"At most {MAX_ROWS} rows per file.")]
    records, errors = [], []
    for row, data in raw:
        record, row_errors = _typed(row, data)
        errors.extend(row_errors)
        if record:
            records.append(record)
    return _attach_children(records, errors)


class FileError(ValueError):
    """A file that cannot be read as records at all, with the row where reading stopped."""

    def __init__(self, message: str, row: int | str = 0):
        super().__init__(message)
        self.row = row


def _csv_rows(content: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(content))
    try:
        fieldnames = reader.fieldnames
        if not fieldnames or "record_type" not in fieldnames:
            raise FileError("A CSV file needs a header row with a record_type column.")
        twice = sorted({name for name in fieldnames if fieldnames.count(name) > 1})
        if twice:
            raise FileError(f"The header names a column twice: {', '.join(twice)}.", 1)
        # Row numbers are spreadsheet lines: the header is line 1.
        return [
            (
                reader.line_num,
                {k: v for k, v in row.items() if k is not None and v not in ("", None)},
            )
            for row in reader
        ]
    except csv.Error as error:
        # csv refuses a field over its limit (128 KiB) or a stray quote; say where and why.
        limit = csv.field_size_limit()
        problem = (
            f"A field is longer than {limit // 1024} KiB."
            if "field larger than field limit" in str(error)
            else "This line is not valid CSV (check its quotes)."
        )
        row = reader.line_num + 1  # the row being read began on the line after the last
        raise FileError(f"Row {row}: {problem} Nothing was read.", row) from None


def _json_rows(content: str) -> list[tuple[int | str, dict]]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        raise ValueError(f"Not valid JSON: {error.msg} (line {error.lineno}).") from error
    except RecursionError:
        raise ValueError("The JSON is nested too deeply to be records.") from None
    if isinstance(data, dict):
        data = data.get("records")
    if not isinstance(data, list):
        raise ValueError('JSON must be a list of records or {"records": [...]}.')
    rows = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            rows.append((index, {"record_type": None}))
            continue
        if _depth(item) > MAX_RECORD_DEPTH:
            raise FileError(
                f"Record {index} is nested too deeply: a record holds values, "
                "lists of values, and participant or requirement rows.",
                index,
            )
        item = dict(item)
        kind = item.get("record_type")
        for child_kind, (parent_field, list_name) in CHILDREN.items():
            if CHILDREN[child_kind][0] == kind and isinstance(item.get(list_name), list):
                for position, child in enumerate(item.pop(list_name)):
                    child = dict(child) if isinstance(child, dict) else {}
                    child.update(record_type=child_kind, **{parent_field: _parent_key(kind, item)})
                    if child_kind == "requirement":
                        child["condition_partner"] = item.get("partner")
                    rows.append((f"{index}.{list_name}[{position}]", child))
        rows.append((index, item))
    return rows


def _depth(value) -> int:
    """How deeply lists and objects nest in `value` (a plain value is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            level += 1
            deepest = max(deepest, level)
            if level <= MAX_RECORD_DEPTH:
                stack.extend(
                    (v, level) for v in (item.values() if isinstance(item, dict) else item)
                )
    return deepest


def _parent_key(kind: str, item: dict):
    return item.get("reference") if kind == "agreement" else item.get("title")


def _typed(row, data: dict) -> tuple[Record | None, list[RowError]]:
    kind = data.pop("record_type", None)
    if not isinstance(kind, str) or kind not in COLUMNS:
        allowed = ", ".join(COLUMNS)
        return None, [RowError(row, "record_type", f"Unknown record type {kind!r}; use {allowed}.")]
    columns, values, errors = COLUMNS[kind], {}, []
    for name, raw in data.items():
        if name not in columns:
            errors.append(RowError(row, name, f"Not a column of a {kind} record."))
            continue
        try:
            values[name] = _convert(columns[name], raw)
        except ValueError as error:
            errors.append(RowError(row, name, str(error)))
    return Record(row, kind, values), errors


def _convert(kind: str, raw):
    if raw is None or raw == "":
        return [] if kind == LIST else None
    if kind == LIST:
        items = raw if isinstance(raw, list) else str(raw).replace(";", " ").split()
        return [str(item).strip() for item in items if str(item).strip()]
    if isinstance(raw, list | dict):
        raise ValueError("Expected a single value, not a list.")
    text = str(raw).strip()
    if "\x00" in text:
        raise ValueError("Contains a NUL character, which the registry cannot store.")
    shown = text if len(text) <= 40 else f"{text[:40]}…"
    if kind == DATE:
        try:
            return parse_iso_date(text)
        except ValueError as error:
            if str(error) == DATE_RANGE_MESSAGE:
                raise ValueError(f"“{shown}” is out of range. {error}") from None
            raise ValueError(f"“{shown}” is not a date (YYYY-MM-DD).") from None
    if kind == DECIMAL:
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"“{shown}” is not a number.") from None
        if not number.is_finite():
            raise ValueError(f"“{shown}” is not an amount (a finite number is needed).")
        return number
    if kind == INT:
        if not re.fullmatch(r"-?[0-9]{1,18}", text):
            raise ValueError(f"“{shown}” is not a whole number.")
        return int(text)
    if kind == BOOL:
        if text.lower() in ("true", "yes", "1", "y"):
            return True
        if text.lower() in ("false", "no", "0", "n"):
            return False
        raise ValueError(f"“{text}” is not true or false.")
    return text


def _attach_children(records: list[Record], errors: list[RowError]):
    parents = {}
    for record in records:
        if record.kind == "agreement":
            parents[("agreement", (record.data.get("reference") or "").lower())] = record
        elif record.kind == "condition":
            key = (record.data.get("title"), (record.data.get("partner") or "").lower())
            parents[("condition", key)] = record
    top = []
    for record in records:
        if record.kind not in CHILDREN:
            top.append(record)
            continue
        parent_kind = CHILDREN[record.kind][0]
        if parent_kind == "agreement":
            key = (record.data.get("agreement") or "").lower()
        else:
            key = (
                record.data.get("condition"),
                (record.data.get("condition_partner") or "").lower(),
            )
        parent = parents.get((parent_kind, key))
        if parent is None:
            message = (
                f"A {record.kind} is imported with its {parent_kind}: add the {parent_kind} "
                "row to this file."
            )
            errors.append(RowError(record.row, parent_kind, message))
            continue
        parent.children.append(record)
    return top, errors
