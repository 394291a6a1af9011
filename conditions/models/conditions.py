"""Human-rights conditions, their requirements and their reviews."""

import pghistory
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from conditions.choices import ConditionStatus
from conditions.fields import CONDITION_ORDERING
from core.domain import RegistryDateField, VersionedModel, ordering_indexes
from core.marked import MarkedModel, MarkedQuerySet, withheld_count
from core.registry_day import registry_today
from core.triggers import append_only, no_truncate

# Append-only in the database itself: no UPDATE, DELETE or TRUNCATE (docs/decisions/0008),
# and no session setting switches that off (docs/decisions/0017).
APPEND_ONLY = append_only()


REVIEW_OUTCOMES = [
    (value, label)
    for value, label in ConditionStatus.choices
    if value not in ("pending_review", "under_review")
]


class ConditionQuerySet(MarkedQuerySet):
    def due_within(self, *, days: int, today=None):
        """Conditions whose next review falls between today and today + days."""
        today = today or registry_today()
        return self.filter(
            next_review_due__gte=today, next_review_due__lte=today + timezone.timedelta(days=days)
        )


@pghistory.track()
class Condition(MarkedModel, VersionedModel):
    """A human-rights condition attached by law to a partner (and unit, agreement)."""

    Status = ConditionStatus

    title = models.CharField(max_length=500)
    description = models.TextField(blank=True, max_length=20000)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="conditions"
    )
    unit = models.CharField(
        max_length=300, null=True, blank=True, help_text="The security-force unit, for Leahy."
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conditions",
    )
    legal_basis = models.ForeignKey(
        "agreements.Provision", on_delete=models.PROTECT, related_name="conditions"
    )
    review_interval_days = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    next_review_due = RegistryDateField()
    review_warning_days = models.PositiveIntegerField(default=30)
    status = models.CharField(
        max_length=32, choices=ConditionStatus.choices, default=ConditionStatus.PENDING_REVIEW
    )
    responsible_office = models.CharField(max_length=200)
    responsible_email = models.EmailField(
        blank=True, help_text="Where the office's flag digests go."
    )
    leahy_applicable = models.BooleanField(default=False)
    amount_conditioned_usd = models.DecimalField(
        "amount conditioned (USD)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    fiscal_year = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["next_review_due", "id"]
        # The list's order, and the same order within its common filters: a page of one
        # partner's or one status's conditions is an index range whatever the table's size.
        indexes = [
            models.Index(fields=["next_review_due", "id"], name="condition_due_id"),
            models.Index(fields=["partner", "next_review_due", "id"], name="condition_partner_due"),
            models.Index(fields=["status", "next_review_due", "id"], name="condition_status_due"),
            # And every other ordering the list offers, each with the id that breaks ties.
            *ordering_indexes(CONDITION_ORDERING, covered=("next_review_due",)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_interval_days__gt=0), name="condition_interval_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount_conditioned_usd__isnull=True) | Q(amount_conditioned_usd__gte=0),
                name="condition_amount_not_negative",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="condition_title_not_blank"),
        ]

    def __str__(self):
        return self.title

    def records_withheld(self, user) -> int:
        """Reviews and waiver entries of this condition that `user` may not see: they shape
        its status and next review date (docs/decisions/0034-need-to-know.md)."""
        return withheld_count(self.reviews.all(), user) + withheld_count(
            self.waiver_entries.all(), user
        )


@pghistory.track()
class ConditionRequirement(models.Model):
    """A sub-requirement of a condition, e.g. (a)(1)(B)."""

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="requirements")
    label = models.CharField(max_length=50)
    text = models.TextField(max_length=5000)
    # Some requirements cannot be waived by law (e.g. a certification only the Secretary makes).
    waivable = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "label"],
                name="requirement_label_unique",
                violation_error_message="This condition already has a requirement with this label.",
            ),
        ]

    def __str__(self):
        return self.label


@pghistory.track()
class ConditionReview(MarkedModel):
    """A review of a condition and its outcome; append-only."""

    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = RegistryDateField()
    outcome = models.CharField(max_length=32, choices=REVIEW_OUTCOMES)
    notes = models.TextField(blank=True, max_length=20000)
    next_review_due = RegistryDateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        ordering = ["reviewed_on", "id"]
        triggers = [APPEND_ONLY, no_truncate()]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_due__isnull=True) | Q(next_review_due__gt=F("reviewed_on")),
                name="review_next_due_after_review",
                violation_error_message="The next review must come after this one.",
            ),
        ]

    def __str__(self):
        return f"{self.condition} reviewed {self.reviewed_on}: {self.outcome}"
