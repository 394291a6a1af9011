"""Flags raised on conditions and agreements, and the notifications sent about them."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from conditions.choices import FlagKind, FlagStatus
from conditions.models.conditions import Condition
from core.domain import RegistryDateField
from core.marked import allowed_categories, visible_q
from core.triggers import StrictTrigger

# A condition's or an agreement's flag names its subject whoever inserts it (the scan's SQL
# included); a flag about another record (a waiver entry, a notification) names it itself.
FLAG_SUBJECT = StrictTrigger(
    name="flag_subject",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert,
    func="""
    IF NEW.subject_type = '' OR NEW.subject_id IS NULL THEN
        IF NEW.condition_id IS NOT NULL THEN
            NEW.subject_type := 'conditions';
            NEW.subject_id := NEW.condition_id;
        ELSIF NEW.agreement_id IS NOT NULL THEN
            NEW.subject_type := 'agreements';
            NEW.subject_id := NEW.agreement_id;
        END IF;
    END IF;
    RETURN NEW;
    """,
)


class FlagQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Flags about records `user` may see: a flag is about its condition or agreement."""
        allowed = allowed_categories(user)
        return self.filter(
            Q(condition__isnull=True) | visible_q(allowed, "condition__"),
            Q(agreement__isnull=True) | visible_q(allowed, "agreement__"),
        )


@pghistory.track()
class Flag(models.Model):
    """A warning raised by the scan: a review coming due or overdue, a waiver to watch, an
    agreement not yet reported to Congress under the Case Act."""

    Kind = FlagKind
    Status = FlagStatus

    # A flag is about a condition, or (case_act_overdue) about an agreement.
    condition = models.ForeignKey(
        Condition, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="flags",
    )
    # The resource the flag is about (CONTRACT.md v1.2: `conditions`, `agreements`, `waivers`,
    # `notifications`, ...) and its id; set by FLAG_SUBJECT for condition and agreement flags.
    subject_type = models.CharField(max_length=32, blank=True, default="", db_default="")
    subject_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    due_on = RegistryDateField(null=True, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Why the flag was last resolved or re-opened; each note stays in the flag's history.
    # A database default too: the scan raises flags in SQL.
    note = models.TextField(blank=True, default="", db_default="", max_length=2000)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "kind"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="flag_one_active_per_condition_kind",
            ),
            models.UniqueConstraint(
                fields=["agreement", "kind"],
                condition=Q(status__in=["open", "acknowledged"], agreement__isnull=False),
                name="flag_one_active_per_agreement_kind",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="flag_one_active_per_subject_kind",
            ),
            models.CheckConstraint(
                condition=Q(condition__isnull=False, agreement__isnull=True)
                | Q(condition__isnull=True, agreement__isnull=False)
                | (
                    Q(condition__isnull=True, agreement__isnull=True, subject_id__isnull=False)
                    & ~Q(subject_type="")
                ),
                name="flag_about_one_record_or_subject",
            ),
        ]
        triggers = [FLAG_SUBJECT]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.condition or self.agreement}"

    HISTORY_NAME_RELATED = ("condition", "agreement")

    def history_name(self) -> str:
        """The change log's name: "Review overdue on FMF certification" (or on DTC-2026-0001)."""
        about = self.condition.title if self.condition_id else self.agreement.reference
        return f"{self.get_kind_display()} on {about}"

    @property
    def subject(self):
        """The record the flag is about: its condition, or its agreement, or its subject's
        resource name and id."""
        return self.condition or self.agreement or f"{self.subject_type} #{self.subject_id}"


@pghistory.track()
class Notification(models.Model):
    """An outbox row: one message to a responsible office, written with the flag that caused it."""

    flag = models.ForeignKey(Flag, on_delete=models.PROTECT, related_name="notifications")
    office = models.CharField(max_length=200)
    recipient = models.EmailField(blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["office"], condition=Q(sent_at__isnull=True), name="notification_unsent"
            ),
        ]

    def __str__(self):
        return f"{self.subject} to {self.office}"
