"""Technology safeguards: what was released to whom, how it is watched, where it went next.

DOMAIN.md §7: technology items under an agreement (with their USML or CCL entry), release
decisions with provisos, end-use checks (Golden Sentry and Blue Lantern), third-party
transfer requests (AECA §3(a)(2)) and violations (AECA §3(c)).
"""

import re
from decimal import Decimal

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Q, Value, When

from core.domain import RegistryDateField, VersionedModel, ordering_indexes
from core.marked import MarkedModel, MarkedQuerySet
from partners.models import PartnerDesignation
from safeguards import choices
from safeguards import fields as spec

# 22 CFR 121.1: a category I to XXI, then paragraphs such as (a)(3)(i) or (h)(1)(A).
USML_CATEGORY = r"(XXI|XX|XIX|XVIII|XVII|XVI|XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"
USML_ENTRY = rf"^{USML_CATEGORY}(\(([a-z]|[0-9]{{1,3}}|[ivx]{{1,6}}|[A-Z])\))+$"
# 15 CFR 774: category digit, product group A-E, three digits, then paragraphs (.b.1, .x).
ECCN_ENTRY = r"^[0-9][A-E][0-9]{3}(\.[a-z0-9]{1,3})*$"
ENTRY_PATTERNS = {
    choices.ControlList.USML: (
        USML_ENTRY,
        "a USML category I-XXI with paragraphs, e.g. XI(a)(3)(i)",
    ),
    choices.ControlList.CCL: (ECCN_ENTRY, "an ECCN such as 9A610.x or 3A001.b.1"),
}
# AECA §3(d)(1) and (3)(A): the values that need a notification, and the higher ones for a
# transfer from a NATO member or a NATO+5 country.
NOTIFY_MDE_USD, NOTIFY_OTHER_USD = Decimal(14_000_000), Decimal(50_000_000)
NOTIFY_MDE_NATO_USD, NOTIFY_OTHER_NATO_USD = Decimal(25_000_000), Decimal(100_000_000)
NATO_CATEGORIES = ("nato_member", "nato_plus5")
APPROVED = ("approved", "approved_with_provisos")


def _dates_in_order(later: str, earlier: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)}),
        name=name,
        violation_error_message=f"{later} cannot be before {earlier}.",
    )


def _order_errors(record, pairs) -> dict:
    """{later field: [message]} for each (later, earlier) pair of dates out of order."""
    errors = {}
    for later, earlier in pairs:
        a, b = getattr(record, later), getattr(record, earlier)
        if a is not None and b is not None and a < b:
            label = record._meta.get_field(earlier).verbose_name
            errors[later] = [f"This date cannot be before the {label}."]
    return errors


@pghistory.track()
class TechnologyItem(MarkedModel, VersionedModel):
    """A controlled technology shared under an agreement, with its control-list entry."""

    ControlList = choices.ControlList
    Kind = choices.ItemKind
    Classification = choices.Classification

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="technology_items"
    )
    name = models.CharField(max_length=500)
    control_list = models.CharField(max_length=8, choices=ControlList.choices)
    control_entry = models.CharField(
        max_length=64,
        blank=True,
        help_text="USML: category and paragraphs, e.g. XI(a)(3)(i). CCL: the ECCN, e.g. "
        "9A610.x. Empty when not on a control list.",
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    classification = models.CharField(max_length=16, choices=Classification.choices)
    mtcr_category = models.PositiveSmallIntegerField(
        "MTCR Annex category", null=True, blank=True, choices=choices.MtcrCategory.choices
    )
    eeum = models.BooleanField(
        "Enhanced end-use monitoring",
        default=False,
        help_text="Designated for EEUM: serial-number inventories (e.g. Javelin, Stinger).",
    )
    anti_tamper_required = models.BooleanField(default=False)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = ordering_indexes(spec.TECHNOLOGY_ITEM_ORDERING)
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="technology_item_name_not_blank"),
            models.CheckConstraint(
                condition=(Q(control_list="none") & Q(control_entry=""))
                | (Q(control_list="usml") & Q(control_entry__regex=USML_ENTRY))
                | (Q(control_list="ccl") & Q(control_entry__regex=ECCN_ENTRY)),
                name="technology_item_control_entry_valid",
                violation_error_message="The control entry does not fit the control list.",
            ),
            models.CheckConstraint(
                condition=Q(mtcr_category__isnull=True) | Q(mtcr_category__in=[1, 2]),
                name="technology_item_mtcr_1_or_2",
            ),
        ]

    def __str__(self):
        entry = f" ({self.control_entry})" if self.control_entry else ""
        return f"{self.name}{entry}"

    def clean(self):
        entry = (self.control_entry or "").strip()
        self.control_entry = entry
        if self.control_list == self.ControlList.NONE:
            if entry:
                raise ValidationError(
                    {"control_entry": ["An item on no control list has no control entry."]}
                )
        elif self.control_list in ENTRY_PATTERNS:
            pattern, shape = ENTRY_PATTERNS[self.control_list]
            if not re.fullmatch(pattern, entry):
                raise ValidationError({"control_entry": [f"“{entry}” is not {shape}."]})


