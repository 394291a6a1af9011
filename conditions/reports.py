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

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from agreements.reports import ReportParams, fiscal_year_of
from conditions.models import REVIEW_OUTCOMES, Condition, ConditionReview, WaiverEntry
from partners.models import Partner

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
# Funds of a condition certified met (or remediated, or released under an exception) are
# released on the merits; everything else that was not waived is still held back.
RELEASED_STATUSES = ("met", "remediated", "exception_invoked")
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
    day = params.day
    corrected_later = WaiverEntry.objects.filter(
        amends=OuterRef("pk"), action="corrected", signed_on__lte=day
    )
    return WaiverEntry.objects.filter(signed_on__lte=day).annotate(
        counts_as_waived=Case(
            When(Q(action__in=("granted", "corrected")) & ~Q(Exists(corrected_later)), then=1),
            default=0,
        ),
        fy=Coalesce("fiscal_year", "condition__fiscal_year", fiscal_year_of("signed_on")),
        deadline=ExpressionWrapper(
            F("signed_on") + F("authority__report_deadline_days"), output_field=DateField()
        ),
    )


def _condition_rows(params: ReportParams):
    """Conditions with a fiscal year: count, amount conditioned, amount withheld."""
    waived_here = (
        _waivers(params)
        .filter(condition=OuterRef("pk"), counts_as_waived=1)
        .values("condition")
        .annotate(total=Sum("amount_usd"))
        .values("total")
    )
    conditions = Condition.objects.filter(fiscal_year__isnull=False).annotate(
        waived=Coalesce(Subquery(waived_here, output_field=MONEY), ZERO),
        withheld=Case(
            When(status__in=RELEASED_STATUSES, then=ZERO),
            default=Greatest(Coalesce("amount_conditioned_usd", ZERO) - F("waived"), ZERO),
            output_field=MONEY,
        ),
    )
    return (
        _in_range(conditions, params, "fiscal_year", "partner_id")
        .values("partner_id", fy=F("fiscal_year"))
        .annotate(
            conditions_in_force=Count("id"),
            amount_conditioned_usd=Coalesce(Sum("amount_conditioned_usd"), ZERO),
            amount_withheld_usd=Coalesce(Sum("withheld"), ZERO),
        )
        .order_by()
    )


def _review_rows(params: ReportParams):
    """Reviews by the fiscal year they were held in, on time or late against the due date.

    The due date a review answered is the `next_review_due` set by the condition's previous
    review or, for its first review, the due date the condition was created with.
    """
    previous = ConditionReview.objects.filter(
        Q(reviewed_on__lt=OuterRef("reviewed_on"))
        | Q(reviewed_on=OuterRef("reviewed_on"), id__lt=OuterRef("id")),
        condition=OuterRef("condition"),
    ).order_by("-reviewed_on", "-id")
    first_due = (
        Condition.pgh_event_model.objects.filter(pgh_obj_id=OuterRef("condition"))
        .order_by("pgh_id")
        .values("next_review_due")[:1]
    )
    reviews = ConditionReview.objects.filter(reviewed_on__lte=params.day).annotate(
        fy=fiscal_year_of("reviewed_on"),
        partner_id=F("condition__partner_id"),
        due=Coalesce(
            Subquery(previous.values("next_review_due")[:1]),
            Subquery(first_due),
            output_field=DateField(),
        ),
    )
    late = Q(due__isnull=False, reviewed_on__gt=F("due"))
    return (
        _in_range(reviews, params, "fy", "partner_id")
        .values("partner_id", "fy")
        .annotate(
            reviews_held=Count("id"),
            reviews_late=Count("id", filter=late),
            **{f"outcome_{o}": Count("id", filter=Q(outcome=o)) for o in OUTCOMES},
        )
        .order_by()
    )


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
            amount_waived_usd=Coalesce(Sum("amount_usd", filter=Q(counts_as_waived=1)), ZERO),
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


DAYS_SQL = """
WITH spans AS (
    SELECT c.partner_id,
           w.effective_on AS first_day,
           LEAST(w.expires_on, %(as_of)s,
                 (SELECT MIN(a.effective_on) - 1 FROM {waiver} a
                   WHERE a.amends_id = w.id AND a.signed_on <= %(as_of)s)) AS last_day
      FROM {waiver} w JOIN {condition} c ON c.id = w.condition_id
     WHERE w.action IN ('granted', 'extended', 'corrected')
       AND w.signed_on <= %(as_of)s AND w.effective_on <= %(as_of)s
       AND (%(all_partners)s OR c.partner_id = ANY(%(partners)s))
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
    sql = DAYS_SQL.format(waiver=WaiverEntry._meta.db_table, condition=Condition._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "as_of": params.day,
                "all_partners": not params.partners,
                "partners": list(params.partners),
                "year_from": year_from,
                "year_to": year_to,
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
    standing_conditions = Condition.objects.filter(fiscal_year__isnull=True)
    if params.partners:
        standing_conditions = standing_conditions.filter(partner_id__in=params.partners)
    standing = dict(
        standing_conditions.values("partner_id")
        .annotate(n=Count("id"))
        .values_list("partner_id", "n")
        .order_by()
    )
    years = [fy for _, fy in rows]
    year_from = params.year_from or (min(years) if years else params.day.year)
    year_to = params.year_to or (max(years) if years else _fy(params.day))
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


def _fy(day: datetime.date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


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
            {"partner_id": row["partner_id"], "partner": row["partner"],
             "amount_conditioned_usd": Decimal("0"), "amount_waived_usd": Decimal("0")},
        )  # fmt: skip
        entry["amount_conditioned_usd"] += row["amount_conditioned_usd"]
        entry["amount_waived_usd"] += row["amount_waived_usd"]
    for entry in totals.values():
        entry["share_waived_percent"] = _share(
            entry["amount_waived_usd"], entry["amount_conditioned_usd"]
        )
    return sorted(totals.values(), key=lambda e: e["partner"])


def enforcement_csv_rows(report: EnforcementReport):
    yield ["as_of", *[key for key, _ in COLUMNS]]
    for row in report.rows:
        values = [row[key] for key, _ in COLUMNS]
        yield [report.as_of.isoformat(), *["" if v is None else v for v in values]]
