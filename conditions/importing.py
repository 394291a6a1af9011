"""Bulk import of partners, agreements, conditions and waiver entries from CSV or JSON.

Every row goes through the same service a form would call (partner_create,
agreement_create, condition_create, waiver_record), so history and the ledger's hash chain
are kept. The whole file runs in one transaction with a savepoint per record: a dry run
reports every row's errors and rolls back; a real run commits only when no row failed
(docs/decisions/0012-reports-and-bulk-import.md describes the file format).
"""

import csv
import datetime
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q

from agreements.models import Agreement, Provision
from agreements.services import agreement_create
from conditions.models import Condition, WaiverEntry
from conditions.services import condition_create, waiver_record
from partners.models import Partner
from partners.services import partner_create

MAX_ROWS = 20000
TEXT, DATE, DECIMAL, INT, BOOL, LIST = "text", "date", "decimal", "int", "bool", "list"
PROVISION_KEYS = {"codification": TEXT, "act": TEXT, "section": TEXT}
COLUMNS = {
    "partner": {"name": TEXT, "kind": TEXT, "iso3": TEXT, "parent": TEXT, "notes": TEXT},
    "agreement": {
        "reference": TEXT, "title": TEXT, "summary": TEXT, "agreement_type": TEXT,
        "status": TEXT, "parent": TEXT, "supersedes": TEXT, "signed_on": DATE,
        "entry_into_force_on": DATE, "expires_on": DATE, "terminated_on": DATE,
        "technology_transfer_risk": TEXT, "technology_areas": LIST, "fms_cases": LIST,
        "industrial_base_notes": TEXT, "human_rights_notes": TEXT,
    },
    "participant": {
        "agreement": TEXT, "partner": TEXT, "role": TEXT, "cost_share_percent": DECIMAL,
        "signed_on": DATE, "joined_on": DATE, "suspended_on": DATE, "withdrawn_on": DATE,
    },
    "condition": {
        "title": TEXT, "description": TEXT, "partner": TEXT, "unit": TEXT, "agreement": TEXT,
        **{f"legal_basis_{k}": v for k, v in PROVISION_KEYS.items()},
        "review_interval_days": INT, "next_review_due": DATE, "review_warning_days": INT,
        "status": TEXT, "responsible_office": TEXT, "responsible_email": TEXT,
        "leahy_applicable": BOOL, "amount_conditioned_usd": DECIMAL, "fiscal_year": INT,
    },
    "requirement": {"condition": TEXT, "condition_partner": TEXT, "label": TEXT, "text": TEXT},
    "waiver": {
        "entry_key": TEXT, "condition": TEXT, "condition_partner": TEXT, "action": TEXT,
        "amends": TEXT, **{f"authority_{k}": v for k, v in PROVISION_KEYS.items()},
        "standard": TEXT, "official_title": TEXT, "official_name": TEXT, "instrument": TEXT,
        "signed_on": DATE, "effective_on": DATE, "expires_on": DATE,
        "requirements_waived": LIST, "amount_usd": DECIMAL, "fiscal_year": INT,
        "justification": TEXT, "justification_classified": BOOL,
        "congress_notified_on": DATE, "publicity": TEXT,
    },
}  # fmt: skip
# Children travel with their parent (CSV rows of their own, or nested lists in JSON).
CHILDREN = {
    "participant": ("agreement", "participants"),
    "requirement": ("condition", "requirements"),
}
STAGES = ("partner", "agreement", "condition", "waiver")


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


@dataclass
class ImportResult:
    rows: int = 0
    created: dict = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportAborted(Exception):
    """Raised inside the transaction to roll it back."""


# ----- reading ---------------------------------------------------------------------------


def read_records(content: str, *, filename: str = "") -> tuple[list[Record], list[RowError]]:
    """Parse a CSV or JSON file into typed records and every row's format errors."""
    stripped = content.lstrip("\ufeff").lstrip()
    is_json = filename.lower().endswith(".json") or stripped[:1] in ("[", "{")
    try:
        raw = _json_rows(stripped) if is_json else _csv_rows(stripped)
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