@pghistory.track()
class ReleaseDecision(MarkedModel, VersionedModel):
    """Who decided that an item may (or may not) go to a partner, on what authority, with
    which provisos, until when."""

    Decision = choices.ReleaseOutcome
    Authority = choices.ReleaseAuthority
    Proviso = choices.Proviso

    item = models.ForeignKey(TechnologyItem, on_delete=models.PROTECT, related_name="releases")
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="technology_releases"
    )
    decision = models.CharField(max_length=32, choices=Decision.choices)
    authority = models.CharField(max_length=16, choices=Authority.choices)
    reference = models.CharField(
        max_length=200, blank=True, help_text="Licence, TAA or decision number."
    )
    decided_on = RegistryDateField("decision date")
    expires_on = RegistryDateField(null=True, blank=True)
    provisos = ArrayField(
        models.CharField(max_length=32, choices=Proviso.choices), default=list, blank=True
    )
    proviso_text = models.TextField(blank=True, max_length=20000)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["item", "partner"], name="release_item_partner"),
            *ordering_indexes(spec.RELEASE_DECISION_ORDERING, covered=("item",)),
        ]
        constraints = [
            _dates_in_order("expires_on", "decided_on", "release_expires_after_decided"),
        ]

    def __str__(self):
        return f"{self.get_decision_display()}: {self.item} to {self.partner}"

    def clean(self):
        errors = _order_errors(self, [("expires_on", "decided_on")])
        provisos = list(self.provisos or [])
        if len(set(provisos)) != len(provisos):
            errors["provisos"] = ["A proviso is listed twice."]
        elif self.decision == self.Decision.APPROVED_WITH_PROVISOS and not provisos:
            errors["provisos"] = ["An approval with provisos names at least one proviso."]
        elif self.decision != self.Decision.APPROVED_WITH_PROVISOS and provisos:
            errors["provisos"] = ["Only an approval with provisos lists provisos."]
        if self.Proviso.OTHER in provisos and not (self.proviso_text or "").strip():
            errors["proviso_text"] = ["Say what the other proviso is."]
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class EndUseCheck(MarkedModel, VersionedModel):
    """An end-use check (AECA §40A): Golden Sentry for government sales, Blue Lantern for
    commercial licences."""

    Program = choices.CheckProgram
    CheckType = choices.CheckType
    Result = choices.CheckResult

    program = models.CharField(max_length=16, choices=Program.choices)
    check_type = models.CharField(max_length=16, choices=CheckType.choices)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="end_use_checks"
    )
    items = models.ManyToManyField(
        TechnologyItem, through="EndUseCheckItem", related_name="end_use_checks", blank=True
    )
    performed_on = RegistryDateField("check date")
    result = models.CharField(max_length=16, choices=Result.choices, default=Result.PENDING)
    findings = models.TextField(blank=True, max_length=20000)
    follow_up_due = RegistryDateField(null=True, blank=True)
    resolved_on = RegistryDateField(null=True, blank=True)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        ordering = ["-performed_on", "-id"]
        indexes = ordering_indexes(spec.END_USE_CHECK_ORDERING)
        constraints = [
            _dates_in_order("follow_up_due", "performed_on", "check_follow_up_after_performed"),
            _dates_in_order("resolved_on", "performed_on", "check_resolved_after_performed"),
        ]

    def __str__(self):
        return f"{self.get_program_display()} {self.get_check_type_display()} ({self.performed_on})"

    def clean(self):
        errors = _order_errors(
            self, [("follow_up_due", "performed_on"), ("resolved_on", "performed_on")]
        )
        if errors:
            raise ValidationError(errors)


class TransferQuerySet(MarkedQuerySet):
    def with_notification_required(self):
        """Each transfer's AECA §3(d) threshold on its `requested_on` and whether its value
        reaches it (thresholds inclusive): one SQL expression, read by lists and reports."""
        nato = PartnerDesignation.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=OuterRef("requested_on")),
            Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("requested_on")),
            partner_id=OuterRef("from_partner_id"),
            category__in=NATO_CATEGORIES,
        )
        money = models.DecimalField(max_digits=16, decimal_places=2)
        return self.annotate(
            from_nato=Exists(nato),
            notification_threshold_usd=Case(
                When(major_defense_equipment=True, from_nato=True, then=Value(NOTIFY_MDE_NATO_USD)),
                When(major_defense_equipment=True, then=Value(NOTIFY_MDE_USD)),
                When(from_nato=True, then=Value(NOTIFY_OTHER_NATO_USD)),
                default=Value(NOTIFY_OTHER_USD),
                output_field=money,
            ),
        ).annotate(
            notification_required=ExpressionWrapper(
                Q(value_usd__gte=F("notification_threshold_usd")),
                output_field=models.BooleanField(),
            )
        )


