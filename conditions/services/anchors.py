"""Ledger anchors: every checkpoint signed with a key the database never sees (decision 0017).

A checkpoint says "at check #C the ledger's head was entry #E, sequence S, hash H, after N
entries; the reviews up to #R and the evidence of both hashed to D". It is signed with
Ed25519 and appended as one JSON line to a log outside PostgreSQL; each line also carries the
SHA-256 of the line before it, so a line cannot be removed or changed unseen. Someone who can
rewrite the database (its owner, a superuser) still cannot write a signed line, so:

- a deleted tail leaves a signed head that is no longer in the ledger;
- a rewritten and re-hashed ledger leaves a signed head whose hash no longer matches;
- a forged `LedgerCheck` row has no signed line;
- a changed, deleted or re-attached source or review no longer matches the signed digest.

The log is a file (LEDGER_ANCHOR_LOG); each line also goes to a remote syslog when
LEDGER_ANCHOR_SYSLOG names one (host:port over UDP, or a socket path), kept by people who
cannot rewrite the database. Ship the file to object storage with retention, or keep it on an
append-only mount.
"""

import base64
import dataclasses
import fcntl
import hashlib
import json
import logging
import os
from logging.handlers import SysLogHandler
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from conditions.models import LedgerCheck, WaiverEntry

VERSION = 1
FIRST_PREVIOUS = "0" * 64

# Reviews (up to the signed id) and the sources of reviews and of ledger entries (up to the
# signed head), one canonical JSON array per row, hashed in a fixed order.
EVIDENCE_SQL = """
SELECT count(*), encode(sha256(convert_to(coalesce(
         string_agg(item, E'\\n' ORDER BY kind, id), ''), 'UTF8')), 'hex')
  FROM (
    SELECT 1 AS kind, r.id, jsonb_build_array(r.id, r.condition_id, r.reviewed_on, r.outcome,
           r.notes, r.next_review_due, r.recorded_by_id, r.recorded_at)::text AS item
      FROM conditions_conditionreview r
     WHERE r.id <= %(reviews_upto)s
    UNION ALL
    SELECT 2, s.id, jsonb_build_array(s.id, s.condition_id, s.review_id, s.waiver_entry_id,
           s.url, s.publisher, s.published_on, s.kind)::text
      FROM conditions_sourcedocument s
      LEFT JOIN conditions_waiverentry w ON w.id = s.waiver_entry_id
     WHERE s.review_id <= %(reviews_upto)s OR w.sequence <= %(head_sequence)s
  ) evidence
"""


# Keys -------------------------------------------------------------------------------------


def signing_key() -> Ed25519PrivateKey:
    """LEDGER_ANCHOR_KEY (base64 of the 32-byte private key), else LEDGER_ANCHOR_KEY_FILE
    (PEM); where allowed (not in production), a missing file is created with a new key."""
    if settings.LEDGER_ANCHOR_KEY:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(settings.LEDGER_ANCHOR_KEY))
    path = Path(settings.LEDGER_ANCHOR_KEY_FILE)
    if not path.exists():
        if not settings.LEDGER_ANCHOR_KEY_CREATE:
            raise ImproperlyConfigured(
                "No ledger anchor key: set LEDGER_ANCHOR_KEY or LEDGER_ANCHOR_KEY_FILE."
            )
        _create_key_file(path)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:  # O_EXCL: two processes starting at once keep the same key
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def load_public_key(path: str) -> Ed25519PublicKey:
    """A PEM public key, or the base64 text `manage.py verify_ledger --print-public-key` gives."""
    data = Path(path).read_bytes()
    if data.lstrip().startswith(b"-----BEGIN"):
        return serialization.load_pem_public_key(data)
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(data.strip()))


# Writing ----------------------------------------------------------------------------------


def evidence_digest(*, reviews_upto: int, head_sequence: int) -> tuple[int, str]:
    """How many reviews and evidence rows the checkpoint covers, and their SHA-256."""
    with connection.cursor() as cursor:
        cursor.execute(EVIDENCE_SQL, {"reviews_upto": reviews_upto, "head_sequence": head_sequence})
        count, digest = cursor.fetchone()
    return count, digest


