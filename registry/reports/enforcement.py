"""The enforcement question: are human-rights conditions enforced, or waived?

Per partner and fiscal year: conditions in force, reviews (on time or late) and their
outcomes, ledger entries, amounts conditioned, waived and withheld, days under waiver, and
waivers notified to Congress late or not at all. Six queries, whatever the number of
partners (docs/decisions/0012-reports-and-bulk-import.md for every definition).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    Value,
)
from django.db.models.functions import Coalesce

from conditions.chains import chain_sql
from conditions.models import REVIEW_OUTCOMES, Condition, ConditionReview, WaiverEntry
from core.marked import visible_sql
from core.registry_day import fiscal_year
from core.web.csv import rows_of
from partners.models import Partner
from registry.reports.params import ReportParams, fiscal_year_of

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
# Entries that need a report to Congress (a revocation or correction ends or fixes a waiver).
NOTIFIABLE_ACTIONS = ("granted", "extended")
OUTCOMES = [value for value, _ in REVIEW_OUTCOMES]

COLUMNS = [
    ("partner", "Partner"),
    ("fiscal_year", "Fiscal year"),
    ("conditions_in_force", "Conditions in force"),
    ("reviews_held", "Reviews held"),
    ("reviews_on_time", "Reviews on time"),
    ("reviews_late", "Reviews late"),
    *[(f"outcome_{o}", f"Outcome: {label}") for o, label in REVIEW_OUTCOMES],
    ("waivers_granted", "Waivers granted"),
    ("waivers_extended", "Waivers extended"),
    ("waivers_revoked", "Waivers revoked"),
    ("waivers_corrected", "Waivers corrected"),
    ("amount_conditioned_usd", "Amount conditioned (USD)"),
    ("amount_waived_usd", "Amount waived (USD)"),
    ("amount_withheld_usd", "Amount withheld (USD)"),
    ("share_waived_percent", "Share of conditioned amount waived (%)"),
    ("days_under_waiver", "Days under waiver"),
    ("notifications_late", "Waivers notified late"),
    ("notifications_missing", "Waivers not notified"),
]


@dataclass
class EnforcementReport:
    as_of: datetime.date
    rows: list[dict] = field(default_factory=list)
    # Per partner over the years shown: conditioned, waived, share waived.
    headline: list[dict] = field(default_factory=list)


def _waivers(params: ReportParams):
    """Ledger entries signed by the day, with the fiscal year they are counted in."""
    visible = params.visible("", "condition__", "condition__partner__")
    return WaiverEntry.objects.filter(visible, signed_on__lte=params.day).annotate(
        fy=Coalesce("fiscal_year", "condition__fiscal_year", fiscal_year_of("signed_on")),
        deadline=ExpressionWrapper(
            F("signed_on") + F("authority__report_deadline_days"), output_field=DateField()
        ),
    )


# Per partner and the conditions' fiscal year, on the day: conditioned, waived (the terms of
# every chain with terms and no standing revocation: conditions/chains.py) and withheld
# (conditioned less waived, not below 0; nothing once the latest review by the day found the
# condition met or remediated). One statement; NUMERIC sums cannot overflow.
AMOUNTS_SQL = """
WITH {chains},
waived AS (
    SELECT condition_id, SUM(terms_amount_usd) FILTER (WHERE counts_as_waived) AS amount
      FROM chain GROUP BY condition_id
),
latest_review AS (
    SELECT DISTINCT ON (r.condition_id) r.condition_id, r.outcome
      FROM conditions_conditionreview r
     WHERE r.reviewed_on <= %(day)s AND r.condition_id IN (SELECT id FROM scope)
       AND {review_visible}
     ORDER BY r.condition_id, r.reviewed_on DESC, r.id DESC
),
per_condition AS (
    SELECT c.partner_id, c.fiscal_year,
           coalesce(c.amount_conditioned_usd, 0) AS conditioned,
           coalesce(w.amount, 0) AS waived,
           CASE WHEN lr.outcome IN ('met', 'remediated') THEN 0
                ELSE GREATEST(coalesce(c.amount_conditioned_usd, 0) - coalesce(w.amount, 0), 0)
           END AS withheld
      FROM scope c
      LEFT JOIN waived w ON w.condition_id = c.id
      LEFT JOIN latest_review lr ON lr.condition_id = c.id
)
SELECT partner_id, fiscal_year, count(*), SUM(conditioned), SUM(waived), SUM(withheld)
  FROM per_condition GROUP BY partner_id, fiscal_year
