"""The flag scan: raise, keep or resolve flags for every condition, set-based and idempotent.

One SQL statement per chunk of condition ids computes the flags that should be active
today (CONTRACT.md `flags/` windows), inserts the missing ones with their outbox
notifications (`INSERT ... ON CONFLICT DO NOTHING` against the partial unique index),
resolves the active flags whose cause is gone, and sets conditions whose waiver ran out
to `pending_review`. A second run on unchanged data matches every row and writes nothing.
Two scans never overlap: a session advisory lock makes the second one skip
(docs/decisions/0010).
"""

import dataclasses
import datetime
import logging

from django.db import connections, transaction

from config.history import history_context

logger = logging.getLogger(__name__)

SCAN_LOCK_KEY = 7_311_402_010
DEFAULT_CHUNK_SIZE = 100_000
EXPIRING_WITHIN_DAYS = 30
SCAN_ACTOR = "task:scan_conditions"


@dataclasses.dataclass(frozen=True)
class ScanResult:
    """What one scan did; `skipped` when another scan held the lock."""

    raised: int = 0
    kept: int = 0
    resolved: int = 0
    conditions_lapsed: int = 0
    notifications: int = 0
    skipped: bool = False

    def __add__(self, other: "ScanResult") -> "ScanResult":
        return ScanResult(
            raised=self.raised + other.raised,
            kept=self.kept + other.kept,
            resolved=self.resolved + other.resolved,
            conditions_lapsed=self.conditions_lapsed + other.conditions_lapsed,
            notifications=self.notifications + other.notifications,
        )


# The flags that should be active, for the conditions with lo <= id <= hi.
# An entry's end is the earlier of its expires_on and the day before the first entry
# amending it takes effect (an extension or correction replaces it, a revocation ends it).
CANDIDATES_SQL = """
waiving AS (
    SELECT e.condition_id,
           LEAST(e.expires_on, MIN(a.effective_on) - 1) AS ends_on
    FROM conditions_waiverentry e
    LEFT JOIN conditions_waiverentry a ON a.amends_id = e.id
    WHERE e.condition_id BETWEEN %(lo)s AND %(hi)s
      AND e.action IN ('granted', 'extended', 'corrected')
      AND e.effective_on <= %(today)s
    GROUP BY e.id
),
per_condition AS (
    SELECT condition_id,
           bool_or(ends_on IS NULL OR ends_on >= %(today)s) AS in_effect,
           MIN(ends_on) FILTER (WHERE ends_on >= %(today)s) AS effect_ends_on,
           MIN(ends_on) FILTER (
               WHERE ends_on BETWEEN %(today)s AND %(today)s + %(expiring_days)s
           ) AS expiring_on,
           MAX(ends_on) FILTER (WHERE ends_on < %(today)s) AS ended_on
    FROM waiving
    GROUP BY condition_id
),
candidates AS (
    SELECT c.id AS condition_id, 'review_overdue'::varchar AS kind, c.next_review_due AS due_on
    FROM conditions_condition c
    WHERE c.id BETWEEN %(lo)s AND %(hi)s AND c.next_review_due < %(today)s
    UNION ALL
    SELECT c.id, 'review_due_soon', c.next_review_due
    FROM conditions_condition c
    WHERE c.id BETWEEN %(lo)s AND %(hi)s AND c.next_review_due >= %(today)s
      AND c.next_review_due <= %(today)s + c.review_warning_days
    UNION ALL
    SELECT condition_id, 'waiver_in_effect', effect_ends_on FROM per_condition WHERE in_effect
    UNION ALL
    SELECT condition_id, 'waiver_expiring', expiring_on
    FROM per_condition WHERE expiring_on IS NOT NULL
    UNION ALL
    SELECT p.condition_id, 'waiver_expired', p.ended_on
    FROM per_condition p JOIN conditions_condition c ON c.id = p.condition_id
    WHERE NOT p.in_effect AND p.ended_on IS NOT NULL AND c.status = 'waived'
    UNION ALL
    SELECT e.condition_id, 'notification_overdue', MIN(e.signed_on + p.report_deadline_days)
    FROM conditions_waiverentry e
    JOIN agreements_provision p ON p.id = e.authority_id
    WHERE e.condition_id BETWEEN %(lo)s AND %(hi)s
      AND e.congress_notified_on IS NULL AND p.report_deadline_days IS NOT NULL
      AND e.signed_on + p.report_deadline_days < %(today)s
    GROUP BY e.condition_id
)"""

