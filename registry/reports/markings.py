"""The marking of a report: the highest marking of the records it counts (core/markings.py).

Asked apart from the report's own queries (each report keeps its fixed query count): one
query per kind of record over its distinct markings, limited as the report is to what the
reader may see. The fiscal-year range is not applied, so a report is never marked lower
than what it counts (docs/decisions/0028-cui-markings.md).
"""

from agreements.models import Agreement
from conditions.models import Condition, ConditionReview, WaiverEntry
from core.markings import Marking, highest
from partners.models import Partner
from registry.reports.access import (
    _agreements,
    _participants,
    _participations,
    access_report,
)
from registry.reports.enforcement import enforcement_report
from registry.reports.industrial_base import _industrial_base, industrial_base_report
from registry.reports.params import ReportParams
from registry.reports.technology_exposure import (
    technology_exposure_marking,
    technology_exposure_report,
)


def _partners(params: ReportParams, path: str = "") -> dict:
    return {f"{path}id__in": params.partners} if params.partners else {}


def enforcement_marking(params: ReportParams) -> Marking:
    seen = params.visible("", "partner__")
    conditions = Condition.objects.filter(seen, **_partners(params, "partner__"))
    below = params.visible("", "condition__", "condition__partner__")
    on_file = {**_partners(params, "condition__partner__")}
    return highest(
        [
            conditions.highest_marking(),
            ConditionReview.objects.filter(
                below, reviewed_on__lte=params.day, **on_file
            ).highest_marking(),
            WaiverEntry.objects.filter(
                below, signed_on__lte=params.day, **on_file
            ).highest_marking(),
            Partner.objects.filter(pk__in=conditions.values("partner_id")).highest_marking(),
        ]
    )


def access_marking(params: ReportParams) -> Marking:
    # The agreements counted: in force (and seen) with a participation on the day. Asked from
    # the agreements' side, PostgreSQL hashes the participations once instead of looking
    # them up agreement by agreement.
    agreements = _agreements(params).filter(pk__in=_participants(params).values("agreement_id"))
    base = _participations(params)
    return highest(
        [
            agreements.highest_marking(),
            Partner.objects.filter(pk__in=base.values("partner_id")).highest_marking(),
        ]
    )


def industrial_base_marking(params: ReportParams) -> Marking:
    rows = _industrial_base(params)
    return highest(
        [
            Agreement.objects.filter(pk__in=rows.values("agreement_id")).highest_marking(),
            Partner.objects.filter(pk__in=rows.values("company_id")).highest_marking(),
        ]
    )


MARKINGS = {
    "access": access_marking,
    "enforcement": enforcement_marking,
    "industrial_base": industrial_base_marking,
    "technology_exposure": technology_exposure_marking,
}


BUILDERS = {
    access_report: access_marking,
    enforcement_report: enforcement_marking,
    industrial_base_report: industrial_base_marking,
    technology_exposure_report: technology_exposure_marking,
}


def report_marking(name, params: ReportParams | None) -> Marking:
    """The marking of a report (its page's name, or its builder function) with these filters;
    UNCLASSIFIED when it shows nothing."""
    marking = MARKINGS.get(name) or BUILDERS.get(name)
    if params is None or marking is None:
        return Marking()
    return marking(params)
