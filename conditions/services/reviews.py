"""Recording a condition review: the review row, the condition's new status and due date."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone

from conditions.models import Condition, ConditionReview, Flag
from conditions.services.sources import build_sources, save_sources
from core.domain import save_new_version, validate
from core.history.context import service
from core.marked import inherit_marking, refuse_unheld_marking
from core.registry_day import registry_today


@service
def condition_review_record(
    *,
    condition: Condition,
    actor,
    reviewed_on: datetime.date,
    outcome: str,
    notes: str = "",
    next_review_due: datetime.date | None = None,
    sources: Iterable[dict] = (),
    marking_categories: Iterable[str] = (),
    marking_dissemination: str = "",
    marking_rel_to: Iterable[str] = (),
) -> ConditionReview:
    """Record a review; it sets the condition's status and next due date unless it is older
    than the latest review already recorded (entered late: history only)."""
    refuse_unheld_marking(actor, {"marking_categories": marking_categories})
    condition = Condition.objects.select_for_update().get(pk=condition.pk)
    latest = condition.reviews.order_by("-reviewed_on", "-id").first()
    late = latest is not None and reviewed_on is not None and reviewed_on < latest.reviewed_on
    if next_review_due is None and reviewed_on:
        next_review_due = reviewed_on + datetime.timedelta(days=condition.review_interval_days)
    review = ConditionReview(
        condition=condition,
        reviewed_on=reviewed_on,
        outcome=outcome,
        notes=notes,
        next_review_due=next_review_due,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        marking_categories=list(marking_categories or ()),
        marking_dissemination=marking_dissemination or "",
        marking_rel_to=list(marking_rel_to or ()),
    )
    inherit_marking(review, condition)  # a review of a condition is at least as marked
    rows = _validated_sources(review, sources)
    review.save()
    save_sources(rows, review=review)
    if late:
        return review
    condition.status = outcome
    condition.next_review_due = next_review_due
    save_new_version(condition)
    # A recorded review answers a waiver that ran out: its flag is done.
    Flag.objects.filter(
        condition=condition,
        kind=Flag.Kind.WAIVER_EXPIRED,
        status__in=[Flag.Status.OPEN, Flag.Status.ACKNOWLEDGED],
    ).update(
        status=Flag.Status.RESOLVED, resolved_at=timezone.now(), resolved_by=review.recorded_by
    )
    return review


def _validated_sources(review: ConditionReview, sources: Iterable[dict]) -> list:
    """The review's source rows, once the review and they are valid; else every error at once."""
    errors = {}
    try:
        validate(review, exclude=["recorded_by"])  # None for tasks and commands
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        rows = build_sources(list(sources))
    except ValidationError as error:
        errors.update(error.message_dict)
    reviewed_on, next_review_due = review.reviewed_on, review.next_review_due
    if next_review_due and reviewed_on and next_review_due <= reviewed_on:
        errors.pop("__all__", None)  # the check constraint's message, named here instead
        errors["next_review_due"] = ["The next review must come after this one."]
    if reviewed_on and reviewed_on > registry_today():
        errors.setdefault("reviewed_on", []).append("A review cannot be recorded in the future.")
    if errors:
        raise ValidationError(errors)
    return rows
