"""What the daily scan should flag about safeguards records on day D, one SQL statement per
kind (set-based, like conditions/services/scan.py), as (kind, subject_type, subject_id,
due_on) rows.

Not wired into the scan yet: the flags gain `subject_type` / `subject_id` on another branch
(CONTRACT.md v1.2, "Flags"); the merge raises, keeps and resolves these rows there. "N days
after D" is D + N and a deadline is met on that day: the flag is due from the next day.
- `eum_follow_up_overdue`: an unfavorable or inconclusive check not resolved by D whose
  `follow_up_due` is before D.
- `violation_report_overdue`: not reported to Congress by D, `discovered_on` + 30 before D.
- `transfer_decision_overdue`: still pending on D, `requested_on` + 90 before D.
- `proscribed_path`: an approved transfer (decided by D) of an item that reached its
  `from_partner` by an approved release or approved transfers, to a partner that holds
  `itar_126_1` on D: the last step of a chain that now ends at a proscribed destination, so
  a partner designated later raises it for every such chain. Due from the later of the
  transfer's decision and the designation's start.
"""

import datetime

from django.db import connection

from safeguards.paths import APPROVED_SQL

VIOLATION_REPORT_DAYS = 30
TRANSFER_DECISION_DAYS = 90

EUM_FOLLOW_UP_SQL = """
SELECT 'eum_follow_up_overdue', 'end-use-checks', c.id, c.follow_up_due
FROM safeguards_endusecheck c
WHERE c.result IN ('unfavorable', 'inconclusive')
  AND c.follow_up_due < %(day)s
  AND (c.resolved_on IS NULL OR c.resolved_on > %(day)s)
"""

VIOLATION_REPORT_SQL = """
SELECT 'violation_report_overdue', 'violations', v.id, v.discovered_on + %(report_days)s
FROM safeguards_violation v
WHERE v.discovered_on + %(report_days)s < %(day)s
  AND (v.reported_to_congress_on IS NULL OR v.reported_to_congress_on > %(day)s)
"""

TRANSFER_DECISION_SQL = """
SELECT 'transfer_decision_overdue', 'transfers', t.id, t.requested_on + %(decision_days)s
FROM safeguards_transfer t
WHERE t.requested_on + %(decision_days)s < %(day)s
  AND (t.decision = 'pending' OR t.decided_on > %(day)s)
"""

PROSCRIBED_PATH_SQL = f"""
WITH RECURSIVE edges AS (
    SELECT t.id AS transfer_id, ti.item_id, t.from_partner_id, t.to_partner_id, t.decided_on
    FROM safeguards_transfer t
    JOIN safeguards_transferitem ti ON ti.transfer_id = t.id
    WHERE t.decision IN {APPROVED_SQL} AND t.decided_on <= %(day)s
),
holds (item_id, partner_id) AS (
    SELECT r.item_id, r.partner_id
    FROM safeguards_releasedecision r
    WHERE r.decision IN {APPROVED_SQL} AND r.decided_on <= %(day)s
    UNION
    SELECT e.item_id, e.to_partner_id
    FROM edges e JOIN holds h ON h.item_id = e.item_id AND h.partner_id = e.from_partner_id
),
proscribed AS (
    SELECT d.partner_id, min(coalesce(d.valid_from, '1900-01-01'::date)) AS since
    FROM partners_partnerdesignation d
    WHERE d.category = 'itar_126_1'
      AND (d.valid_from IS NULL OR d.valid_from <= %(day)s)
      AND (d.valid_to IS NULL OR %(day)s <= d.valid_to)
    GROUP BY d.partner_id
)
SELECT DISTINCT 'proscribed_path', 'transfers', e.transfer_id, greatest(e.decided_on, p.since)
FROM edges e
JOIN proscribed p ON p.partner_id = e.to_partner_id
JOIN holds h ON h.item_id = e.item_id AND h.partner_id = e.from_partner_id
"""  # noqa: S608 (constant SQL, values are bound parameters)  # nosec B608

STATEMENTS = (EUM_FOLLOW_UP_SQL, VIOLATION_REPORT_SQL, TRANSFER_DECISION_SQL, PROSCRIBED_PATH_SQL)


def due_flags(day: datetime.date) -> set[tuple[str, str, int, datetime.date]]:
    """Every (kind, subject_type, subject_id, due_on) the scan of `day` should hold open."""
    bound = {
        "day": day,
        "report_days": VIOLATION_REPORT_DAYS,
        "decision_days": TRANSFER_DECISION_DAYS,
    }
    found = set()
    with connection.cursor() as cursor:
        for sql in STATEMENTS:
            cursor.execute(sql, bound)
            found |= {tuple(row) for row in cursor.fetchall()}
    return found