def _csv_rows(content: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(content))
    if not reader.fieldnames or "record_type" not in reader.fieldnames:
        raise ValueError("A CSV file needs a header row with a record_type column.")
    # Row numbers are spreadsheet lines: the header is line 1.
    return [
        (reader.line_num, {k: v for k, v in row.items() if k is not None and v not in ("", None)})
        for row in reader
    ]


def _json_rows(content: str) -> list[tuple[int | str, dict]]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        raise ValueError(f"Not valid JSON: {error.msg} (line {error.lineno}).") from error
    if isinstance(data, dict):
        data = data.get("records")
    if not isinstance(data, list):
        raise ValueError('JSON must be a list of records or {"records": [...]}.')
    rows = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            rows.append((index, {"record_type": None}))
            continue
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


def _parent_key(kind: str, item: dict):
    return item.get("reference") if kind == "agreement" else item.get("title")


def _typed(row, data: dict) -> tuple[Record | None, list[RowError]]:
    kind = data.pop("record_type", None)
    if kind not in COLUMNS and kind not in ("participant", "requirement"):
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
    if kind == DATE:
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"“{text}” is not a date (YYYY-MM-DD).") from None
    if kind == DECIMAL:
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"“{text}” is not a number.") from None
    if kind == INT:
        if not text.lstrip("-").isdigit():
            raise ValueError(f"“{text}” is not a whole number.")
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
            errors.append(
                RowError(record.row, parent_kind,
                         f"A {record.kind} is imported with its {parent_kind}: add the "
                         f"{parent_kind} row to this file.")
            )  # fmt: skip
            continue
        parent.children.append(record)
    return top, errors


# ----- writing ---------------------------------------------------------------------------


def import_records(
    content: str, *, actor, dry_run: bool, filename: str = "", progress=None
) -> ImportResult:
    """Validate and (unless `dry_run`) write a whole file; all or nothing.

    `progress`, when given, is called once per record written or checked.
    """
    records, errors = read_records(content, filename=filename)
    result = ImportResult(rows=sum(1 + len(r.children) for r in records), errors=errors)
    if any(error.row == 0 for error in errors):
        return result
    try:
        with transaction.atomic():
            writer = _Writer(actor, errors)
            for stage in STAGES:
                for record in (r for r in records if r.kind == stage):
                    writer.write(record)
                    if progress:
                        progress(1 + len(record.children))
            result.errors = sorted(errors + writer.errors, key=_order)
            result.created = dict(writer.created)
            if dry_run or result.errors:
                raise ImportAborted
    except ImportAborted:
        return result
    result.committed = True
    return result


def _order(error: RowError):
    return [int(n) for n in re.findall(r"\d+", str(error.row))], error.field