"""
# Inlined wherever it is used, so that PostgreSQL estimates the conditions from statistics:
# materialised, it guessed 200 and looked each condition's waiver entries up one by one.
SCOPE_SQL = f"""
scope AS NOT MATERIALIZED (
    SELECT id, partner_id, fiscal_year, amount_conditioned_usd FROM conditions_condition
     WHERE fiscal_year IS NOT NULL
       AND (%(year_from)s::int IS NULL OR fiscal_year >= %(year_from)s::int)
       AND (%(year_to)s::int IS NULL OR fiscal_year <= %(year_to)s::int)
       AND (%(all_partners)s OR partner_id = ANY(%(partners)s))
       AND {visible_sql("marking_categories")}
       AND partner_id IN (SELECT id FROM partners_partner
                           WHERE {visible_sql("marking_categories")})
)"""  # noqa: S608  # nosec B608


def _condition_rows(params: ReportParams) -> list[dict]:
    """Conditions with a fiscal year: count and amounts conditioned, waived and withheld."""
    visible = visible_sql("e.marking_categories")
    # Constant SQL: column names and placeholders from core.marked, no value from a request.
    scope = f"e.condition_id IN (SELECT id FROM scope) AND {visible}"  # noqa: S608  # nosec B608
    chains = chain_sql(scope)
    sql = AMOUNTS_SQL.format(  # noqa: S608  # nosec B608
        chains=f"{SCOPE_SQL},\n{chains}", review_visible=visible_sql("r.marking_categories")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {**_sql_params(params), "day": params.day})
        return [
            {
                "partner_id": partner_id,
                "fy": fy,
                "conditions_in_force": count,
                "amount_conditioned_usd": conditioned,
                "amount_waived_usd": waived,
                "amount_withheld_usd": withheld,
            }
            for partner_id, fy, count, conditioned, waived, withheld in cursor.fetchall()
        ]


def _sql_params(params: ReportParams) -> dict:
    return {
        "year_from": params.year_from,
        "year_to": params.year_to,
        "all_partners": not params.partners,
        "partners": list(params.partners),
        "categories": list(params.categories),
    }


# Reviews held by the day, per partner, fiscal year held in and outcome, with how many were
# late: held after the due date they answered. That date is the `next_review_due` set by the
# condition's previous review (LAG over all its reviews by the day, those the reader may not
# see included) or, for its first review, the due date the condition was created with (its
# first history event, read once per condition through the (pgh_obj_id, pgh_id) index). Each
# is computed once, not as a subquery per use.
REVIEWS_SQL = """
WITH reviews AS (
    SELECT c.partner_id, r.condition_id, r.reviewed_on, r.outcome, {r_visible} AS visible,
           LAG(r.next_review_due) OVER (
               PARTITION BY r.condition_id ORDER BY r.reviewed_on, r.id) AS previous_due
      FROM {review} r
      JOIN {condition} c ON c.id = r.condition_id
      JOIN partners_partner p ON p.id = c.partner_id
     WHERE r.reviewed_on <= %(day)s AND {c_visible} AND {p_visible}
       AND (%(all_partners)s OR c.partner_id = ANY(%(partners)s))
), first_due AS (
    SELECT f.condition_id, first.next_review_due
      FROM (SELECT DISTINCT condition_id FROM reviews WHERE previous_due IS NULL) f
     CROSS JOIN LATERAL (
         SELECT e.next_review_due FROM {condition_event} e
          WHERE e.pgh_obj_id = f.condition_id ORDER BY e.pgh_id LIMIT 1) first
), dated AS (
    SELECT r.partner_id, r.outcome, r.reviewed_on,
           coalesce(r.previous_due, f.next_review_due) AS due,
           (EXTRACT(YEAR FROM r.reviewed_on)
            + CASE WHEN EXTRACT(MONTH FROM r.reviewed_on) >= 10 THEN 1 ELSE 0 END)::int AS fy
      FROM reviews r LEFT JOIN first_due f ON f.condition_id = r.condition_id
     WHERE r.visible
)
SELECT partner_id, fy, outcome, count(*), count(*) FILTER (WHERE reviewed_on > due)
  FROM dated
 WHERE (%(year_from)s::int IS NULL OR fy >= %(year_from)s::int)
   AND (%(year_to)s::int IS NULL OR fy <= %(year_to)s::int)
 GROUP BY partner_id, fy, outcome
