"""Congressional notifications and the dated review periods that Congress's review follows.

Whether the executive waited is computed, never typed: `NotificationQuerySet.with_review()`
annotates every notification with its review days (from the kind's review period in force on
`received_on` and the partner's designations held that day), its earliest action day, whether
it was acted on early, the day it was due and whether it came late. One definition, in SQL,
read by the API, the pages, the filters and the scan alike (docs/decisions/0033).
"""

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.expressions import RawSQL

from core.domain import RegistryDateField, VersionedModel
from core.marked import MarkedModel, MarkedQuerySet
from notifications.choices import NotificationKind

TABLE = "notifications_congressionalnotification"

# What each kind's reporting deadline counts from (the statute's words, so code, not data):
# DoD Leahy reports from the waiver's signature (10 U.S.C. 362), Case Act transmittals from
# the agreement's signature (1 U.S.C. 112b). The number of days is data (ReviewPeriod).
DUE_ANCHOR_SQL = f"""CASE {TABLE}.kind
    WHEN 'dod_leahy_362' THEN (
        SELECT e.signed_on FROM conditions_waiverentry e WHERE e.id = {TABLE}.waiver_entry_id)
    WHEN 'case_act' THEN (
        SELECT g.signed_on FROM agreements_agreement g WHERE g.id = {TABLE}.agreement_id)
END"""  # noqa: S608 (constant SQL)  # nosec B608

# The review period in force for the kind on `received_on` (latest valid_from on or before
# it); its shortened days when the partner holds one of its categories that day.
REVIEW_DAYS_SQL = f"""(
    SELECT CASE
        WHEN p.shortened_review_days IS NOT NULL AND EXISTS (
            SELECT 1 FROM partners_partnerdesignation d
            WHERE d.partner_id = {TABLE}.partner_id
              AND d.category = ANY(p.shortened_for)
              AND (d.valid_from IS NULL OR d.valid_from <= {TABLE}.received_on)
              AND (d.valid_to IS NULL OR {TABLE}.received_on <= d.valid_to))
        THEN p.shortened_review_days
        ELSE p.review_days
    END
    FROM notifications_reviewperiod p
    WHERE p.kind = {TABLE}.kind AND p.valid_from <= {TABLE}.received_on
    ORDER BY p.valid_from DESC
    LIMIT 1
)"""  # noqa: S608 (constant SQL)  # nosec B608

# The reporting deadline: the anchor day plus the days of the period in force on that day.
DUE_ON_SQL = f"""(
    SELECT anchor.day + p.report_within_days
    FROM (SELECT {DUE_ANCHOR_SQL} AS day) anchor
    JOIN notifications_reviewperiod p ON p.kind = {TABLE}.kind AND p.valid_from <= anchor.day
    ORDER BY p.valid_from DESC
    LIMIT 1
)"""  # noqa: S608  # nosec B608