def checkpoint(check: LedgerCheck, head: WaiverEntry | None) -> dict:
    """The facts a checkpoint signs, read inside the check's transaction."""
    from conditions.models import ConditionReview

    reviews_upto = ConditionReview.objects.order_by("-id").values_list("id", flat=True).first()
    head_sequence = head.sequence if head else 0
    evidence_rows, digest = evidence_digest(
        reviews_upto=reviews_upto or 0, head_sequence=head_sequence
    )
    return {
        "v": VERSION,
        "database": connection.settings_dict["NAME"],
        "check_id": check.pk,
        "checked_at": check.checked_at.isoformat(),
        "checks_before": LedgerCheck.objects.filter(pk__lt=check.pk).count(),
        "entries_checked": check.entries_checked,
        "head_id": head.pk if head else None,
        "head_sequence": head.sequence if head else None,
        "head_hash": head.entry_hash if head else None,
        "reviews_upto": reviews_upto or 0,
        "evidence_rows": evidence_rows,
        "evidence_digest": digest,
    }


def _canonical(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def anchor_append(fields: dict, *, path: str | None = None) -> dict:
    """Sign `fields` and append them to the anchor log, chained to the line before."""
    path = Path(path or settings.LEDGER_ANCHOR_LOG)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = signing_key()
    with open(path, "a+b") as log:
        fcntl.flock(log, fcntl.LOCK_EX)  # one writer at a time, across processes
        log.seek(0)
        lines = log.read().splitlines()
        previous = hashlib.sha256(lines[-1]).hexdigest() if lines else FIRST_PREVIOUS
        signed = {**fields, "prev": previous, "key": public_key_text(key.public_key())}
        signed["sig"] = base64.b64encode(key.sign(_canonical(signed))).decode()
        log.write(_canonical(signed) + b"\n")
        log.flush()
        os.fsync(log.fileno())
    _to_syslog(_canonical(signed))
    return signed


def _to_syslog(line: bytes) -> None:
    """Send a signed line to LEDGER_ANCHOR_SYSLOG too; the file stays the record of truth, so
    a syslog that cannot be reached is reported (logging's handleError), never fatal."""
    target = settings.LEDGER_ANCHOR_SYSLOG
    if not target:
        return
    if target.startswith("/"):
        address = target
    else:
        host, _, port = target.rpartition(":")
        address = (host, int(port))
    handler = SysLogHandler(address=address, facility=SysLogHandler.LOG_AUTH)
    try:
        record = {"msg": "registry-ledger-anchor " + line.decode(), "levelname": "WARNING"}
        handler.emit(logging.makeLogRecord({**record, "levelno": logging.WARNING}))
    finally:
        handler.close()


# Reading and checking ---------------------------------------------------------------------


@dataclasses.dataclass
class Finding:
    """One thing the anchors show to be wrong; `entry` is the ledger entry it names, if any."""

    message: str
    entry_id: int | None = None
    sequence: int | None = None


def read_anchors(path: str, public_key: Ed25519PublicKey) -> tuple[list[dict], list[Finding]]:
    """The log's lines, each checked for its signature, its link and its database."""
    anchors, findings = [], []
    previous = FIRST_PREVIOUS
    expected_key = public_key_text(public_key)
    for number, line in enumerate(Path(path).read_bytes().splitlines(), start=1):
        where = f"anchor log {path}, line {number}"
        try:
            fields = json.loads(line)
            signature = base64.b64decode(fields.pop("sig"))
        except (ValueError, KeyError, TypeError):
            findings.append(Finding(f"{where} is not a signed anchor"))
            break
        if fields.get("key") != expected_key:
            findings.append(Finding(f"{where} is signed with another key"))
        else:
            try:
                public_key.verify(signature, _canonical(fields))
            except InvalidSignature:
                findings.append(Finding(f"{where} has a signature that does not match it"))
        if fields.get("prev") != previous:
            findings.append(Finding(f"{where} does not follow the line before it (lines removed)"))
        if fields.get("database") != connection.settings_dict["NAME"]:
            findings.append(Finding(f"{where} anchors database {fields.get('database')!r}"))
        previous = hashlib.sha256(line).hexdigest()
        anchors.append(fields)
    return anchors, findings


def check_against_anchors(anchors: list[dict]) -> list[Finding]:
    """What the database shows that the signed anchors contradict, first broken entry first."""
    findings = _heads(anchors)
    findings += _forged_checks(anchors)
    if anchors:
        findings += _evidence(anchors[-1])
    return findings


def _heads(anchors: list[dict]) -> list[Finding]:
    """Every signed head must still be in the ledger with its signed hash."""
    sequences = {a["head_sequence"] for a in anchors if a.get("head_sequence") is not None}
    present = {
        row["sequence"]: row
        for row in WaiverEntry.objects.filter(sequence__in=sequences).values(
            "id", "sequence", "entry_hash"
        )
    }
    for anchor in anchors:
        sequence = anchor.get("head_sequence")
        if sequence is None:
            continue
        at = f"the head signed at check #{anchor['check_id']} ({anchor['checked_at']})"
        row = present.get(sequence)
        if row is None:
            last = WaiverEntry.objects.order_by("-sequence").values_list("sequence", flat=True)
            return [
                Finding(
                    f"Entry #{anchor['head_id']} (sequence {sequence}), {at}, is missing: "
                    f"the ledger's tail was deleted (it now ends at sequence {last.first()})",
                    anchor["head_id"],
                    sequence,
                )
            ]
        if row["entry_hash"] != anchor["head_hash"]:
            return [
                Finding(
                    f"Entry #{row['id']} (sequence {sequence}) no longer has the hash of {at}: "
                    "the ledger was rewritten at or before it",
                    row["id"],
                    sequence,
                )
            ]
    latest = next((a for a in reversed(anchors) if a.get("head_sequence") is not None), None)
    if latest:
        count = WaiverEntry.objects.filter(sequence__lte=latest["head_sequence"]).count()
        if count != latest["entries_checked"]:
            return [
                Finding(
                    f"{latest['entries_checked'] - count} entries up to sequence "
                    f"{latest['head_sequence']} have disappeared since check #{latest['check_id']}"
                )
            ]
    return []


def _forged_checks(anchors: list[dict]) -> list[Finding]:
    """Every passed check with a head must be a signed one; none may appear before them."""
    signed = {(a["check_id"], a["head_sequence"], a["head_hash"]) for a in anchors}
    first = anchors[0]["check_id"] if anchors else 0
    findings = []
    if anchors:
        latest = anchors[-1]
        before = LedgerCheck.objects.filter(pk__lt=latest["check_id"]).count()
        if before != latest["checks_before"]:
            findings.append(
                Finding(
                    f"{abs(before - latest['checks_before'])} ledger check rows older than check "
                    f"#{latest['check_id']} were added or removed"
                )
            )
    passed = LedgerCheck.objects.filter(ok=True, head_sequence__isnull=False, pk__gte=first)
    for check in passed.order_by("pk"):
        if (check.pk, check.head_sequence, check.head_hash) not in signed:
            findings.append(
                Finding(
                    f"Ledger check #{check.pk} ({check.checked_at:%Y-%m-%d %H:%M} UTC, head "
                    f"sequence {check.head_sequence}) has no signed anchor: it is forged"
                )
            )
    return findings


def _evidence(anchor: dict) -> list[Finding]:
    """Reviews and evidence the latest checkpoint covered must hash as they did then."""
    count, digest = evidence_digest(
        reviews_upto=anchor["reviews_upto"], head_sequence=anchor["head_sequence"] or 0
    )
    if digest == anchor["evidence_digest"]:
        return []
    return [
        Finding(
            f"The reviews and sources signed at check #{anchor['check_id']} "
            f"({anchor['evidence_rows']} rows, now {count}) no longer match their digest: "
            "a source or review was changed, deleted or re-attached"
        )
    ]
