"""The notifications' flags, in the conditions scan (conditions.services.scan.register_scan).

One statement, set-based and idempotent like the rest of the scan (docs/decisions/0010):
- `acted_before_review_ended`: a notification acted on before its earliest action day
  without an emergency waiver; about the agreement or the waiver entry it notifies (or the
  notification itself when it links neither), due on the earliest action day.
- `notification_missing`: a `granted` or `extended` waiver entry on a Leahy condition whose
  authority is codified at 10 U.S.C. 362, or a binding agreement (Case Act), past its due day
  with no linked notification of that kind (`dod_leahy_362`, `case_act`) and no date in the
  record's own field for it (`congress_notified_on`, `case_act_transmitted_on`), which the
  registry kept before notifications were records and which still counts.
New flags get their outbox row in the same statement; active flags whose cause is gone (the
record was corrected, the notification recorded) are resolved; a second run writes nothing.
"""

import datetime

from django.conf import settings
from django.db import connections, transaction

from conditions.services.scan import ScanResult
from notifications.models import REVIEW_DAYS_SQL, TABLE

KINDS = ("acted_before_review_ended", "notification_missing")


def _period(kind: str, day_column: str) -> str:
    """The report_within_days of `kind`'s period in force on `day_column`."""
    return f"""(SELECT p.report_within_days FROM notifications_reviewperiod p
        WHERE p.kind = '{kind}' AND p.valid_from <= {day_column}
        ORDER BY p.valid_from DESC LIMIT 1)"""  # noqa: S608 (constant SQL)  # nosec B608


NOTIFICATION_FLAGS_SQL = f"""
WITH reviewed AS (
    SELECT id, agreement_id, waiver_entry_id, acted_on, emergency_waiver,
           received_on + {REVIEW_DAYS_SQL} AS earliest
    FROM {TABLE}
    WHERE acted_on IS NOT NULL AND NOT emergency_waiver
),
early AS (
    SELECT CASE WHEN agreement_id IS NOT NULL THEN 'agreements'
                WHEN waiver_entry_id IS NOT NULL THEN 'waivers'
                ELSE 'notifications' END::varchar AS subject_type,
           coalesce(agreement_id, waiver_entry_id, id) AS subject_id,
           agreement_id,
           'acted_before_review_ended'::varchar AS kind,
           MIN(earliest) AS due_on
    FROM reviewed
    WHERE acted_on < earliest
    GROUP BY 1, 2, 3
),
leahy AS (
    SELECT e.id, e.signed_on + {_period("dod_leahy_362", "e.signed_on")} AS due_on
    FROM conditions_waiverentry e
    JOIN conditions_condition c ON c.id = e.condition_id AND c.leahy_applicable
    JOIN agreements_provision v ON v.id = e.authority_id
    WHERE e.action IN ('granted', 'extended')
      AND e.congress_notified_on IS NULL  -- the entry's own record of the report still counts
      AND v.codification ~ '^10 U[.]S[.]C[.] 362([^0-9]|$)'
),
case_act AS (
    SELECT a.id, a.signed_on + {_period("case_act", "a.signed_on")} AS due_on
    FROM agreements_agreement a
    WHERE a.binding AND a.signed_on IS NOT NULL
      AND a.case_act_transmitted_on IS NULL  -- the agreement's own record still counts
),
candidates AS (
    SELECT * FROM early
    UNION ALL
    SELECT 'waivers', l.id, NULL::bigint, 'notification_missing', l.due_on
    FROM leahy l
    WHERE l.due_on < %(day)s AND NOT EXISTS (
        SELECT 1 FROM {TABLE} n WHERE n.waiver_entry_id = l.id AND n.kind = 'dod_leahy_362')
    UNION ALL
    SELECT 'agreements', g.id, g.id, 'notification_missing', g.due_on
    FROM case_act g
    WHERE g.due_on < %(day)s AND NOT EXISTS (
        SELECT 1 FROM {TABLE} n WHERE n.agreement_id = g.id AND n.kind = 'case_act')
),
active AS (
    SELECT f.id, f.subject_type, f.subject_id, f.kind, f.due_on
    FROM conditions_flag f
    WHERE f.kind = ANY(%(kinds)s) AND f.status IN ('open', 'acknowledged')
),
raised AS (
    INSERT INTO conditions_flag
        (agreement_id, subject_type, subject_id, kind, due_on, raised_at, status)
    SELECT n.agreement_id, n.subject_type, n.subject_id, n.kind, n.due_on, now(), 'open'
    FROM candidates n
    WHERE NOT EXISTS (
        SELECT 1 FROM active a
        WHERE a.subject_type = n.subject_type AND a.subject_id = n.subject_id
          AND a.kind = n.kind
    )
    ON CONFLICT (subject_type, subject_id, kind)
        WHERE status IN ('open', 'acknowledged') DO NOTHING
    RETURNING id, subject_type, subject_id, kind, due_on
),
notified AS (
    INSERT INTO conditions_notification (flag_id, office, recipient, subject, body, created_at)
    SELECT r.id, coalesce(c.responsible_office, %(office)s),
           coalesce(c.responsible_email, %(recipient)s),
           left(format('[%%s] %%s #%%s', replace(r.kind, '_', ' '), r.subject_type,
                       r.subject_id), 300),
           format(E'%%s: %%s #%%s\\nDue on: %%s\\nRaised by the scan of %%s.',
                  replace(r.kind, '_', ' '), r.subject_type, r.subject_id,
                  coalesce(r.due_on::text, 'open-ended'), %(day)s::date),
           now()
    FROM raised r
    LEFT JOIN conditions_waiverentry e ON r.subject_type = 'waivers' AND e.id = r.subject_id
    LEFT JOIN conditions_condition c ON c.id = e.condition_id
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
        LEFT JOIN candidates n ON n.subject_type = a.subject_type
            AND n.subject_id = a.subject_id AND n.kind = a.kind
        WHERE n.kind IS NULL OR n.due_on IS DISTINCT FROM a.due_on
    ) x
    WHERE f.id = x.id
    RETURNING x.holds
)
SELECT (SELECT count(*) FROM raised), (SELECT count(*) FROM candidates),
       (SELECT count(*) FROM changed WHERE NOT holds), (SELECT count(*) FROM notified)
"""  # noqa: S608 (constant SQL, values are bound parameters)  # nosec B608


def notification_scan(*, today: datetime.date, using: str = "default") -> ScanResult:
    """Raise, keep or resolve the notifications' flags for `today`, in one transaction."""
    params = {
        "day": today,
        "kinds": list(KINDS),
        "office": settings.CASE_ACT_OFFICE,
        "recipient": settings.CASE_ACT_EMAIL,
    }
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(NOTIFICATION_FLAGS_SQL, params)
        raised, candidates, resolved, notifications = cursor.fetchone()
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return ScanResult(
        raised=raised, kept=candidates - raised, resolved=resolved, notifications=notifications
    )
