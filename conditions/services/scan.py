"""The flag scan: raise, keep or resolve flags for every condition, set-based and idempotent.

One SQL statement per chunk of condition ids computes the flags that should be active
today (CONTRACT.md `flags/` windows), inserts the missing ones with their outbox
notifications (`INSERT ... ON CONFLICT DO NOTHING` against the partial unique index),
resolves the active flags whose cause is gone, and lists the conditions whose status
disagrees with their ledger today (conditions/chains.py). Those few are locked, looked at
again with a fresh snapshot and set to `waived` or `pending_review` (with a `waiver_expired`
flag when a waiver ran out). A second run on unchanged data matches every row and writes
nothing.
Two scans never overlap: a session advisory lock makes the second one skip
(docs/decisions/0010).
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.db import connections, transaction

from conditions.chains import ENDED_ON_SQL, ENDS_ON_SQL, chain_sql
from core.history.context import history_context

logger = logging.getLogger(__name__)

SCAN_LOCK_KEY = 7_311_402_010
DEFAULT_CHUNK_SIZE = 100_000
EXPIRING_WITHIN_DAYS = 30
SCAN_ACTOR = "task:scan_conditions"

# The flag scans of apps above this one (notifications/apps.py registers its own): each is
# called as scan(today=..., using=...) under the same lock, after the condition and Case Act
# flags, and returns a ScanResult. Registered at start-up, so this module imports no app above.
EXTRA_SCANS: list = []


def register_scan(scan) -> None:
    if scan not in EXTRA_SCANS:
        EXTRA_SCANS.append(scan)


@dataclasses.dataclass(frozen=True)
class ScanResult:
    """What one scan did; `skipped` when another scan held the lock."""

    raised: int = 0
    kept: int = 0
    resolved: int = 0
    conditions_lapsed: int = 0
    conditions_waived: int = 0
    notifications: int = 0
    skipped: bool = False

    def __add__(self, other: "ScanResult") -> "ScanResult":
        return ScanResult(
            raised=self.raised + other.raised,
            kept=self.kept + other.kept,
            resolved=self.resolved + other.resolved,
            conditions_lapsed=self.conditions_lapsed + other.conditions_lapsed,
            conditions_waived=self.conditions_waived + other.conditions_waived,
            notifications=self.notifications + other.notifications,
        )


# The flags that should be active, for the conditions with lo <= id <= hi, and the conditions
# whose status disagrees with their ledger today (conditions/chains.py defines the chains).
_CHUNK_CHAINS = chain_sql("e.condition_id BETWEEN %(lo)s AND %(hi)s")
CANDIDATES_SQL = f"""
{_CHUNK_CHAINS},
per_condition AS (
    SELECT c.condition_id,
           bool_or(c.waives) AS waives,
           MIN({ENDS_ON_SQL}) FILTER (WHERE c.waives) AS ends_on,
           MAX({ENDED_ON_SQL}) FILTER (WHERE c.has_terms AND NOT c.waives) AS ended_on
    FROM chain c
    GROUP BY c.condition_id
),
candidates AS (
    SELECT c.id AS condition_id, 'review_overdue'::varchar AS kind, c.next_review_due AS due_on
    FROM conditions_condition c
    WHERE c.id BETWEEN %(lo)s AND %(hi)s AND c.next_review_due < %(day)s
    UNION ALL
    SELECT c.id, 'review_due_soon', c.next_review_due
    FROM conditions_condition c
    WHERE c.id BETWEEN %(lo)s AND %(hi)s AND c.next_review_due >= %(day)s
      AND c.next_review_due <= %(day)s + c.review_warning_days
    UNION ALL
    SELECT condition_id, 'waiver_in_effect', ends_on FROM per_condition WHERE waives
    UNION ALL
    SELECT condition_id, 'waiver_expiring', ends_on
    FROM per_condition
    WHERE waives AND ends_on BETWEEN %(day)s AND %(day)s + %(expiring_days)s
    UNION ALL
    SELECT e.condition_id, 'notification_overdue', MIN(e.signed_on + p.report_deadline_days)
    FROM conditions_waiverentry e
    JOIN agreements_provision p ON p.id = e.authority_id
    WHERE e.condition_id BETWEEN %(lo)s AND %(hi)s
      AND e.congress_notified_on IS NULL AND p.report_deadline_days IS NOT NULL
      AND e.signed_on + p.report_deadline_days < %(day)s
    GROUP BY e.condition_id
),
status_changes AS (
    SELECT c.id
    FROM conditions_condition c LEFT JOIN per_condition p ON p.condition_id = c.id
    WHERE c.id BETWEEN %(lo)s AND %(hi)s
      AND (c.status = 'waived') <> coalesce(p.waives, false)
)"""  # noqa: S608 (constant SQL, values are bound parameters)  # nosec B608

# The outbox row of each flag in a `raised` CTE, written in the same statement.
NOTIFIED_SQL = """notified AS (
    INSERT INTO conditions_notification (flag_id, office, recipient, subject, body, created_at)
    SELECT r.id, c.responsible_office, c.responsible_email,
           left(format('[%%s] %%s', replace(r.kind, '_', ' '), c.title), 300),
           format(E'%%s on condition #%%s: %%s\\nDue on: %%s\\nRaised by the scan of %%s.',
                  replace(r.kind, '_', ' '), c.id, c.title,
                  coalesce(r.due_on::text, 'open-ended'), %(day)s::date),
           now()
    FROM raised r JOIN conditions_condition c ON c.id = r.condition_id
    RETURNING 1
)"""

# The flags of a chunk, in one statement. Data-modifying CTEs share one snapshot, so they
# are written to touch disjoint rows: new flags for keys with no active flag, updates of
# active flags whose cause is gone (resolved) or whose due date moved (kept). Status changes
# are only listed here: they are made under the conditions' row locks (STATUS_SQL).
SCAN_SQL = f"""WITH {CANDIDATES_SQL},
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
{NOTIFIED_SQL},
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
)
SELECT (SELECT count(*) FROM raised),
       (SELECT count(*) FROM candidates),
       (SELECT count(*) FROM changed WHERE NOT holds),
       (SELECT count(*) FROM notified),
       (SELECT coalesce(array_agg(id ORDER BY id), ARRAY[]::bigint[]) FROM status_changes)
