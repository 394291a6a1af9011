"""Technology exposure: which partners hold which technology, how it is watched, and whether
a re-transfer path leads to a proscribed destination (CONTRACT.md v1.2, issue 28).

Per partner on day D (docs/decisions/0041-technology-safeguards.md for each definition):
items released (approved release decisions decided on or before D), by classification, MTCR
and EEUM items among them; unfavorable end-use checks performed by D and not resolved by D;
violations discovered by D; approved re-transfers out of the partner decided by D; and the
paths from the partner to a partner holding ITAR §126.1 on D (safeguards/paths.py). Two
queries, whatever the number of partners. Rows come most sensitive first: top secret items,
then secret, confidential, then all items released.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection

from core.marked import visible_sql
from core.markings import Marking, highest
from core.web.csv import rows_of
from partners.models import Partner
from registry.reports.params import ReportParams
from safeguards.choices import Classification
from safeguards.models import EndUseCheck, ReleaseDecision, TechnologyItem, Transfer, Violation
from safeguards.paths import APPROVED_SQL, paths_to_proscribed

CLASSIFICATIONS = [value for value, _ in Classification.choices]

_COUNTS_SQL = f"""
WITH rel AS (
    SELECT DISTINCT r.partner_id, i.id AS item_id, i.classification, i.mtcr_category, i.eeum
    FROM safeguards_releasedecision r
    JOIN safeguards_technologyitem i ON i.id = r.item_id
    WHERE r.decision IN {APPROVED_SQL} AND r.decided_on <= %(day)s
      AND {visible_sql("r.marking_categories")} AND {visible_sql("i.marking_categories")}
),
released AS (
    SELECT partner_id, count(*) AS items_released,
        count(*) FILTER (WHERE classification = 'unclassified') AS unclassified,
        count(*) FILTER (WHERE classification = 'confidential') AS confidential,
        count(*) FILTER (WHERE classification = 'secret') AS secret,
        count(*) FILTER (WHERE classification = 'top_secret') AS top_secret,
        count(*) FILTER (WHERE mtcr_category IS NOT NULL) AS mtcr_items,
        count(*) FILTER (WHERE eeum) AS eeum_items
    FROM rel GROUP BY partner_id
),
checks AS (
    SELECT partner_id, count(*) AS n FROM safeguards_endusecheck
    WHERE result = 'unfavorable' AND performed_on <= %(day)s
      AND (resolved_on IS NULL OR resolved_on > %(day)s)
      AND {visible_sql("marking_categories")}
    GROUP BY partner_id
),
violations AS (
    SELECT partner_id, count(*) AS n FROM safeguards_violation
    WHERE discovered_on <= %(day)s AND {visible_sql("marking_categories")}
    GROUP BY partner_id
),
transfers AS (
    SELECT from_partner_id AS partner_id, count(*) AS n FROM safeguards_transfer
    WHERE decision IN {APPROVED_SQL} AND decided_on <= %(day)s
      AND {visible_sql("marking_categories")}
    GROUP BY from_partner_id
),
ids AS (
    SELECT partner_id FROM released UNION SELECT partner_id FROM checks
    UNION SELECT partner_id FROM violations UNION SELECT partner_id FROM transfers
)
SELECT p.id, p.name, coalesce(r.items_released, 0), coalesce(r.unclassified, 0),
    coalesce(r.confidential, 0), coalesce(r.secret, 0), coalesce(r.top_secret, 0),
    coalesce(r.mtcr_items, 0), coalesce(r.eeum_items, 0), coalesce(c.n, 0),
    coalesce(v.n, 0), coalesce(t.n, 0)
FROM ids
JOIN partners_partner p ON p.id = ids.partner_id
LEFT JOIN released r ON r.partner_id = p.id
LEFT JOIN checks c ON c.partner_id = p.id
LEFT JOIN violations v ON v.partner_id = p.id
LEFT JOIN transfers t ON t.partner_id = p.id
WHERE {visible_sql("p.marking_categories")}
  AND (%(every)s OR p.id = ANY (%(partners)s))
