"""A condition as the registry recorded it at the end of a day (core/history/as_of.py)."""

import datetime

from conditions.models import Condition, ConditionRequirement, SourceDocument, WaiverEntry
from core.history.as_of import children_as_of, end_of_day, rows_as_of, state_as_of
from partners.snapshots import designations_as_of


def condition_as_of(pk: int, day: datetime.date) -> dict | None:
    """A condition at the end of `day`: fields, requirements, sources, ledger entries so far."""
    moment = end_of_day(day)
    data = state_as_of(Condition, pk, moment)
    if data is None:
        return None
    requirements = children_as_of(ConditionRequirement, moment, "condition", condition=pk)
    data.update(
        requirements=[{"label": r["label"], "text": r["text"]} for r in requirements],
        sources=[
            {k: s[k] for k in ("url", "publisher", "published_on", "kind")}
            for s in rows_as_of(SourceDocument, moment, condition=pk)
        ],
        waiver_entries=list(
            WaiverEntry.objects.filter(condition=pk, recorded_at__lt=moment)
            .order_by("sequence")
            .values_list("pk", flat=True)
        ),
        partner_designations=designations_as_of([data["partner"]], day),
        as_of=day,
    )
    return data