class _Writer:
    """Writes records through the services, one savepoint each, collecting errors."""

    def __init__(self, actor, format_errors: list[RowError]):
        self.actor = actor
        self.known = {(e.row, e.field) for e in format_errors}
        self.errors: list[RowError] = []
        self.created: dict = defaultdict(int)
        self.failed: dict = {}  # natural key -> row of the failed record
        self.entries: dict = {}  # entry_key -> WaiverEntry written from this file

    def write(self, record: Record) -> None:
        """Write one record, or (when it has errors already) only check it and roll back."""
        rows = {record.row, *(c.row for c in record.children)}
        malformed = bool(rows & {row for row, _ in self.known})
        self._lookup_errors: list[RowError] = []
        call = getattr(self, f"_{record.kind}")(record)
        problem, obj = None, None
        try:
            with transaction.atomic():
                obj = call()
                if malformed or self._lookup_errors:
                    raise ImportAborted  # checked for more errors; never kept
        except ImportAborted:
            pass
        except ValidationError as error:
            problem = error
        except DatabaseError as error:
            problem = ValidationError(f"The database refused the row: {error}")
        errors = self._lookup_errors + self._service_errors(record, problem)
        if errors or malformed:
            self._fail(record)
            self.errors.extend(errors)
            return
        self.created[record.kind] += 1
        for child in record.children:
            self.created[child.kind] += 1
        if record.kind == "waiver" and record.data.get("entry_key"):
            self.entries[record.data["entry_key"]] = obj

    def _service_errors(self, record: Record, problem: ValidationError | None) -> list:
        """The service's errors, less those on fields already reported for that row."""
        if problem is None:
            return []
        taken = self.known | {(e.row, e.field) for e in self._lookup_errors}
        items = problem.message_dict.items() if hasattr(problem, "error_dict") else [
            ("__all__", problem.messages)
        ]  # fmt: skip
        errors = []
        for key, messages in items:
            row, name = _locate(record, key)
            if any(r == row and (f == name or f.startswith(f"{name}_")) for r, f in taken):
                continue
            errors.extend(RowError(row, name, _child_rows(record, m)) for m in messages)
        return errors

    def _fail(self, record: Record) -> None:
        key = {
            "partner": lambda d: ("partner", (d.get("name") or "").lower()),
            "agreement": lambda d: ("agreement", (d.get("reference") or "").lower()),
            "condition": lambda d: ("condition", (d.get("title") or "").lower()),
            "waiver": lambda d: ("waiver", d.get("entry_key")),
        }[record.kind](record.data)
        self.failed[key] = record.row
        if record.kind == "partner" and record.data.get("iso3"):
            self.failed[("partner", record.data["iso3"].lower())] = record.row

    # -- lookups by natural key: each records a row error and returns None when not found --

    def _missing(self, record, name, key, message):
        row = self.failed.get(key)
        if row is not None:
            message = f"Refers to row {row}, which has errors."
        self._lookup_errors.append(RowError(record.row, name, message))

    def partner(self, record, name, value=None):
        value = value if value is not None else record.data.get(name)
        if not value:
            return None
        found = Partner.objects.filter(Q(name__iexact=value) | Q(iso3=value.upper())).first()
        if found is None:
            self._missing(record, name, ("partner", value.lower()), f"No partner “{value}”.")
        return found

    def agreement(self, record, name):
        value = record.data.get(name)
        if not value:
            return None
        found = Agreement.objects.filter(reference__iexact=value).first()
        if found is None:
            self._missing(record, name, ("agreement", value.lower()), f"No agreement “{value}”.")
        return found

    def provision(self, record, prefix):
        data = record.data
        codification, act, section = (data.get(f"{prefix}_{k}") for k in PROVISION_KEYS)
        if codification:
            matches = list(Provision.objects.filter(codification__iexact=codification)[:2])
        elif act and section:
            acts = (
                Q(act__public_law=act) | Q(act__short_title__iexact=act) | Q(act__title__iexact=act)
            )
            matches = list(Provision.objects.filter(acts, section__iexact=section)[:2])
        else:
            self._missing(record, prefix, (), f"Give {prefix}_codification, or {prefix}_act "
                          f"and {prefix}_section.")  # fmt: skip
            return None
        if len(matches) != 1:
            what = codification or f"{act} section {section}"
            problem = "No provision" if not matches else "More than one provision matches"
            name = f"{prefix}_codification" if codification else f"{prefix}_section"
            self._missing(record, name, (), f"{problem} “{what}”.")
            return None
        return matches[0]

    def condition(self, record):
        title = record.data.get("condition")
        partner = self.partner(record, "condition_partner")
        if not title or partner is None:
            if not title:
                self._missing(record, "condition", (), "Name the condition by its title.")
            return None
        found = list(Condition.objects.filter(title=title, partner=partner)[:2])
        if len(found) != 1:
            key = ("condition", title.lower())
            problem = "No condition" if not found else "More than one condition is titled"
            self._missing(record, "condition", key, f"{problem} “{title}” for {partner}.")
            return None
        return found[0]

    # -- one method per record kind: resolve keys, return the service call ---------------

    def _partner(self, record):
        data = {"name": "", "kind": "", **record.data}
        data["parent"] = self.partner(record, "parent")
        return lambda: partner_create(actor=self.actor, **data)

    def _agreement(self, record):
        data = dict(record.data)
        for name in ("parent", "supersedes"):
            data[name] = self.agreement(record, name)
        participants = []
        for child in record.children:
            item = {k: v for k, v in child.data.items() if k != "agreement"}
            item["partner"] = self.partner(child, "partner")
            participants.append(item)
        return lambda: agreement_create(actor=self.actor, participants=participants, **data)

    def _condition(self, record):
        data = {k: v for k, v in record.data.items() if not k.startswith("legal_basis_")}
        data["partner"] = self.partner(record, "partner")
        data["agreement"] = self.agreement(record, "agreement")
        data["legal_basis"] = self.provision(record, "legal_basis")
        if (
            data["partner"]
            and Condition.objects.filter(title=data.get("title"), partner=data["partner"]).exists()
        ):
            self._lookup_errors.append(
                RowError(record.row, "title", "This partner already has a condition with this "
                         "title (the import finds conditions by title and partner).")
            )  # fmt: skip
        requirements = [
            {"label": c.data.get("label"), "text": c.data.get("text")} for c in record.children
        ]
        data = {k: v for k, v in data.items() if v is not None or k == "agreement"}
        return lambda: condition_create(actor=self.actor, requirements=requirements, **data)

    def _waiver(self, record):
        data = {
            k: v for k, v in record.data.items()
            if k not in ("entry_key", "condition", "condition_partner", "amends")
            and not k.startswith("authority_") and v is not None
        }  # fmt: skip
        condition = self.condition(record)
        data["authority"] = self.provision(record, "authority")
        data["amends"] = self._amended(record)
        key = record.data.get("entry_key")
        if key and key in self.entries:
            self._lookup_errors.append(
                RowError(record.row, "entry_key", "Used twice in this file.")
            )
        if condition is None:
            return lambda: _check_waiver_fields(data)
        return lambda: waiver_record(condition=condition, actor=self.actor, **data)

    def _amended(self, record):
        key = record.data.get("amends")
        if not key:
            return None
        if key in self.entries:
            return self.entries[key]
        found = WaiverEntry.objects.filter(entry_hash=key.lower()).first()
        if found is None:
            message = f"No entry with entry_key or entry_hash “{key}”."
            self._missing(record, "amends", ("waiver", key), message)
        return found


