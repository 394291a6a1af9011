"""Human-rights conditions, their reviews, the append-only waiver ledger, and flags."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core.domain import RegistryDateField, VersionedModel
from core.registry_day import registry_today
from core.triggers import StrictTrigger, append_only, no_delete, no_truncate

# Append-only in the database itself: no UPDATE, DELETE or TRUNCATE (docs/decisions/0008),
# and no session setting switches that off (docs/decisions/0017).
APPEND_ONLY = append_only()


class ConditionStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", "Pending review"
    UNDER_REVIEW = "under_review", "Under review"
    MET = "met", "Certified met"
    PARTIALLY_MET = "partially_met", "Partially met"
    NOT_MET = "not_met", "Not met"
    WAIVED = "waived"
    EXCEPTION_INVOKED = "exception_invoked", "Exception invoked"
    REMEDIATED = "remediated"
    WITHHELD = "withheld"
    REPROGRAMMED = "reprogrammed"
    LAPSED = "lapsed"


REVIEW_OUTCOMES = [
    (value, label)
    for value, label in ConditionStatus.choices
    if value not in ("pending_review", "under_review")
]


class ConditionQuerySet(models.QuerySet):
    def due_within(self, *, days: int, today=None):
        """Conditions whose next review falls between today and today + days."""
        today = today or registry_today()
        return self.filter(
            next_review_due__gte=today, next_review_due__lte=today + timezone.timedelta(days=days)
        )


@pghistory.track()
class Condition(VersionedModel):
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
        max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    fiscal_year = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["next_review_due", "id"]
        indexes = [models.Index(fields=["next_review_due", "id"], name="condition_due_id")]
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
class ConditionReview(models.Model):
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


WAIVING_ACTIONS = ("granted", "extended", "corrected")

# Every entry's chain and effect, set in the database so that every insert path agrees.
LEDGER_CHAIN = StrictTrigger(
    name="ledger_chain",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert,
    func="""
    IF NEW.amends_id IS NULL THEN
        NEW.chain_id := NEW.id;
        NEW.effect := NEW.action;
    ELSE
        SELECT a.chain_id, CASE WHEN NEW.action = 'corrected' THEN a.effect ELSE NEW.action END
          INTO NEW.chain_id, NEW.effect
          FROM conditions_waiverentry a WHERE a.id = NEW.amends_id;
    END IF;
    RETURN NEW;
    """,
)


class WaiverEntryQuerySet(models.QuerySet):
    def in_effect_on(self, day):
        """The entries whose terms hold on `day` in a chain that waives (conditions/chains.py)."""
        from conditions.chains import terms_in_effect_sql

        # Constant SQL from conditions/chains.py; the day is a bound parameter.
        return self.filter(pk__in=RawSQL(*terms_in_effect_sql(day)))  # noqa: S611  # nosec B611


@pghistory.track()
class WaiverEntry(models.Model):
    """One immutable entry of the waiver ledger: a grant, extension, revocation or correction."""

    class Action(models.TextChoices):
        GRANTED = "granted"
        EXTENDED = "extended"
        REVOKED = "revoked"
        CORRECTED = "corrected"

    class Standard(models.TextChoices):
        NATIONAL_SECURITY_INTEREST = "national_security_interest", "National security interest"
        EXTRAORDINARY_CIRCUMSTANCES = "extraordinary_circumstances", "Extraordinary circumstances"
        EMERGENCY = "emergency"
        HUMANITARIAN = "humanitarian"

    class Publicity(models.TextChoices):
        PUBLISHED_OFFICIAL = "published_official", "Published officially"
        PRESS_REPORTED = "press_reported", "Press-reported only"
        NOTIFIED_ONLY = "notified_only", "Notified to Congress only"
        CLASSIFIED = "classified"

    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, related_name="waiver_entries"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    amends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    authority = models.ForeignKey(
        "agreements.Provision", on_delete=models.PROTECT, related_name="waiver_entries"
    )
    standard = models.CharField(max_length=32, choices=Standard.choices)
    official_title = models.CharField(max_length=200)
    official_name = models.CharField(max_length=200, blank=True)
    instrument = models.CharField(max_length=300, blank=True)
    signed_on = RegistryDateField()
    effective_on = RegistryDateField()
    expires_on = RegistryDateField(null=True, blank=True)
    requirements_waived = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    amount_usd = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    fiscal_year = models.PositiveSmallIntegerField(null=True, blank=True)
    justification = models.TextField(max_length=20000)
    justification_classified = models.BooleanField(default=False)
    congress_notified_on = RegistryDateField(null=True, blank=True)
    publicity = models.CharField(max_length=32, choices=Publicity.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    # Derived at insert by the `ledger_chain` trigger from `amends` (which the hash covers):
    # the grant that starts this entry's chain, and what the entry does once corrections are
    # followed back (a correction of a revocation is a revocation). See decision 0016.
    chain = models.ForeignKey(
        "self", null=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    effect = models.CharField(max_length=16, choices=Action.choices, blank=True, editable=False)
    # The ledger's order and hash chain (see conditions/services/ledger.py).
    sequence = models.BigIntegerField(unique=True, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = WaiverEntryQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "waiver entries"
        triggers = [APPEND_ONLY, no_truncate(), LEDGER_CHAIN]
        indexes = [
            models.Index(fields=["condition", "chain", "sequence"], name="waiver_chain"),
            models.Index(fields=["signed_on", "id"], name="waiver_signed_id"),
        ]
        constraints = [
            # Each hash is the previous link of at most one entry: the chain cannot fork.
            models.UniqueConstraint(fields=["previous_hash"], name="waiver_chain_no_fork"),
            models.CheckConstraint(
                condition=Q(effective_on__gte=F("signed_on")),
                name="waiver_effective_after_signed",
                violation_error_message="effective_on cannot be before signed_on.",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("effective_on")),
                name="waiver_expires_after_effective",
                violation_error_message="expires_on must be after effective_on.",
            ),
            models.CheckConstraint(
                condition=Q(amount_usd__isnull=True) | Q(amount_usd__gte=0),
                name="waiver_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(action="granted", amends__isnull=True)
                | (~Q(action="granted") & Q(amends__isnull=False)),
                name="waiver_amends_unless_granted",
                violation_error_message="Only a granted entry stands alone; others amend one.",
            ),
            models.CheckConstraint(
                condition=~Q(justification=""), name="waiver_justification_required"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.condition} ({self.signed_on})"


@pghistory.track()
class SourceDocument(models.Model):
    """A source (official text, press report, CRS or GAO report) behind a record."""

    class Kind(models.TextChoices):
        OFFICIAL = "official"
        PRESS = "press"
        CRS = "crs", "CRS"
        GAO = "gao", "GAO"
        OTHER = "other"

    condition = models.ForeignKey(
        Condition, null=True, blank=True, on_delete=models.CASCADE, related_name="sources"
    )
    review = models.ForeignKey(
        ConditionReview, null=True, blank=True, on_delete=models.PROTECT, related_name="sources"
    )
    waiver_entry = models.ForeignKey(
        WaiverEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="sources"
    )
    url = models.URLField(max_length=1000)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = RegistryDateField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(condition__isnull=False, review__isnull=True, waiver_entry__isnull=True)
                | Q(condition__isnull=True, review__isnull=False, waiver_entry__isnull=True)
                | Q(condition__isnull=True, review__isnull=True, waiver_entry__isnull=False),
                name="source_attached_to_one_record",
            ),
        ]
        # Sources of reviews and ledger entries are part of those append-only records: they
        # stay as written, and a condition's (editable) source cannot be moved onto one.
        triggers = [
            append_only(
                name="append_only_evidence",
                condition=pgtrigger.Q(old__review__isnull=False)
                | pgtrigger.Q(old__waiver_entry__isnull=False),
            ),
            append_only(
                name="evidence_not_reattached",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(new__review__isnull=False)
                | pgtrigger.Q(new__waiver_entry__isnull=False),
            ),
            no_truncate(),
        ]

    def __str__(self):
        return self.url


@pghistory.track()
class Flag(models.Model):
    """A warning raised by the scan: a review coming due or overdue, a waiver to watch, an
    agreement not yet reported to Congress under the Case Act."""

    class Kind(models.TextChoices):
        REVIEW_DUE_SOON = "review_due_soon", "Review due soon"
        REVIEW_OVERDUE = "review_overdue", "Review overdue"
        WAIVER_IN_EFFECT = "waiver_in_effect", "Waiver in effect"
        WAIVER_EXPIRING = "waiver_expiring", "Waiver expiring"
        WAIVER_EXPIRED = "waiver_expired", "Waiver expired"
        NOTIFICATION_OVERDUE = "notification_overdue", "Congress notification overdue"
        CASE_ACT_OVERDUE = "case_act_overdue", "Case Act report overdue"

    class Status(models.TextChoices):
        OPEN = "open"
        ACKNOWLEDGED = "acknowledged"
        RESOLVED = "resolved"

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
            models.CheckConstraint(
                condition=Q(condition__isnull=False, agreement__isnull=True)
                | Q(condition__isnull=True, agreement__isnull=False),
                name="flag_about_one_record",
            ),
        ]

    def __str__(self):
        return f"{self.kind} on {self.condition or self.agreement}"

    @property
    def subject(self):
        """The record the flag is about: its condition, or its agreement."""
        return self.condition or self.agreement


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


@pghistory.track()
class LedgerCheck(models.Model):
    """One run of the waiver ledger's verification (verify_ledger); append-only."""

    checked_at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    entries_checked = models.PositiveIntegerField(default=0)
    # The last entry seen intact: a later check finding it gone or changed fails.
    head_sequence = models.BigIntegerField(null=True, blank=True)
    head_hash = models.CharField(max_length=64, blank=True)
    broken_entry_id = models.BigIntegerField(null=True, blank=True)
    broken_sequence = models.BigIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    checked_by = models.CharField(max_length=150, help_text="A username or task:<name>.")

    class Meta:
        ordering = ["-checked_at", "-id"]
        triggers = [APPEND_ONLY, no_truncate()]

    def __str__(self):
        return f"Ledger check {self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'FAILED'}"


# pghistory upserts a context row while its request or command learns more (the user, the
# actor of each service); a day later the row is closed, so who did a past change cannot be
# relabelled by the role that may write context rows (docs/decisions/0017).
CONTEXT_CLOSES = StrictTrigger(
    name="context_closes",
    when=pgtrigger.Before,
    operation=pgtrigger.Update,
    func="""
    IF NEW.id <> OLD.id OR NEW.created_at <> OLD.created_at
       OR OLD.created_at < NOW() - INTERVAL '1 day' THEN
        RAISE EXCEPTION 'pgtrigger: Cannot change the context of past changes in % table',
            TG_TABLE_NAME;
    END IF;
    RETURN NEW;
    """,
)


class HistoryContextGuard(pghistory.models.Context):
    """pghistory's context rows (who, channel, request id): no DELETE or TRUNCATE, and
    UPDATE (pghistory's upsert) only while the context is young."""

    class Meta:
        proxy = True
        triggers = [no_delete("keep_context"), no_truncate(), CONTEXT_CLOSES]
