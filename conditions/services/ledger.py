"""The waiver ledger's hash chain: canonical content, hashing, verification."""

import hashlib
import json

from django.db import connection

from conditions.models import WaiverEntry

GENESIS_HASH = "0" * 64
# One advisory-lock key for the ledger: writers queue on it, so the chain never forks.
LEDGER_LOCK_KEY = 7_311_402_001
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
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK_KEY])


def next_sequence() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('conditions_waiver_ledger_seq')")
        return cursor.fetchone()[0]


def last_hash() -> str:
    last = WaiverEntry.objects.order_by("-sequence").values_list("entry_hash", flat=True).first()
    return last or GENESIS_HASH


def verify_chain() -> WaiverEntry | None:
    """The first entry whose hash or link does not match, or None when the chain is intact."""
    previous = GENESIS_HASH
    entries = WaiverEntry.objects.order_by("sequence").prefetch_related("sources")
    for entry in entries.iterator(chunk_size=2000):
        sources = list(entry.sources.all())
        if entry.previous_hash != previous or entry.entry_hash != compute_hash(
            entry, sources, previous
        ):
            return entry
        previous = entry.entry_hash
    return None
