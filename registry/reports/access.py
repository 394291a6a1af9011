"""Answers to two of the registry's questions, aggregated in SQL with a fixed number of queries.

- Access: which partners hold agreements in force, per technology area, on a chosen day.
- Industrial base: where co-production and licensed-manufacturing work goes, by U.S. state
  and NAICS sector, per partner and fiscal year.

Each report runs the same number of queries whatever the number of partners it shows
(docs/decisions/0012-reports-and-bulk-import.md).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Substr

from agreements.models import (
    Agreement,
    AgreementParticipant,
    IndustrialParticipant,
    TechnologyArea,
)
from core.registry_day import registry_today
from partners.models import PartnerDesignation

NO_AREA = "unspecified"
# Partners that own a share of an agreement (a company is an industrial participant instead).
GOVERNMENT_KINDS = ("country", "international_organization", "government_agency")
INDUSTRIAL_TYPES = (Agreement.Type.CO_PRODUCTION, Agreement.Type.LICENSED_MANUFACTURING)
NAICS_SECTORS = {
    "11": "Agriculture, Forestry, Fishing and Hunting",
    "21": "Mining, Quarrying, and Oil and Gas Extraction",
    "22": "Utilities",
    "23": "Construction",
    "31-33": "Manufacturing",
    "42": "Wholesale Trade",
    "44-45": "Retail Trade",
    "48-49": "Transportation and Warehousing",
    "51": "Information",
    "52": "Finance and Insurance",
    "53": "Real Estate and Rental and Leasing",
    "54": "Professional, Scientific, and Technical Services",
    "55": "Management of Companies and Enterprises",
    "56": "Administrative and Support and Waste Management and Remediation Services",
    "61": "Educational Services",
    "62": "Health Care and Social Assistance",
    "71": "Arts, Entertainment, and Recreation",
    "72": "Accommodation and Food Services",
    "81": "Other Services (except Public Administration)",
    "92": "Public Administration",
}


@dataclass(frozen=True)
class ReportParams:
    """The filters every report takes: partners, a fiscal-year range and the as-of day."""

    partners: tuple[int, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    as_of: datetime.date | None = None

    @property
    def day(self) -> datetime.date:
        return self.as_of or registry_today()


def fiscal_year_of(date_field: str):
    """The U.S. federal fiscal year of a date column: FY N runs 1 Oct N-1 to 30 Sep N."""
    return ExtractYear(date_field) + Case(
        When(**{f"{date_field}__month__gte": 10}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def sector_label(code: str | None) -> str:
    if not code:
        return "Unspecified"
    return f"{code} {NAICS_SECTORS.get(code, 'Unknown sector')}"


# ----- access --------------------------------------------------------------------------


@dataclass
class AccessReport:
    """The partner × technology area matrix on one day."""

    as_of: datetime.date
    areas: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)


def _participating_on(day: datetime.date) -> Q:
    started = (
        Q(joined_on__lte=day)
        | Q(joined_on__isnull=True, signed_on__lte=day)
        | Q(joined_on__isnull=True, signed_on__isnull=True)
    )
    not_left = Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
    return started & not_left


def access_report(params: ReportParams) -> AccessReport:
    """Agreements in force on `params.day`, per partner and technology area (4 queries).

    A suspended participation (suspended on or before the day) gives no access: it is listed
    apart. The year range, when given, keeps agreements signed in those fiscal years.
    """
    day = params.day
    agreements = Agreement.objects.in_force_on(day)
    if params.year_from:
        agreements = agreements.filter(signed_on__gte=datetime.date(params.year_from - 1, 10, 1))
    if params.year_to:
        agreements = agreements.filter(signed_on__lte=datetime.date(params.year_to, 9, 30))
    base = AgreementParticipant.objects.filter(_participating_on(day), agreement__in=agreements)
    if params.partners:
        base = base.filter(partner_id__in=params.partners)
    suspended = Q(suspended_on__lte=day)

    cells = (
        base.exclude(suspended)
        .values("partner_id", area=F("agreement__technology_areas__slug"))
        .annotate(
            agreements=Count("agreement_id", distinct=True),
            types=ArrayAgg(
                "agreement__agreement_type", distinct=True, order_by="agreement__agreement_type"
            ),
        )
    )
    partners = (
        base.values("partner_id", "partner__name", "partner__iso3", "partner__kind")
        .annotate(
            held=ArrayAgg(
                "agreement__reference", distinct=True, filter=~suspended,
                order_by="agreement__reference",
            ),
            suspended=ArrayAgg(
                "agreement__reference", distinct=True, filter=suspended,
                order_by="agreement__reference",
            ),
        )
        .order_by("partner__name")
    )  # fmt: skip
    designations = defaultdict(list)
    for partner_id, category in (
        PartnerDesignation.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            partner_id__in=base.values("partner_id"),
        )
        .order_by("category")
        .values_list("partner_id", "category")
    ):
        designations[partner_id].append(category)

    by_partner: dict[int, dict] = defaultdict(dict)
    used_areas = set()
    for cell in cells:
        area = cell["area"] or NO_AREA
        used_areas.add(area)
        by_partner[cell["partner_id"]][area] = {
            "agreements": cell["agreements"],
            "types": cell["types"],
        }
    names = dict(TechnologyArea.objects.filter(slug__in=used_areas).values_list("slug", "name"))
    areas = sorted(
        ((s, names.get(s, "No technology area")) for s in used_areas), key=lambda a: a[1]
    )
    report = AccessReport(as_of=day, areas=areas)
    for row in partners:
        pid = row["partner_id"]
        report.rows.append(
            {
                "partner_id": pid,
                "partner": row["partner__name"],
                "iso3": row["partner__iso3"],
                "kind": row["partner__kind"],
                "designations": designations.get(pid, []),
                "agreements": [r for r in row["held"] or [] if r],
                "suspended": [r for r in row["suspended"] or [] if r],
                "cells": by_partner.get(pid, {}),
            }
        )
    return report


def access_csv_rows(report: AccessReport):
    """One line per partner and technology area (plus partners with only suspensions)."""
    yield [
        "as_of", "partner", "iso3", "designations", "technology_area", "agreements_in_force",
        "agreement_types", "agreements", "suspended_participations",
    ]  # fmt: skip
    names = dict(report.areas)
    for row in report.rows:
        common = [
            report.as_of.isoformat(), row["partner"], row["iso3"] or "",
            " ".join(row["designations"]),
        ]  # fmt: skip
        tail = [" ".join(row["agreements"]), " ".join(row["suspended"])]
        if not row["cells"]:
            yield [*common, "", 0, "", *tail]
        for slug, cell in sorted(row["cells"].items()):
            yield [
                *common,
                names.get(slug, slug),
                cell["agreements"],
                " ".join(cell["types"]),
                *tail,
            ]


# ----- industrial base -----------------------------------------------------------------


@dataclass
class IndustrialReport:
    """Contract value and work share by partner, fiscal year, U.S. state and sector."""

    rows: list[dict] = field(default_factory=list)
    by_state: list[dict] = field(default_factory=list)
    total_value_usd: Decimal = Decimal("0")


def _sector():
    two = Substr("naics_code", 1, 2)
    return Case(
        When(naics_code="", then=Value("")),
        When(naics_code__regex=r"^3[1-3]", then=Value("31-33")),
        When(naics_code__regex=r"^4[45]", then=Value("44-45")),
        When(naics_code__regex=r"^4[89]", then=Value("48-49")),
        default=two,
        output_field=CharField(),
    )


def _industrial_base(params: ReportParams):
    rows = IndustrialParticipant.objects.filter(agreement__agreement_type__in=INDUSTRIAL_TYPES)
    if params.as_of:
        rows = rows.filter(agreement__in=Agreement.objects.in_force_on(params.as_of))
    rows = rows.annotate(
        year=Coalesce("fiscal_year", fiscal_year_of("agreement__signed_on")), sector=_sector()
    )
    if params.year_from:
        rows = rows.filter(year__gte=params.year_from)
    if params.year_to:
        rows = rows.filter(year__lte=params.year_to)
    return rows


def industrial_base_report(params: ReportParams) -> IndustrialReport:
    """Co-production and licensed-manufacturing work (2 queries).

    A contract counts in full under each government partner of its agreement, so per-partner
    figures answer "what does cooperation with this partner bring"; the by-state totals count
    each contract once.
    """
    rows = _industrial_base(params)
    partner_filter = Q(agreement__participants__partner__kind__in=GOVERNMENT_KINDS)
    if params.partners:
        partner_filter &= Q(agreement__participants__partner_id__in=params.partners)
    grouped = (
        rows.filter(partner_filter)
        .values(
            "year", "us_state", "sector",
            partner_id=F("agreement__participants__partner_id"),
            partner=F("agreement__participants__partner__name"),
        )
        .annotate(
            contracts=Count("id", distinct=True),
            agreements=Count("agreement_id", distinct=True),
            value_usd=Coalesce(Sum("contract_value_usd"), Decimal("0")),
            average_work_share_percent=Avg("work_share_percent"),
        )
        .order_by("partner", "year", "us_state", "sector")
    )  # fmt: skip
    report = IndustrialReport(rows=[dict(r) for r in grouped])
    partner_year_totals: dict = defaultdict(Decimal)
    for row in report.rows:
        partner_year_totals[(row["partner_id"], row["year"])] += row["value_usd"]
    for row in report.rows:
        total = partner_year_totals[(row["partner_id"], row["year"])]
        row["sector_name"] = sector_label(row["sector"])
        row["share_of_partner_year_value_percent"] = (
            (row["value_usd"] * 100 / total).quantize(Decimal("0.01")) if total else None
        )
        if row["average_work_share_percent"] is not None:
            row["average_work_share_percent"] = row["average_work_share_percent"].quantize(
                Decimal("0.01")
            )
    once = rows.filter(
        Exists(
            AgreementParticipant.objects.filter(
                agreement=OuterRef("agreement"),
                partner__kind__in=GOVERNMENT_KINDS,
                **({"partner_id__in": params.partners} if params.partners else {}),
            )
        )
    )
    report.by_state = [
        dict(r)
        for r in once.values("us_state")
        .annotate(
            value_usd=Coalesce(Sum("contract_value_usd"), Decimal("0")), contracts=Count("id")
        )
        .order_by("-value_usd", "us_state")
    ]
    report.total_value_usd = sum((r["value_usd"] for r in report.by_state), Decimal("0"))
    return report


INDUSTRIAL_COLUMNS = [
    ("partner", "Partner"),
    ("year", "Fiscal year"),
    ("us_state", "U.S. state"),
    ("sector_name", "NAICS sector"),
    ("contracts", "Contracts"),
    ("agreements", "Agreements"),
    ("value_usd", "Contract value (USD)"),
    ("share_of_partner_year_value_percent", "Share of partner-year value (%)"),
    ("average_work_share_percent", "Average declared work share (%)"),
]


def industrial_csv_rows(report: IndustrialReport):
    yield [key for key, _ in INDUSTRIAL_COLUMNS]
    for row in report.rows:
        yield [_csv_value(row[key]) for key, _ in INDUSTRIAL_COLUMNS]


def _csv_value(value):
    return "" if value is None else value
