"""Access: which partners hold agreements in force, per technology area, on a chosen day.

Four queries whatever the number of partners it shows
(docs/decisions/0012-reports-and-bulk-import.md). The page shows counts; the CSV export and
the API also list every agreement reference (docs/decisions/0030-reports-summarised.md).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, Q

from agreements.models import Agreement, AgreementParticipant, TechnologyArea
from core.web.csv import labelled, rows_of
from partners.models import PartnerDesignation
from registry.reports.params import ReportParams

NO_AREA = "unspecified"


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


def access_report(params: ReportParams, *, references: bool = True) -> AccessReport:
    """Agreements in force on `params.day`, per partner and technology area (4 queries).

    A suspended participation (suspended on or before the day) gives no access: it is counted
    apart. The year range, when given, keeps agreements signed in those fiscal years. Each
    row counts the agreements held and suspended from; with `references` it also lists their
    references (`agreements`, `suspended`), which the page leaves to the CSV export.
    """
    day = params.day
    base = _participations(params)
    designations = _designations(base, day)
    by_partner, used_areas, by_area = _matrix(base, day, references=references)
    names = dict(TechnologyArea.objects.filter(slug__in=used_areas).values_list("slug", "name"))
    areas = sorted(
        ((s, names.get(s, "No technology area")) for s in used_areas), key=lambda a: a[1]
    )
    report = AccessReport(as_of=day, areas=areas)
    for row in _partners(base, day, references=references):
        pid = row["partner_id"]
        line = {
            "partner_id": pid,
            "partner": row["partner__name"],
            "iso3": row["partner__iso3"],
            "kind": row["partner__kind"],
            "designations": designations.get(pid, []),
            "agreements_count": row["agreements_count"],
            "suspended_count": row["suspended_count"],
            "cells": by_partner.get(pid, {}),
        }
        if references:
            line["agreements"] = [r for r in row["held"] or [] if r]
            line["suspended"] = [r for r in row["suspended"] or [] if r]
            line["area_agreements"] = by_area.get(pid, {})
        report.rows.append(line)
    return report


def _participations(params: ReportParams):
    """Participations on the day in agreements in force then (and in the year range).

    The agreements' test sits in the subquery so that the participations join the agreements
    once, not twice."""
    return _participants(params).filter(agreement__in=_agreements(params))


def _agreements(params: ReportParams):
    """Agreements in force on the day, signed in the year range, that the reader may see."""
    agreements = Agreement.objects.in_force_on(params.day).filter(params.visible(""))
    if params.year_from:
        agreements = agreements.filter(signed_on__gte=datetime.date(params.year_from - 1, 10, 1))
    if params.year_to:
        agreements = agreements.filter(signed_on__lte=datetime.date(params.year_to, 9, 30))
    return agreements


def _participants(params: ReportParams):
    """Participations on the day, in any agreement, of the partners chosen that the reader
    may see."""
    participants = AgreementParticipant.objects.filter(
        _participating_on(params.day), params.visible("partner__")
    )
    if params.partners:
        participants = participants.filter(partner_id__in=params.partners)
    return participants


def _designations(base, day: datetime.date) -> dict[int, list[str]]:
    """The designation categories each partner holds on the day, in code order."""
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
    return designations


def _matrix(
    base, day: datetime.date, *, references: bool = False
) -> tuple[dict[int, dict], set[str], dict[int, dict[str, list[str]]]]:
    """Per partner and technology area, the agreements giving access (none suspended) and
    their types; the areas that appear at all; and with `references`, per partner and area
    the references of those agreements (the CSV's line for an area lists that area's).

    Counted per partner, area and type, then added up here: a partner takes part in an
    agreement once and an agreement names an area once (both unique constraints), so each
    group counts distinct agreements without a DISTINCT aggregate, which would sort every
    participation."""
    groups = (
        base.exclude(suspended_on__lte=day)
        .values(
            "partner_id",
            area=F("agreement__technology_areas__slug"),
            agreement_type=F("agreement__agreement_type"),
        )
        .annotate(agreements=Count("agreement_id"))
        .order_by("area", "agreement_type")  # cells by area, each cell's types in code order
    )
    if references:
        groups = groups.annotate(references=ArrayAgg("agreement__reference"))
    by_partner: dict[int, dict] = defaultdict(dict)
    by_area: dict[int, dict[str, list[str]]] = defaultdict(dict)
    used_areas = set()
    for group in groups:
        area = group["area"] or NO_AREA
        used_areas.add(area)
        cell = by_partner[group["partner_id"]].setdefault(area, {"agreements": 0, "types": []})
        cell["agreements"] += group["agreements"]
        cell["types"].append(group["agreement_type"])
        if references:
            by_area[group["partner_id"]].setdefault(area, []).extend(group["references"])
    for areas in by_area.values():
        for refs in areas.values():
            refs.sort()
    return by_partner, used_areas, by_area


def _partners(base, day: datetime.date, *, references: bool):
    """One row per partner: how many agreements it holds and is suspended from, and with
    `references` their references.

    A partner takes part in an agreement once (a unique constraint), so counting its
    participations counts distinct agreements."""
    suspended = Q(suspended_on__lte=day)
    figures = {
        "agreements_count": Count("id", filter=~suspended),
        "suspended_count": Count("id", filter=suspended),
    }
    if references:
        figures["held"] = ArrayAgg(
            "agreement__reference", filter=~suspended, order_by="agreement__reference"
        )
        figures["suspended"] = ArrayAgg(
            "agreement__reference", filter=suspended, order_by="agreement__reference"
        )
    return (
        base.values("partner_id", "partner__name", "partner__iso3", "partner__kind")
        .annotate(**figures)
        .order_by("partner__name")
    )


# One CSV line per partner and technology area, with the references of the agreements in
# force that give the partner that area (the page counts them) and of every agreement the
# partner is suspended from, which gives it no area; codes for machines with a label beside
# each.
ACCESS_CSV_COLUMNS = [
    ("as_of", itemgetter("as_of")),
    ("partner", itemgetter("partner")),
    ("iso3", itemgetter("iso3")),
    *labelled("designations", itemgetter("designations"), PartnerDesignation.Category.choices),
    ("technology_area", itemgetter("technology_area")),
    ("agreements_in_force", itemgetter("agreements_in_force")),
    *labelled("agreement_types", itemgetter("agreement_types"), Agreement.Type.choices),
    ("agreements", lambda line: " ".join(line["area_references"])),
    ("suspended_participations", lambda line: " ".join(line["suspended"])),
]


def access_csv_rows(report: AccessReport):
    """One line per partner and technology area (plus partners with only suspensions)."""
    return rows_of(ACCESS_CSV_COLUMNS, _access_lines(report))


def _access_lines(report: AccessReport):
    names = dict(report.areas)
    for row in report.rows:
        line = {**row, "as_of": report.as_of}
        if not row["cells"]:
            yield {
                **line,
                "technology_area": "",
                "agreements_in_force": 0,
                "agreement_types": [],
                "area_references": [],
            }
        for slug, cell in sorted(row["cells"].items()):
            yield {
                **line,
                "technology_area": names.get(slug, slug),
                "agreements_in_force": cell["agreements"],
                "agreement_types": cell["types"],
                "area_references": row["area_agreements"].get(slug, []),
            }