"""  # noqa: S608  # nosec B608

# Run after locking the listed conditions, with a fresh snapshot: an entry committed while
# the flags were computed is seen here, so a waiver extended meanwhile is never lapsed.
_LOCKED_CHAINS = chain_sql("e.condition_id = ANY(%(ids)s)")
STATUS_SQL = f"""WITH
{_LOCKED_CHAINS},
per_condition AS (
    SELECT c.condition_id, bool_or(c.waives) AS waives,
           MAX({ENDED_ON_SQL}) FILTER (WHERE c.has_terms AND NOT c.waives) AS ended_on
    FROM chain c GROUP BY c.condition_id
),
target AS (
    SELECT c.id, coalesce(p.waives, false) AS waives, p.ended_on
    FROM conditions_condition c LEFT JOIN per_condition p ON p.condition_id = c.id
    WHERE c.id = ANY(%(ids)s) AND (c.status = 'waived') <> coalesce(p.waives, false)
),
updated AS (
    UPDATE conditions_condition c
    SET status = CASE WHEN t.waives THEN 'waived' ELSE 'pending_review' END,
        version = c.version + 1, updated_at = now()
    FROM target t WHERE c.id = t.id
    RETURNING c.id, t.waives, t.ended_on
),
raised AS (
    INSERT INTO conditions_flag (condition_id, kind, due_on, raised_at, status)
    SELECT u.id, 'waiver_expired', u.ended_on, now(), 'open'
    FROM updated u WHERE NOT u.waives AND u.ended_on IS NOT NULL
    ON CONFLICT (condition_id, kind) WHERE status IN ('open', 'acknowledged') DO NOTHING
    RETURNING id, condition_id, kind, due_on
),
{NOTIFIED_SQL}
SELECT (SELECT count(*) FROM raised),
       (SELECT count(*) FROM updated WHERE NOT waives),
       (SELECT count(*) FROM updated WHERE waives),
       (SELECT count(*) FROM notified)