"""


def _review_rows(params: ReportParams) -> list[dict]:
    """Reviews by the fiscal year they were held in, on time or late, and their outcomes
    (a review without a due date is on time)."""
    sql = REVIEWS_SQL.format(
        review=ConditionReview._meta.db_table,
        condition=Condition._meta.db_table,
        condition_event=Condition.pgh_event_model._meta.db_table,
        **{f"{a}_visible": visible_sql(f"{a}.marking_categories") for a in "rcp"},
    )
    rows: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, {**_sql_params(params), "day": params.day})
        for partner_id, fy, outcome, held, late in cursor.fetchall():
            row = rows.setdefault(
                (partner_id, fy),
                {"partner_id": partner_id, "fy": fy, "reviews_held": 0, "reviews_late": 0},
            )
            row["reviews_held"] += held
            row["reviews_late"] += late
            row[f"outcome_{outcome}"] = held
    return list(rows.values())


def _waiver_rows(params: ReportParams):
    day = params.day
    notifiable = Q(action__in=NOTIFIABLE_ACTIONS)
    late = notifiable & Q(congress_notified_on__gt=F("deadline"))
    missing = (
        notifiable
        & Q(congress_notified_on__isnull=True)
        & (Q(deadline__isnull=True) | Q(deadline__lt=day))
    )
    entries = _waivers(params).annotate(partner_id=F("condition__partner_id"))
    return (
        _in_range(entries, params, "fy", "partner_id")
        .values("partner_id", "fy")
        .annotate(
            **{f"waivers_{a}": Count("id", filter=Q(action=a)) for a in WaiverEntry.Action.values},
            notifications_late=Count("id", filter=late),
            notifications_missing=Count("id", filter=missing),
        )
        .order_by()
    )


def _in_range(queryset, params: ReportParams, year_field: str, partner_field: str):
    if params.year_from:
        queryset = queryset.filter(**{f"{year_field}__gte": params.year_from})
    if params.year_to:
        queryset = queryset.filter(**{f"{year_field}__lte": params.year_to})
    if params.partners:
        queryset = queryset.filter(**{f"{partner_field}__in": params.partners})
    return queryset


# Days under waiver, by the chain rules: a standing non-revocation entry holds a chain's terms
# from its effective day until a later standing entry takes effect; its chain waives on those
# days up to its expiry, the day before the chain's standing revocation, and the report's day.
DAYS_SQL = """
WITH standing AS (
    SELECT e.chain_id, e.sequence, e.effect, e.effective_on, e.expires_on, c.partner_id
      FROM {waiver} e JOIN {condition} c ON c.id = e.condition_id
     WHERE (%(all_partners)s OR c.partner_id = ANY(%(partners)s))
       AND {e_visible} AND {c_visible}
       AND c.partner_id IN (SELECT id FROM partners_partner WHERE {p_visible})
       AND NOT EXISTS (
           SELECT 1 FROM {waiver} x WHERE x.amends_id = e.id AND x.action = 'corrected'
              AND {x_visible})
), revocations AS (
    SELECT chain_id, MIN(effective_on) AS revoked_from
      FROM standing WHERE effect = 'revoked' GROUP BY chain_id
), terms AS (
    SELECT s.chain_id, s.partner_id, s.effective_on, s.expires_on,
           MIN(s.effective_on) OVER (
               PARTITION BY s.chain_id ORDER BY s.sequence
               ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_effective_on
      FROM standing s WHERE s.effect <> 'revoked'
), spans AS (
    SELECT t.partner_id, t.effective_on AS first_day,
           LEAST(t.next_effective_on - 1, t.expires_on, r.revoked_from - 1, %(as_of)s) AS last_day
      FROM terms t LEFT JOIN revocations r ON r.chain_id = t.chain_id
), merged AS (
    SELECT partner_id, range_agg(daterange(first_day, last_day, '[]')) AS days
      FROM spans WHERE last_day >= first_day GROUP BY partner_id
)
SELECT m.partner_id, y.fy, SUM(upper(r) - lower(r))
  FROM merged m
 CROSS JOIN generate_series(%(year_from)s::int, %(year_to)s::int) AS y(fy)
 CROSS JOIN LATERAL unnest(
     m.days * datemultirange(daterange(make_date(y.fy - 1, 10, 1), make_date(y.fy, 10, 1)))
 ) AS r
 GROUP BY m.partner_id, y.fy
"""


def _days_under_waiver(params: ReportParams, year_from: int, year_to: int) -> dict:
    """Days in each fiscal year on which at least one of a partner's conditions was waived."""
    sql = DAYS_SQL.format(
        waiver=WaiverEntry._meta.db_table,
        condition=Condition._meta.db_table,
        **{f"{a}_visible": visible_sql(f"{a}.marking_categories") for a in "ecx"},
        p_visible=visible_sql("marking_categories"),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "as_of": params.day,
                "all_partners": not params.partners,
                "partners": list(params.partners),
                "year_from": year_from,
                "year_to": year_to,
                "categories": list(params.categories),
            },
        )
        return {(pid, fy): days for pid, fy, days in cursor.fetchall()}