# Everything a chunk writes, in one statement. Data-modifying CTEs share one snapshot, so
# they are written to touch disjoint rows: new flags for keys with no active flag, updates
# of active flags whose cause is gone (resolved) or whose due date moved (kept).
SCAN_SQL = (
    "WITH"  # noqa: S608 (constant SQL, values are bound parameters)  # nosec B608
    + CANDIDATES_SQL
    + """,
active AS (
    SELECT f.id, f.condition_id, f.kind, f.due_on
    FROM conditions_flag f
    WHERE f.condition_id BETWEEN %(lo)s AND %(hi)s AND f.status IN ('open', 'acknowledged')
),
raised AS (
    INSERT INTO conditions_flag (condition_id, kind, due_on, raised_at, status)
    SELECT n.condition_id, n.kind, n.due_on, now(), 'open'
    FROM candidates n
    WHERE NOT EXISTS (
        SELECT 1 FROM active a WHERE a.condition_id = n.condition_id AND a.kind = n.kind
    )
    ON CONFLICT (condition_id, kind) WHERE status IN ('open', 'acknowledged') DO NOTHING
    RETURNING id, condition_id, kind, due_on
),
notified AS (
    INSERT INTO conditions_notification (flag_id, office, recipient, subject, body, created_at)
    SELECT r.id, c.responsible_office, c.responsible_email,
           left(format('[%%s] %%s', replace(r.kind, '_', ' '), c.title), 300),
           format(E'%%s on condition #%%s: %%s\\nDue on: %%s\\nRaised by the scan of %%s.',
                  replace(r.kind, '_', ' '), c.id, c.title,
                  coalesce(r.due_on::text, 'open-ended'), %(today)s::date),
           now()
    FROM raised r JOIN conditions_condition c ON c.id = r.condition_id
    RETURNING 1
),
changed AS (
    UPDATE conditions_flag f
    SET status = CASE WHEN x.holds THEN f.status ELSE 'resolved' END,
        resolved_at = CASE WHEN x.holds THEN f.resolved_at ELSE now() END,
        due_on = CASE WHEN x.holds THEN x.due_on ELSE f.due_on END
    FROM (
        SELECT a.id, n.kind IS NOT NULL AS holds, n.due_on
        FROM active a
        LEFT JOIN candidates n ON n.condition_id = a.condition_id AND n.kind = a.kind
        -- waiver_expired stays open until a review is recorded or an editor resolves it.
        WHERE (n.kind IS NULL AND a.kind <> 'waiver_expired')
           OR (n.kind IS NOT NULL AND n.due_on IS DISTINCT FROM a.due_on)
    ) x
    WHERE f.id = x.id
    RETURNING x.holds
),
lapsed AS (
    UPDATE conditions_condition c
    SET status = 'pending_review', version = c.version + 1, updated_at = now()
    FROM candidates n
    WHERE n.kind = 'waiver_expired' AND c.id = n.condition_id AND c.status = 'waived'
    RETURNING c.id
)
SELECT (SELECT count(*) FROM raised),
       (SELECT count(*) FROM candidates),
       (SELECT count(*) FROM changed WHERE NOT holds),
       (SELECT count(*) FROM lapsed),
       (SELECT count(*) FROM notified)
"""
)


def scan_conditions(
    *,
    today: datetime.date,
    actor: str = SCAN_ACTOR,
    channel: str = "task",
    task_id: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    using: str = "default",
) -> ScanResult:
    """Bring the flags in line with `today`; skip when another scan is running."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SCAN_LOCK_KEY])
        if not cursor.fetchone()[0]:
            logger.info("Another flag scan is running; this one skips.")
            return ScanResult(skipped=True)
    try:
        with history_context(actor=actor, channel=channel, task_id=task_id):
            return _scan_chunks(today=today, chunk_size=chunk_size, using=using)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SCAN_LOCK_KEY])


def _scan_chunks(*, today, chunk_size, using) -> ScanResult:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM conditions_condition")
        first, last = cursor.fetchone()
    result = ScanResult()
    if first is None:
        return result
    for lo in range(first, last + 1, chunk_size):
        result += scan_chunk(today=today, lo=lo, hi=lo + chunk_size - 1, using=using)
    logger.info("Flag scan for %s: %s", today, result)
    return result


def scan_chunk(*, today: datetime.date, lo: int, hi: int, using: str = "default") -> ScanResult:
    """Run the scan statement for conditions lo..hi in its own transaction."""
    params = {"today": today, "lo": lo, "hi": hi, "expiring_days": EXPIRING_WITHIN_DAYS}
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        # Checked per row, not at commit: PostgreSQL re-walks its queue of deferred foreign
        # key checks after every history trigger, which made a big chunk quadratic
        # (20,000 flags: 67 s deferred, 5 s immediate). Restored for any outer transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(SCAN_SQL, params)
        raised, candidates, resolved, lapsed, notifications = cursor.fetchone()
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return ScanResult(
        raised=raised,
        kept=candidates - raised,
        resolved=resolved,
        conditions_lapsed=lapsed,
        notifications=notifications,
    )
