"""Where co-production and licensed-manufacturing work goes: by U.S. state and NAICS sector,
per partner and fiscal year, in two queries whatever the number of partners
(docs/decisions/0012-reports-and-bulk-import.md).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Case, CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Substr

from agreements.models import Agreement, AgreementParticipant, IndustrialParticipant
from core.web.csv import rows_of
from registry.reports.params import ReportParams, fiscal_year_of

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
CENT = Decimal("0.01")


def sector_label(code: str | None) -> str:
    if not code:
        return "Unspecified"
    return f"{code} {NAICS_SECTORS.get(code, 'Unknown sector')}"


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
    rows = IndustrialParticipant.objects.filter(
        params.visible("agreement__", "company__"),  # records the reader may not see: left out
        agreement__agreement_type__in=INDUSTRIAL_TYPES,
    )
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


def _by_partner(rows, params: ReportParams) -> list[dict]:
    """Per government partner, fiscal year, state and sector; a contract counts under each."""
    partner_filter = Q(agreement__participants__partner__kind__in=GOVERNMENT_KINDS)
    partner_filter &= params.visible("agreement__participants__partner__")
    if params.partners:
        partner_filter &= Q(agreement__participants__partner_id__in=params.partners)
    grouped = (
        rows.filter(partner_filter)
        .values(
            "year",
            "us_state",
            "sector",
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
    )
    return [dict(r) for r in grouped]


def _add_shares(rows: list[dict]) -> None:
    """Each row's sector name and its share of its partner's value in that fiscal year."""
    partner_year_totals: dict = defaultdict(Decimal)
    for row in rows:
        partner_year_totals[(row["partner_id"], row["year"])] += row["value_usd"]
    for row in rows:
        total = partner_year_totals[(row["partner_id"], row["year"])]
        row["sector_name"] = sector_label(row["sector"])
        row["share_of_partner_year_value_percent"] = (
            (row["value_usd"] * 100 / total).quantize(CENT) if total else None
        )
        if row["average_work_share_percent"] is not None:
            row["average_work_share_percent"] = row["average_work_share_percent"].quantize(CENT)


def _by_state(rows, params: ReportParams) -> list[dict]:
    """Value and contracts per U.S. state, each contract counted once."""
    once = rows.filter(
        Exists(
            AgreementParticipant.objects.filter(
                params.visible("partner__"),
                agreement=OuterRef("agreement"),
                partner__kind__in=GOVERNMENT_KINDS,
                **({"partner_id__in": params.partners} if params.partners else {}),
            )
        )
    )
    return [
        dict(r)
        for r in once.values("us_state")
        .annotate(
            value_usd=Coalesce(Sum("contract_value_usd"), Decimal("0")), contracts=Count("id")
        )
        .order_by("-value_usd", "us_state")
    ]


def industrial_base_report(params: ReportParams) -> IndustrialReport:
    """Co-production and licensed-manufacturing work (2 queries).

    A contract counts in full under each government partner of its agreement, so per-partner
    figures answer "what does cooperation with this partner bring"; the by-state totals count
    each contract once.
    """
    rows = _industrial_base(params)
    report = IndustrialReport(rows=_by_partner(rows, params), by_state=_by_state(rows, params))
    _add_shares(report.rows)
    report.total_value_usd = sum((r["value_usd"] for r in report.by_state), Decimal("0"))
    return report


def industrial_csv_rows(report: IndustrialReport):
    """The page's table, a line per partner, fiscal year, state and sector."""
    columns = [(key, lambda row, key=key: row[key]) for key, _ in INDUSTRIAL_COLUMNS]
    return rows_of(columns, report.rows)
