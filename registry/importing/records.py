"""Bulk import of partners, agreements, conditions and waiver entries from CSV or JSON.

Every row goes through the same service a form would call (partner_create,
agreement_create, condition_create, waiver_record), so history and the ledger's hash chain
are kept. The whole file runs in one transaction with a savepoint per record: a dry run
reports every row's errors and rolls back; a real run commits only when no row failed
(docs/decisions/0012-reports-and-bulk-import.md describes the file format).
"""

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q

from agreements.fields import PARTICIPANT_FIELDS
from agreements.models import Agreement, Provision
from agreements.services import agreement_create
from conditions.fields import CONDITION_FIELDS, REQUIREMENT_FIELDS, WAIVER_FIELDS
from conditions.models import Condition, WaiverEntry
from conditions.services import condition_create, waiver_record
from core.marked import visible
from partners.models import Partner
from partners.services import partner_create
from registry.importing.formats import CHILDREN, PROVISION_KEYS, Record, RowError, read_records

STAGES = ("partner", "agreement", "condition", "waiver")
logger = logging.getLogger(__name__)


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
            writer = _Writer(actor, errors, dry_run=dry_run)
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

    def __init__(self, actor, format_errors: list[RowError], *, dry_run: bool = False):
        self.actor = actor
        self.dry_run = dry_run  # rolled back at the end: ledger entries take no lock
        self.known = {(e.row, e.field) for e in format_errors}
        self.errors: list[RowError] = []
        self.created: dict = defaultdict(int)
        self.failed: dict = {}  # natural key -> row of the failed record
        self.entries: dict = {}  # entry_key -> WaiverEntry written from this file
        # For each kind of record: resolve its natural keys, and return the service call.
        self.prepare = {
            "partner": self._partner,
            "agreement": self._agreement,
            "condition": self._condition,
            "waiver": self._waiver,
        }

    def write(self, record: Record) -> None:
        """Write one record, or (when it has errors already) only check it and roll back."""
        rows = {record.row, *(c.row for c in record.children)}
        malformed = bool(rows & {row for row, _ in self.known})
        self._lookup_errors: list[RowError] = []
        call = self.prepare[record.kind](record)
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
            # The driver's text names tables and types, not what to fix: log it, say less.
            logger.warning("Import row %s refused by the database: %s", record.row, error)
            problem = ValidationError(
                "The database refused this row. Check its values (lengths, dates, amounts)."
            )
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
        if hasattr(problem, "error_dict"):
            items = problem.message_dict.items()
        else:
            items = [("__all__", problem.messages)]
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

    def referable(self, model):
        """The records a key may name: those the importing user may see; a hidden one is
        "not found", like a missing one (docs/decisions/0034-need-to-know.md)."""
        return visible(model.objects.all(), self.actor)

    def _missing(self, record, name, key, message):
        row = self.failed.get(key)
        if row is not None:
            message = f"Refers to row {row}, which has errors."
        self._lookup_errors.append(RowError(record.row, name, message))

    def partner(self, record, name, value=None):
        value = value if value is not None else record.data.get(name)
        if not value:
            return None
        partners = self.referable(Partner)
        found = partners.filter(Q(name__iexact=value) | Q(iso3=value.upper())).first()
        if found is None:
            self._missing(record, name, ("partner", value.lower()), f"No partner “{value}”.")
        return found

    def agreement(self, record, name):
        value = record.data.get(name)
        if not value:
            return None
        found = self.referable(Agreement).filter(reference__iexact=value).first()
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
            message = f"Give {prefix}_codification, or {prefix}_act and {prefix}_section."
            self._missing(record, prefix, (), message)
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
        found = list(self.referable(Condition).filter(title=title, partner=partner)[:2])
        if len(found) != 1:
            key = ("condition", title.lower())
            problem = "No condition" if not found else "More than one condition is titled"
            self._missing(record, "condition", key, f"{problem} “{title}” for {partner}.")
            return None
        return found[0]

    # -- one method per record kind (self.prepare): resolve keys, return the service call --

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
            item = {k: v for k, v in child.data.items() if k in PARTICIPANT_FIELDS}
            item["partner"] = self.partner(child, "partner")
            participants.append(item)
        return lambda: agreement_create(actor=self.actor, participants=participants, **data)

    def _condition(self, record):
        data = {k: v for k, v in record.data.items() if k in CONDITION_FIELDS}
        data["partner"] = self.partner(record, "partner")
        data["agreement"] = self.agreement(record, "agreement")
        data["legal_basis"] = self.provision(record, "legal_basis")
        if (
            data["partner"]
            and Condition.objects.filter(title=data.get("title"), partner=data["partner"]).exists()
        ):
            message = (
                "This partner already has a condition with this title (the import finds "
                "conditions by title and partner)."
            )
            self._lookup_errors.append(RowError(record.row, "title", message))
        requirements = []
        for child in record.children:
            item = {name: child.data.get(name) for name in REQUIREMENT_FIELDS}
            item["waivable"] = item["waivable"] is not False  # waivable unless said not
            requirements.append(item)
        data = {k: v for k, v in data.items() if v is not None or k == "agreement"}
        return lambda: condition_create(actor=self.actor, requirements=requirements, **data)

    def _waiver(self, record):
        data = {k: v for k, v in record.data.items() if k in WAIVER_FIELDS and v is not None}
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
        return lambda: waiver_record(
            condition=condition, actor=self.actor, dry_run=self.dry_run, **data
        )

    def _amended(self, record):
        key = record.data.get("amends")
        if not key:
            return None
        if key in self.entries:
            return self.entries[key]
        found = self.referable(WaiverEntry).filter(entry_hash=key.lower()).first()
        if found is None:
            message = f"No entry with entry_key or entry_hash “{key}”."
            self._missing(record, "amends", ("waiver", key), message)
        return found


def _check_waiver_fields(data: dict) -> None:
    """Field checks for a waiver whose condition is unknown (the service needs one)."""
    links = ("authority", "amends")  # records looked up by key: checked by the lookups
    entry = WaiverEntry(**{k: v for k, v in data.items() if k not in links})
    unchecked = [f.name for f in WaiverEntry._meta.fields if f.name not in WAIVER_FIELDS]
    entry.full_clean(
        exclude=[*unchecked, *links], validate_unique=False, validate_constraints=False
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