def enforcement_report(params: ReportParams) -> EnforcementReport:
    """The enforcement table (6 queries: conditions, standing conditions, reviews, waivers,
    days under waiver, partner names)."""
    rows: dict = defaultdict(dict)
    for source in (_condition_rows(params), _review_rows(params), _waiver_rows(params)):
        for row in source:
            key = (row.pop("partner_id"), row.pop("fy"))
            rows[key].update(row)
    # Conditions without a fiscal year (e.g. Leahy vetting) stand in every year shown.
    standing_conditions = Condition.objects.filter(
        params.visible("", "partner__"), fiscal_year__isnull=True
    )
    if params.partners:
        standing_conditions = standing_conditions.filter(partner_id__in=params.partners)
    standing = dict(
        standing_conditions.values("partner_id")
        .annotate(n=Count("id"))
        .values_list("partner_id", "n")
        .order_by()
    )
    years = [fy for _, fy in rows]
    year_from = params.year_from or (min(years) if years else fiscal_year(params.day))
    year_to = params.year_to or (max(years) if years else fiscal_year(params.day))
    for partner_id in standing:
        for fy in range(year_from, year_to + 1):
            rows[(partner_id, fy)]
    for key, days in _days_under_waiver(params, year_from, year_to).items():
        rows[key]["days_under_waiver"] = days
    names = dict(Partner.objects.filter(id__in={p for p, _ in rows}).values_list("id", "name"))
    report = EnforcementReport(as_of=params.day)
    for (partner_id, fy), values in rows.items():
        report.rows.append(_complete(partner_id, names[partner_id], fy, values, standing))
    report.rows.sort(key=lambda r: (r["partner"], r["fiscal_year"]))
    report.headline = _headline(report.rows)
    return report


def _complete(partner_id, name, fy, values, standing) -> dict:
    row = {"partner_id": partner_id, "partner": name, "fiscal_year": fy}
    for key, _ in COLUMNS[2:]:
        row[key] = values.get(key, Decimal("0") if key.startswith("amount") else 0)
    row["conditions_in_force"] += standing.get(partner_id, 0)
    row["reviews_on_time"] = row["reviews_held"] - row["reviews_late"]
    row["share_waived_percent"] = _share(row["amount_waived_usd"], row["amount_conditioned_usd"])
    return row


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def _headline(rows: list[dict]) -> list[dict]:
    totals: dict = {}
    for row in rows:
        entry = totals.setdefault(
            row["partner_id"],
            {
                "partner_id": row["partner_id"],
                "partner": row["partner"],
                "amount_conditioned_usd": Decimal("0"),
                "amount_waived_usd": Decimal("0"),
            },
        )
        entry["amount_conditioned_usd"] += row["amount_conditioned_usd"]
        entry["amount_waived_usd"] += row["amount_waived_usd"]
    for entry in totals.values():
        entry["share_waived_percent"] = _share(
            entry["amount_waived_usd"], entry["amount_conditioned_usd"]
        )
    return sorted(totals.values(), key=lambda e: e["partner"])


def enforcement_csv_rows(report: EnforcementReport):
    """The page's table and the day it describes, a line per partner and fiscal year."""
    columns = [("as_of", lambda row: report.as_of), *[(k, itemgetter(k)) for k, _ in COLUMNS]]
    return rows_of(columns, report.rows)