def _check_waiver_fields(data: dict) -> None:
    """Field checks for a waiver whose condition is unknown (the service needs one)."""
    entry = WaiverEntry(**{k: v for k, v in data.items() if k not in ("authority", "amends")})
    entry.full_clean(
        exclude=[
            "condition",
            "authority",
            "amends",
            "recorded_by",
            "sequence",
            "previous_hash",
            "entry_hash",
        ],
        validate_unique=False,
        validate_constraints=False,
    )


def _child_rows(record: Record, message: str) -> str:
    """`also participants[0]` in a service message → `also row 5`."""

    def row_of(match):
        position = int(match.group(2))
        kids = [c for c in record.children if CHILDREN[c.kind][1] == match.group(1)]
        return f"row {kids[position].row}" if position < len(kids) else match.group(0)

    return re.sub(r"(participants|requirements)\[(\d+)\]", row_of, message)


def _locate(record: Record, key: str) -> tuple:
    """A service error key like `participants[1].role` → (that child's row, `role`)."""
    head, _, rest = key.partition(".")
    name, _, index = head.partition("[")
    if index and record.children:
        position = int(index.rstrip("]"))
        kinds = [c for c in record.children if CHILDREN[c.kind][1] == name]
        if position < len(kinds):
            return kinds[position].row, rest or name
    if key == "__all__":
        return record.row, "row"
    if key in ("authority", "legal_basis"):
        return record.row, f"{key}_codification"
    return record.row, key
