"""The waiver ledger's hash chain: canonical content, hashing, verification.

Order: a writer takes a transaction-level advisory lock, then the next value of the database
sequence `conditions_waiver_ledger_seq`, then the hash of the highest-sequence entry. The lock
is held until commit, so the next writer sees this entry as the last one: no two entries share
a previous hash (the database refuses that too: `waiver_chain_no_fork`). A rolled-back writer
leaves a gap in the sequence, which is harmless: the chain links hashes, not numbers.
"""

import dataclasses
import hashlib
import json
import logging
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import connection

from conditions.models import LedgerCheck, WaiverEntry
from conditions.services import anchors
from core.history.context import actor_label, service

logger = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
# One advisory-lock key for the ledger: writers queue on it, so the chain never forks.
LEDGER_LOCK_KEY = 7_311_402_001
# Another for verification runs, so that their signed checkpoints are appended in order.
CHECK_LOCK_KEY = 7_311_402_002
CONTENT_FIELDS = (
    "condition_id", "action", "amends_id", "authority_id", "standard", "official_title",
    "official_name", "instrument", "signed_on", "effective_on", "expires_on",
    "requirements_waived", "amount_usd", "fiscal_year", "justification",
    "justification_classified", "congress_notified_on", "publicity", "recorded_by_id",
    "recorded_at", "sequence",
)  # fmt: skip


def canonical_content(entry: WaiverEntry, sources: list) -> bytes:
    """The entry's content as canonical JSON: sorted keys, every value as text."""
    content = {name: _text(getattr(entry, name)) for name in CONTENT_FIELDS}
    content["sources"] = sorted(
        [_text(s.url), _text(s.publisher), _text(s.published_on), _text(s.kind)] for s in sources
    )
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()


def compute_hash(entry: WaiverEntry, sources: list, previous_hash: str) -> str:
    return hashlib.sha256(previous_hash.encode() + canonical_content(entry, sources)).hexdigest()


def _text(value) -> str | list | None:
    if value is None:
        return None
    if isinstance(value, list):
        return [str(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "normalize"):  # Decimal: 320000000.00 and 320000000 hash alike
        return format(value.normalize(), "f")
    return str(value)


def lock_ledger() -> None:
    """Hold the ledger's write lock until the transaction ends."""
    if not connection.in_atomic_block:
        # Outside a transaction the lock would be released at once and the chain could fork.
        raise RuntimeError("The ledger lock must be taken inside a transaction.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK_KEY])


def next_sequence() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('conditions_waiver_ledger_seq')")
        return cursor.fetchone()[0]


def last_hash() -> str:
    last = WaiverEntry.objects.order_by("-sequence").values_list("entry_hash", flat=True).first()
    return last or GENESIS_HASH


@dataclasses.dataclass
class ChainResult:
    """The outcome of walking the chain: how far it held, and where it broke."""

    entries_checked: int = 0
    head: WaiverEntry | None = None
    broken: WaiverEntry | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


def walk_chain() -> ChainResult:
    """Recompute every link in sequence order; stop at the first entry that does not match."""
    result = ChainResult()
    previous = GENESIS_HASH
    entries = WaiverEntry.objects.order_by("sequence").prefetch_related("sources")
    for entry in entries.iterator(chunk_size=2000):
        if entry.previous_hash != previous:
            result.broken, result.reason = (
                entry,
                "its previous hash does not link to the entry before it",
            )
            return result
        if entry.entry_hash != compute_hash(entry, list(entry.sources.all()), previous):
            result.broken, result.reason = entry, "its content does not match its hash"
            return result
        previous = entry.entry_hash
        result.entries_checked += 1
        result.head = entry
    return result


def verify_chain() -> WaiverEntry | None:
    """The first entry whose hash or link does not match, or None when the chain is intact."""
    return walk_chain().broken


def _checkpoint_error(result: ChainResult) -> str:
    """Compare with the last good check: entries it saw must still be there, unchanged.

    This catches what a chain alone cannot: the newest entries removed, or the whole chain
    rewritten and re-hashed from some point on.
    """
    last_good = LedgerCheck.objects.filter(ok=True, head_sequence__isnull=False).first()
    if last_good is None:
        return ""
    seen = WaiverEntry.objects.filter(sequence=last_good.head_sequence).first()
    if seen is None:
        return (
            f"entry sequence {last_good.head_sequence}, intact at the check of "
            f"{last_good.checked_at:%Y-%m-%d %H:%M} UTC, is missing"
        )
    if seen.entry_hash != last_good.head_hash:
        return (
            f"entry #{seen.pk} (sequence {seen.sequence}) no longer has the hash recorded by "
            f"the check of {last_good.checked_at:%Y-%m-%d %H:%M} UTC"
        )
    if result.entries_checked < last_good.entries_checked:
        return f"{last_good.entries_checked - result.entries_checked} entries have disappeared"
    return ""


@service
def ledger_verify(
    *, actor, anchor_log: str | None = None, public_key: Ed25519PublicKey | None = None
) -> LedgerCheck:
    """Walk the chain, hold it against the signed anchors and the last good check, record the
    outcome, and sign a passed check into the anchor log (docs/decisions/0017).

    `anchor_log` is the log to check against (default: LEDGER_ANCHOR_LOG, skipped until its
    first line is written); the new checkpoint always goes to LEDGER_ANCHOR_LOG.
    """
    with connection.cursor() as cursor:  # one check at a time: the anchors stay in order
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHECK_LOCK_KEY])
    result = walk_chain()
    message, broken_id, broken_sequence = "", None, None
    if not result.ok:
        entry = result.broken
        message = f"Entry #{entry.pk} (sequence {entry.sequence}) is broken: {result.reason}."
        broken_id, broken_sequence = entry.pk, entry.sequence
    else:
        findings = _anchor_findings(anchor_log, public_key)
        checkpoint = _checkpoint_error(result)
        if findings:
            result.reason = findings[0].message
            message = "The ledger was altered: " + "; ".join(f.message for f in findings) + "."
            broken_id, broken_sequence = findings[0].entry_id, findings[0].sequence
        elif checkpoint:
            result.reason = checkpoint
            message = f"The ledger was altered: {checkpoint}."
    check = LedgerCheck.objects.create(
        ok=result.ok,
        entries_checked=result.entries_checked,
        head_sequence=result.head.sequence if result.head and result.ok else None,
        head_hash=result.head.entry_hash if result.head and result.ok else "",
        broken_entry_id=broken_id,
        broken_sequence=broken_sequence,
        message=message or f"Intact: {result.entries_checked} entries.",
        checked_by=actor_label(actor),
    )
    if check.ok:
        # Before commit: a check whose anchor cannot be written is not recorded either.
        anchors.anchor_append(anchors.checkpoint(check, result.head))
    else:
        logger.error("Waiver ledger verification failed: %s", message)
    return check


def _anchor_findings(anchor_log, public_key) -> list:
    path = Path(anchor_log or settings.LEDGER_ANCHOR_LOG)
    if not path.exists() and not anchor_log:
        return []  # anchoring starts with this check; earlier checks are counted in its line
    key = public_key or anchors.signing_key().public_key()
    # A log named on purpose that is missing is an empty log: every passed check is unsigned.
    signed, findings = anchors.read_anchors(str(path), key) if path.exists() else ([], [])
    return findings + anchors.check_against_anchors(signed)