"""  # noqa: S608 (constant SQL, values are bound parameters)  # nosec B608


@dataclass
class TechnologyExposureReport:
    as_of: datetime.date
    rows: list[dict] = field(default_factory=list)


def technology_exposure_report(params: ReportParams) -> TechnologyExposureReport:
    """A row per partner with released items, checks, violations or approved transfers."""
    day = params.day
    bound = {
        "day": day,
        "categories": list(params.categories),
        "every": not params.partners,
        "partners": list(params.partners),
    }
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL, bound)
        found = cursor.fetchall()
    paths = paths_to_proscribed(day, params.categories) if found else {}
    rows = []
    for partner_id, name, released, *by_class, mtcr, eeum, checks, violations, out in found:
        rows.append(
            {
                "partner_id": partner_id,
                "partner": name,
                "items_released": released,
                "items_by_classification": dict(zip(CLASSIFICATIONS, by_class, strict=True)),
                "mtcr_items": mtcr,
                "eeum_items": eeum,
                "checks_unfavorable_open": checks,
                "violations": violations,
                "transfers_approved": out,
                "paths_to_proscribed": paths.get(partner_id, []),
            }
        )
    rows.sort(key=_most_sensitive_first)
    return TechnologyExposureReport(as_of=day, rows=rows)


def _most_sensitive_first(row: dict):
    counts = row["items_by_classification"]
    return (
        -counts["top_secret"],
        -counts["secret"],
        -counts["confidential"],
        -row["items_released"],
        row["partner"],
    )


def technology_exposure_marking(params: ReportParams) -> Marking:
    """The highest marking of the records the report counts (on or before its day)."""
    day, seen = params.day, params.visible("")
    on_file = {"partner_id__in": params.partners} if params.partners else {}
    releases = ReleaseDecision.objects.filter(seen, decided_on__lte=day, **on_file)
    return highest(
        [
            releases.highest_marking(),
            TechnologyItem.objects.filter(
                seen, pk__in=releases.values("item_id")
            ).highest_marking(),
            EndUseCheck.objects.filter(seen, performed_on__lte=day, **on_file).highest_marking(),
            Violation.objects.filter(seen, discovered_on__lte=day, **on_file).highest_marking(),
            Transfer.objects.filter(
                seen,
                decided_on__lte=day,
                **({"from_partner_id__in": params.partners} if params.partners else {}),
            ).highest_marking(),
            Partner.objects.filter(seen, pk__in=releases.values("partner_id")).highest_marking(),
        ]
    )


def path_names(report: TechnologyExposureReport) -> dict[int, str]:
    """The names of the partners the report's paths pass through (one query)."""
    ids = {p for row in report.rows for path in row["paths_to_proscribed"] for p in path}
    return dict(Partner.objects.filter(pk__in=ids).values_list("id", "name")) if ids else {}


def describe_paths(paths: list[list[int]], names: dict[int, str]) -> list[str]:
    """Each path in words: "Bravo → Charlie"."""
    return [" → ".join(names.get(p, f"partner {p}") for p in path) for path in paths]


def technology_exposure_csv_rows(report: TechnologyExposureReport):
    """The report's rows, a line per partner, with the day it describes and paths by name."""
    names = path_names(report)
    columns = [
        ("as_of", lambda row: report.as_of),
        ("partner_id", lambda row: row["partner_id"]),
        ("partner", lambda row: row["partner"]),
        ("items_released", lambda row: row["items_released"]),
        *[
            (f"items_{level}", lambda row, level=level: row["items_by_classification"][level])
            for level in CLASSIFICATIONS
        ],
        ("mtcr_items", lambda row: row["mtcr_items"]),
        ("eeum_items", lambda row: row["eeum_items"]),
        ("checks_unfavorable_open", lambda row: row["checks_unfavorable_open"]),
        ("violations", lambda row: row["violations"]),
        ("transfers_approved", lambda row: row["transfers_approved"]),
        (
            "paths_to_proscribed",
            lambda row: "; ".join(describe_paths(row["paths_to_proscribed"], names)),
        ),
    ]
    return rows_of(columns, report.rows)
