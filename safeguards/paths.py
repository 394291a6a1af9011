"""Where released technology could have gone next, on a day: re-transfer paths, in SQL.

An item released to partner A (an approved release decision decided on or before day D) may
move on by approved third-party transfers that cover that item and were decided on or before
D: A→B, then B→C. A **path** is the list of partners after A, in order ([B, C]). Paths are
simple: a partner appears once, and never the partner the item was released to, so a cycle
(A→B→A) ends the walk instead of looping. The walk is one recursive CTE (not Python loops);
tests/safeguards/test_paths_property.py holds it against a plain-Python walk on random graphs.

A path **to a proscribed destination** ends at a partner that holds `itar_126_1` on D. The
report asks only for those, and first finds (one more recursive CTE, backwards over the
transfers) the partners from which a proscribed partner can be reached at all, so the walk
never enters the large part of the graph that leads nowhere dangerous.
"""

import datetime

from django.db import connection

from core.marked import visible_sql

APPROVED_SQL = "('approved', 'approved_with_provisos')"

# Approved releases and the item-carrying edges of approved transfers, on %(day)s; each
# record counted only when the reader may see it (%(categories)s).
_GRAPH = f"""
released AS (
    SELECT DISTINCT r.item_id, r.partner_id
    FROM safeguards_releasedecision r
    JOIN safeguards_technologyitem i ON i.id = r.item_id
    WHERE r.decision IN {APPROVED_SQL} AND r.decided_on <= %(day)s
      AND {visible_sql("r.marking_categories")} AND {visible_sql("i.marking_categories")}
),
edges AS (
    SELECT DISTINCT ti.item_id, t.from_partner_id, t.to_partner_id
    FROM safeguards_transfer t
    JOIN safeguards_transferitem ti ON ti.transfer_id = t.id
    WHERE t.decision IN {APPROVED_SQL} AND t.decided_on <= %(day)s
      AND {visible_sql("t.marking_categories")}
)"""  # noqa: S608 (constant SQL, values are bound parameters)  # nosec B608

_WALK = """
walk (item_id, origin, last_partner, path) AS (
    SELECT item_id, partner_id, partner_id, ARRAY[]::bigint[]
    FROM released
    WHERE {origin_filter}
    UNION
    SELECT w.item_id, w.origin, e.to_partner_id, w.path || e.to_partner_id::bigint
    FROM walk w
    JOIN edges e ON e.item_id = w.item_id AND e.from_partner_id = w.last_partner
    WHERE e.to_partner_id <> w.origin
      AND NOT (e.to_partner_id = ANY (w.path))
      AND {step_filter}
)"""

_WALK_ALL = _WALK.format(origin_filter="TRUE", step_filter="TRUE")
_WALK_TOWARDS_PROSCRIBED = _WALK.format(
    origin_filter="partner_id IN (SELECT partner_id FROM reaches)",
    step_filter="e.to_partner_id IN (SELECT partner_id FROM reaches)",
)

ALL_PATHS_SQL = f"""
WITH RECURSIVE {_GRAPH},
{_WALK_ALL}
SELECT DISTINCT item_id, origin, path FROM walk WHERE cardinality(path) > 0
"""  # noqa: S608  # nosec B608

# Partners holding ITAR §126.1 on the day, and every partner from which one can be reached.
PROSCRIBED_PATHS_SQL = f"""
WITH RECURSIVE {_GRAPH},
proscribed AS (
    SELECT DISTINCT d.partner_id
    FROM partners_partnerdesignation d
    WHERE d.category = 'itar_126_1'
      AND (d.valid_from IS NULL OR d.valid_from <= %(day)s)
      AND (d.valid_to IS NULL OR %(day)s <= d.valid_to)
),
reaches (partner_id) AS (
    SELECT partner_id FROM proscribed
    UNION
    SELECT e.from_partner_id FROM edges e JOIN reaches r ON r.partner_id = e.to_partner_id
),
{_WALK_TOWARDS_PROSCRIBED}
SELECT DISTINCT origin, path
FROM walk
WHERE cardinality(path) > 0 AND path[cardinality(path)] IN (SELECT partner_id FROM proscribed)
ORDER BY origin, path
"""  # noqa: S608  # nosec B608


def transfer_paths(day: datetime.date, categories=()) -> set[tuple[int, int, tuple[int, ...]]]:
    """Every (item, partner released to, path after it) on `day`."""
    with connection.cursor() as cursor:
        cursor.execute(ALL_PATHS_SQL, {"day": day, "categories": list(categories)})
        return {(item, origin, tuple(path)) for item, origin, path in cursor.fetchall()}


def paths_to_proscribed(day: datetime.date, categories=()) -> dict[int, list[list[int]]]:
    """{partner released to: [path, ...]} of the paths that end at a proscribed partner."""
    result: dict[int, list[list[int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(PROSCRIBED_PATHS_SQL, {"day": day, "categories": list(categories)})
        for origin, path in cursor.fetchall():
            result.setdefault(origin, []).append(list(path))
    return result