@pghistory.track()
class Transfer(MarkedModel, VersionedModel):
    """A request to re-transfer released items to a third party (AECA §3(a)(2))."""

    Decision = choices.TransferDecision

    from_partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="transfers_in"
    )
    items = models.ManyToManyField(
        TechnologyItem, through="TransferItem", related_name="transfers", blank=True
    )
    value_usd = models.DecimalField(
        "Value (USD)", max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    major_defense_equipment = models.BooleanField(default=False)
    requested_on = RegistryDateField("request date")
    decision = models.CharField(max_length=32, choices=Decision.choices, default=Decision.PENDING)
    decided_on = RegistryDateField("decision date", null=True, blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-id"]
        indexes = [
            # The path walk follows approved transfers out of a partner (safeguards/paths.py).
            models.Index(
                fields=["from_partner", "decided_on"],
                condition=Q(decision__in=APPROVED),
                name="transfer_approved_from",
            ),
            *ordering_indexes(spec.TRANSFER_ORDERING),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_partner=F("to_partner")),
                name="transfer_to_another_partner",
                violation_error_message="A partner cannot transfer to itself.",
            ),
            models.CheckConstraint(
                condition=Q(value_usd__gte=0), name="transfer_value_not_negative"
            ),
            models.CheckConstraint(
                condition=(Q(decision="pending") & Q(decided_on__isnull=True))
                | (~Q(decision="pending") & Q(decided_on__isnull=False)),
                name="transfer_decided_on_with_decision",
                violation_error_message="A decision has a date; a pending request has none.",
            ),
            _dates_in_order("decided_on", "requested_on", "transfer_decided_after_requested"),
        ]

    def __str__(self):
        return f"{self.from_partner} → {self.to_partner} ({self.requested_on})"

    def clean(self):
        errors = _order_errors(self, [("decided_on", "requested_on")])
        if self.from_partner_id and self.from_partner_id == self.to_partner_id:
            errors["to_partner"] = ["A partner cannot transfer to itself."]
        if self.decision == self.Decision.PENDING and self.decided_on is not None:
            errors["decided_on"] = ["A pending request has no decision date."]
        elif self.decision and self.decision != self.Decision.PENDING and self.decided_on is None:
            errors["decided_on"] = ["A decision needs its date."]
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class Violation(MarkedModel, VersionedModel):
    """A violation of a transfer's terms (AECA §3(c)): diversion, unauthorized access or use."""

    Kind = choices.ViolationKind

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="technology_violations"
    )
    items = models.ManyToManyField(
        TechnologyItem, through="ViolationItem", related_name="violations", blank=True
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    occurred_on = RegistryDateField("date it occurred")
    discovered_on = RegistryDateField("date it was discovered")
    reported_to_congress_on = RegistryDateField(null=True, blank=True)
    description = models.TextField(max_length=20000)
    outcome = models.TextField(blank=True, max_length=20000)

    objects = MarkedQuerySet.as_manager()

    class Meta:
        ordering = ["-discovered_on", "-id"]
        indexes = ordering_indexes(spec.VIOLATION_ORDERING)
        constraints = [
            _dates_in_order("discovered_on", "occurred_on", "violation_discovered_after_occurred"),
            _dates_in_order(
                "reported_to_congress_on", "discovered_on", "violation_reported_after_discovered"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.partner} ({self.discovered_on})"

    def clean(self):
        errors = _order_errors(
            self,
            [("discovered_on", "occurred_on"), ("reported_to_congress_on", "discovered_on")],
        )
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class EndUseCheckItem(models.Model):
    """An item an end-use check looked at (an explicit link, so its history is kept)."""

    end_use_check = models.ForeignKey(EndUseCheck, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(TechnologyItem, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["end_use_check", "item"], name="check_item_unique")
        ]

    def __str__(self):
        return f"{self.end_use_check_id}:{self.item_id}"


@pghistory.track()
class TransferItem(models.Model):
    """An item a transfer request covers."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(TechnologyItem, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["item", "transfer"], name="transfer_item_by_item")]
        constraints = [
            models.UniqueConstraint(fields=["transfer", "item"], name="transfer_item_unique")
        ]

    def __str__(self):
        return f"{self.transfer_id}:{self.item_id}"


@pghistory.track()
class ViolationItem(models.Model):
    """An item a violation concerned."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(TechnologyItem, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["violation", "item"], name="violation_item_unique")
        ]

    def __str__(self):
        return f"{self.violation_id}:{self.item_id}"
