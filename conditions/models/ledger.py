"""The append-only waiver ledger, its sources, and the checks of its hash chain."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from conditions.choices import SourceKind, WaiverAction, WaiverPublicity, WaiverStandard
from conditions.fields import WAIVER_ORDERING
from conditions.models.conditions import Condition, ConditionReview
from core.domain import RegistryDateField, ordering_indexes
from core.marked import MarkedModel, MarkedQuerySet
from core.triggers import StrictTrigger, append_only, no_delete, no_truncate

# Append-only in the database itself: no UPDATE, DELETE or TRUNCATE (docs/decisions/0008),
# and no session setting switches that off (docs/decisions/0017).
APPEND_ONLY = append_only()


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
          FROM public.conditions_waiverentry a WHERE a.id = NEW.amends_id;
    END IF;
    RETURN NEW;
    """,
)


class WaiverEntryQuerySet(MarkedQuerySet):
    def in_effect_on(self, day, *, expiring_by=None):
        """The entries whose terms hold on `day` in a chain that waives (conditions/chains.py);
        with `expiring_by`, those whose terms expire by that day."""
        from conditions.chains import terms_in_effect_sql

        # Constant SQL from conditions/chains.py; the days are bound parameters.
        entries = self.filter(pk__in=RawSQL(*terms_in_effect_sql(day, expiring_by)))  # noqa: S611  # nosec B611
        return entries if expiring_by is None else entries.filter(expires_on__lte=expiring_by)


@pghistory.track()
class WaiverEntry(MarkedModel):
    """One immutable entry of the waiver ledger: a grant, extension, revocation or correction."""

    Action = WaiverAction
    Standard = WaiverStandard
    Publicity = WaiverPublicity

    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, related_name="waiver_entries"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    # Indexed by the (amends, id) ordering index in Meta, which serves its lookups too; an
    # index on amends alone led the planner to sort the 20,000 entries that amend nothing.
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
        db_index=False,
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
        "amount (USD)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
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
            # The dashboard's waivers expiring soon (conditions/chains.py EXPIRING_CHAINS_SQL).
            models.Index(fields=["expires_on", "chain"], name="waiver_expires_chain"),
            # Every other ordering the API offers, each with the id that breaks ties (the
            # sequence is unique; a condition's or expiry's few entries sort in a moment).
            *ordering_indexes(
                WAIVER_ORDERING, covered=("sequence", "condition", "signed_on", "expires_on")
            ),
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

    Kind = SourceKind

    condition = models.ForeignKey(
        Condition, null=True, blank=True, on_delete=models.CASCADE, related_name="sources"
    )
    review = models.ForeignKey(
        ConditionReview, null=True, blank=True, on_delete=models.PROTECT, related_name="sources"
    )
    waiver_entry = models.ForeignKey(
        WaiverEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="sources"
    )
    url = models.URLField("URL", max_length=1000)
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
# actor of each service); once the transaction that created it is over (its NOW(), which
# pghistory stamps as created_at, is no longer this transaction's), the row is closed, so who
# did a past change cannot be relabelled by the role that may write context rows
# (docs/decisions/0017, 0035-trigger-search-path.md; core.db_roles.CONTEXT_FUNCTION).
CONTEXT_CLOSES = StrictTrigger(
    name="context_closes",
    when=pgtrigger.Before,
    operation=pgtrigger.Update,
    func="""
    IF NEW.id <> OLD.id OR NEW.created_at <> OLD.created_at
       OR OLD.created_at <> NOW() THEN
        RAISE EXCEPTION 'pgtrigger: Cannot change the context of past changes in % table',
            TG_TABLE_NAME;
    END IF;
    RETURN NEW;
    """,
)


class HistoryContextGuard(pghistory.models.Context):
    """pghistory's context rows (who, channel, request id): no DELETE or TRUNCATE, and
    UPDATE (pghistory's upsert) only in the transaction that created the row."""

    class Meta:
        proxy = True
        triggers = [no_delete("keep_context"), no_truncate(), CONTEXT_CLOSES]
