"""How many records a report left out because the reader may not see them
(`records_withheld`, docs/decisions/0034-need-to-know.md).

Each report's records are counted twice over the report's own scope (its filters, its day):
as a reader cleared for every category would see them, and as this reader does; the
difference is what was withheld. A reader who holds every category is not asked (0, no
query). Counted per kind of record the report reads (conditions, reviews, waiver entries and
partners; agreements and partners; industrial rows), each once.
"""

import dataclasses

from conditions.models import Condition, ConditionReview, WaiverEntry
from core.choices import Category
from partners.models import Partner
from registry.reports.access import _participations, access_report
from registry.reports.enforcement import enforcement_report
from registry.reports.industrial_base import _industrial_base, industrial_base_report
from registry.reports.params import ReportParams


def _enforcement_records(params: ReportParams) -> int:
    chosen = {"partner_id__in": params.partners} if params.partners else {}
    below = params.visible("", "condition__", "condition__partner__")
    below_chosen = {"condition__partner_id__in": params.partners} if params.partners else {}
    conditions = Condition.objects.filter(params.visible("", "partner__"), **chosen)
    return (
        conditions.count()
        + ConditionReview.objects.filter(below, reviewed_on__lte=params.day, **below_chosen).count()
        + WaiverEntry.objects.filter(below, signed_on__lte=params.day, **below_chosen).count()
        + Partner.objects.filter(
            params.visible(""), pk__in=Condition.objects.filter(**chosen).values("partner_id")
        ).count()
    )


def _access_records(params: ReportParams) -> int:
    participations = _participations(params)
    return (
        participations.values("agreement_id").distinct().count()
        + participations.values("partner_id").distinct().count()
    )


def _industrial_base_records(params: ReportParams) -> int:
    return _industrial_base(params).count()


COUNTERS = {
    "access": _access_records,
    "enforcement": _enforcement_records,
    "industrial_base": _industrial_base_records,
}


BUILDERS = {
    access_report: _access_records,
    enforcement_report: _enforcement_records,
    industrial_base_report: _industrial_base_records,
}


def report_withheld(name, params: ReportParams | None) -> int:
    """Records the report left out for this reader (its page's name, or its builder)."""
    counter = COUNTERS.get(name) or BUILDERS.get(name)
    if params is None or counter is None or set(Category.values) <= set(params.categories):
        return 0
    everything = dataclasses.replace(params, categories=tuple(Category.values))
    return max(counter(everything) - counter(params), 0)