class NotificationQuerySet(MarkedQuerySet):
    def with_review(self):
        """Each notification with review_days, earliest_action_on, acted_early, due_on, late."""
        return self.annotate(
            # Constant SQL, no parameters: correlated subqueries the ORM cannot spell.
            review_days=RawSQL(  # noqa: S611  # nosec B611
                REVIEW_DAYS_SQL, (), output_field=models.IntegerField()
            ),
            due_on=RawSQL(DUE_ON_SQL, (), output_field=models.DateField()),  # noqa: S611 # nosec B611
        ).annotate(
            earliest_action_on=ExpressionWrapper(
                F("received_on") + F("review_days"), output_field=models.DateField()
            ),
            # Acting on the earliest action day is not early; an emergency waiver of the
            # period (with its justification) never is.
            acted_early=Case(
                When(
                    Q(emergency_waiver=False, acted_on__lt=F("earliest_action_on")),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
            late=Case(
                When(received_on__gt=F("due_on"), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        )


@pghistory.track()
class ReviewPeriod(models.Model):
    """How long Congress reviews a kind of notification, and by when it is due, from a day on.

    A change in law is a new row with its `valid_from`, never an edit of code; the rows are
    loaded by this app's migrations."""

    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    valid_from = RegistryDateField()
    review_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days Congress reviews; empty when there is no review."
    )
    shortened_review_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days when the partner holds one of `shortened_for` on the day received.",
    )
    shortened_for = ArrayField(
        models.CharField(max_length=32), default=list, blank=True, help_text="Categories."
    )
    report_within_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days after the act by which Congress must be told."
    )
    citation = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="review_period_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.valid_from}"


@pghistory.track()
class CongressionalNotification(MarkedModel, VersionedModel):
    """A notification Congress received: what it notified, when, and whether the executive
    waited for the review to end."""

    Kind = NotificationKind

    kind = models.CharField(max_length=32, choices=Kind.choices)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="congressional_notifications"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="congressional_notifications",
    )
    waiver_entry = models.ForeignKey(
        "conditions.WaiverEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="congressional_notifications",
    )
    transmittal_number = models.CharField(
        max_length=100, blank=True, help_text="e.g. DDTC 24-012; unique for its kind."
    )
    informal_review_on = RegistryDateField(
        "Informal (tiered) review began on",
        null=True,
        blank=True,
        help_text="Before the formal notification.",
    )
    received_on = RegistryDateField("Received by Congress on", help_text="The formal notification.")
    value_usd = models.DecimalField(
        "Value (USD)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    emergency_waiver = models.BooleanField("Emergency waiver of the review period", default=False)
    emergency_justification = models.TextField(blank=True, max_length=20000)
    acted_on = RegistryDateField(
        "Acted on",
        null=True,
        blank=True,
        help_text="The notified act: signature, licence, consent, waiver.",
    )
    committees = models.CharField(max_length=500, blank=True)
    notes = models.TextField(blank=True, max_length=20000)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["received_on", "id"], name="notification_received_id"),
            models.Index(fields=["partner", "received_on"], name="notification_partner"),
            models.Index(fields=["agreement", "kind"], name="notification_agreement"),
            models.Index(fields=["waiver_entry", "kind"], name="notification_waiver"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "transmittal_number"],
                condition=~Q(transmittal_number=""),
                name="notification_transmittal_unique_per_kind",
                violation_error_message="This transmittal number is already recorded "
                "for this kind.",
            ),
            models.CheckConstraint(
                condition=Q(value_usd__isnull=True) | Q(value_usd__gte=0),
                name="notification_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(emergency_waiver=False) | ~Q(emergency_justification=""),
                name="notification_emergency_justified",
            ),
            models.CheckConstraint(
                condition=Q(agreement__isnull=True) | Q(waiver_entry__isnull=True),
                name="notification_notifies_one_record",
            ),
            models.CheckConstraint(
                condition=Q(informal_review_on__isnull=True)
                | Q(informal_review_on__lte=F("received_on")),
                name="notification_informal_before_formal",
            ),
        ]

    def __str__(self):
        number = f" {self.transmittal_number}" if self.transmittal_number else ""
        return f"{self.get_kind_display()}{number} ({self.received_on})"

    def clean(self):
        # The constraints above, with messages that name the field a person can correct.
        errors = {}
        self.transmittal_number = (self.transmittal_number or "").strip()
        if self.transmittal_number:
            clash = CongressionalNotification.objects.filter(
                kind=self.kind, transmittal_number=self.transmittal_number
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["transmittal_number"] = [
                    "A notification of this kind with this transmittal number already exists."
                ]
        if self.emergency_waiver and not (self.emergency_justification or "").strip():
            errors["emergency_justification"] = [
                "An emergency waiver of the review period needs its justification."
            ]
        if self.agreement_id and self.waiver_entry_id:
            errors["waiver_entry"] = [
                "A notification notifies one record: an agreement or a waiver entry, not both."
            ]
        if (
            self.informal_review_on
            and self.received_on
            and self.informal_review_on > self.received_on
        ):
            errors["informal_review_on"] = [
                "The informal review comes before the formal notification (received on)."
            ]
        if errors:
            raise ValidationError(errors)