"""  # noqa: S608  # nosec B608


# Case Act (1 U.S.C. 112b): an agreement signed or entered into force in month M is reported
# to Congress by the end of month M+1. One statement over all agreements: raise a flag (and
# its outbox row) for each one overdue, resolve the flags of those since transmitted.
CASE_ACT_SQL = """
WITH overdue AS (
    SELECT a.id AS agreement_id,
           (date_trunc('month', LEAST(a.signed_on, a.entry_into_force_on))
                + interval '2 months' - interval '1 day')::date AS due_on
    FROM agreements_agreement a
    WHERE a.case_act_transmitted_on IS NULL
      AND LEAST(a.signed_on, a.entry_into_force_on) >= %(flags_from)s
      AND (date_trunc('month', LEAST(a.signed_on, a.entry_into_force_on))
                + interval '2 months' - interval '1 day')::date < %(day)s
),
active AS (
    SELECT f.id, f.agreement_id FROM conditions_flag f
    WHERE f.kind = 'case_act_overdue' AND f.status IN ('open', 'acknowledged')
),
raised AS (
    INSERT INTO conditions_flag (agreement_id, kind, due_on, raised_at, status)
    SELECT o.agreement_id, 'case_act_overdue', o.due_on, now(), 'open' FROM overdue o
    WHERE NOT EXISTS (SELECT 1 FROM active a WHERE a.agreement_id = o.agreement_id)
    ON CONFLICT (agreement_id, kind)
        WHERE status IN ('open', 'acknowledged') AND agreement_id IS NOT NULL DO NOTHING
    RETURNING id, agreement_id, due_on
),
notified AS (
    INSERT INTO conditions_notification (flag_id, office, recipient, subject, body, created_at)
    SELECT r.id, %(office)s, %(recipient)s,
           left(format('[Case Act report overdue] %%s %%s', g.reference, g.title), 300),
           format(E'Case Act report overdue for agreement %%s: %%s\\nDue by: %%s\\n'
                  'Raised by the scan of %%s.', g.reference, g.title, r.due_on, %(day)s::date),
           now()
    FROM raised r JOIN agreements_agreement g ON g.id = r.agreement_id
    RETURNING 1
),
resolved AS (
    UPDATE conditions_flag f SET status = 'resolved', resolved_at = now()
    FROM active a
    WHERE f.id = a.id
      AND NOT EXISTS (SELECT 1 FROM overdue o WHERE o.agreement_id = a.agreement_id)
    RETURNING 1
)
SELECT (SELECT count(*) FROM raised), (SELECT count(*) FROM overdue),
       (SELECT count(*) FROM resolved), (SELECT count(*) FROM notified)
"""  # noqa: S608  # nosec B608


def case_act_scan(*, today: datetime.date, using: str = "default") -> ScanResult:
    """Raise or resolve the agreements' `case_act_overdue` flags, in one transaction."""
    params = {
        "day": today,
        "office": settings.CASE_ACT_OFFICE,
        "recipient": settings.CASE_ACT_EMAIL,
        "flags_from": settings.CASE_ACT_FLAGS_FROM,
    }
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(CASE_ACT_SQL, params)
        raised, overdue, resolved, notifications = cursor.fetchone()
    return ScanResult(
        raised=raised, kept=overdue - raised, resolved=resolved, notifications=notifications
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
            result = _scan_chunks(today=today, chunk_size=chunk_size, using=using)
            result += case_act_scan(today=today, using=using)
            for extra in EXTRA_SCANS:
                result += extra(today=today, using=using)
            return result
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
    """Run the scan's statements for conditions lo..hi in their own transaction."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        return scan_statements(cursor, today=today, lo=lo, hi=hi)


def scan_statements(cursor, *, today: datetime.date, lo: int, hi: int) -> ScanResult:
    """The flags of conditions lo..hi, then their statuses under the rows' locks."""
    params = {"day": today, "lo": lo, "hi": hi, "expiring_days": EXPIRING_WITHIN_DAYS}
    # Checked per row, not at commit: PostgreSQL re-walks its queue of deferred foreign
    # key checks after every history trigger, which made a big chunk quadratic
    # (20,000 flags: 67 s deferred, 5 s immediate). Restored for any outer transaction.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(SCAN_SQL, params)
    raised, candidates, resolved, notifications, changing = cursor.fetchone()
    expired = lapsed = waived = expired_notifications = 0
    if changing:
        cursor.execute(
            "SELECT id FROM conditions_condition WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
            [changing],
        )
        cursor.execute(STATUS_SQL, {"day": today, "ids": changing})
        expired, lapsed, waived, expired_notifications = cursor.fetchone()
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return ScanResult(
        raised=raised + expired,
        kept=candidates - raised,
        resolved=resolved,
        conditions_lapsed=lapsed,
        conditions_waived=waived,
        notifications=notifications + expired_notifications,
    )
