"""Cooperation agreements, their technology areas, participants, legal bases and industry."""

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from agreements.choices import (
    AgreementRisk,
    AgreementStatus,
    AgreementType,
    LegalBasisRole,
    ParticipantRole,
)
from agreements.fields import AGREEMENT_ORDERING
from agreements.models.legislation import Provision
from core.domain import RegistryDateField, VersionedModel, ordering_indexes
from core.marked import MarkedModel, MarkedQuerySet, withheld_count

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
# U.S. states, D.C. and the territories, by their USPS codes.
US_STATES = [
    (code, code)
    for code in (
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
        "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
        "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
        "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
    )
]  # fmt: skip


@pghistory.track()
class TechnologyArea(VersionedModel):
    """A technology area agreements cover (missile defense, hypersonics, ...)."""

    slug = models.SlugField(
        max_length=64,
        unique=True,
        help_text="Letters, digits, hyphens or underscores, e.g. missile_defense.",
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=20000)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgreementQuerySet(MarkedQuerySet):
    def in_force_on(self, day):
        """Agreements in force on `day`: entered into force and not yet ended.

        Without an entry-into-force date the signature date stands in, but only for an
        agreement whose status says it went into force at some point: one that is merely
        `signed` has not entered into force, whatever its signature date."""
        started = Q(entry_into_force_on__lte=day) | (
            Q(entry_into_force_on__isnull=True, signed_on__lte=day) & ~Q(status="signed")
        )
        not_ended = (Q(expires_on__isnull=True) | Q(expires_on__gte=day)) & (
            Q(terminated_on__isnull=True) | Q(terminated_on__gt=day)
        )
        return self.filter(started & not_ended).exclude(
            status__in=["proposed", "under_negotiation", "notification_pending"]
        )


@pghistory.track(exclude=["search_vector"])  # derived, and rebuilt on every write
class Agreement(MarkedModel, VersionedModel):
    """A cooperation agreement through which the U.S. shares military technology."""

    Type = AgreementType
    Status = AgreementStatus
    Risk = AgreementRisk

    SIGNED_STATUSES = ("signed", "in_force", "suspended", "terminated", "expired", "superseded")

    reference = models.CharField(
        max_length=64,
        unique=True,
        help_text="The registry's identifier, unique across agreements: "
        "DTC-<year>-<four digits>, e.g. DTC-2026-0042.",
    )
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True, max_length=20000)
    agreement_type = models.CharField(max_length=32, choices=Type.choices)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.PROPOSED)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    technology_areas = models.ManyToManyField(
        TechnologyArea, blank=True, related_name="agreements", through="AgreementTechnologyArea"
    )
    signed_on = RegistryDateField(null=True, blank=True)
    entry_into_force_on = RegistryDateField(null=True, blank=True)
    expires_on = RegistryDateField(null=True, blank=True)
    terminated_on = RegistryDateField(null=True, blank=True)
    technology_transfer_risk = models.CharField(max_length=16, choices=Risk.choices)
    industrial_base_notes = models.TextField(blank=True, max_length=20000)
    human_rights_notes = models.TextField(blank=True, max_length=20000)
    fms_cases = ArrayField(
        models.CharField(max_length=32), default=list, blank=True, verbose_name="FMS cases"
    )
    # The Case Act (1 U.S.C. 112b): binding agreements and qualifying non-binding instruments
    # are reported to Congress by the end of the month after signature or entry into force.
    binding = models.BooleanField(
        default=True,
        help_text="An international agreement (binding); untick for a non-binding instrument.",
    )
    case_act_transmitted_on = RegistryDateField(
        "Case Act report sent to Congress on",
        null=True,
        blank=True,
        help_text="When State transmitted it to Congress (Case Act).",
    )

    # Full-text search: reference and title weigh more than the summary (filters.py).
    search_vector = models.GeneratedField(
        expression=SearchVector("reference", "title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )

    objects = AgreementQuerySet.as_manager()

    DATE_FIELDS = ("entry_into_force_on", "expires_on", "terminated_on")

    class Meta:
        ordering = ["reference"]
        # The orderings lists offer, each with the id that breaks ties (keyset pages).
        indexes = [
            models.Index(fields=["title", "id"], name="agreement_title_id"),
            models.Index(fields=["signed_on", "id"], name="agreement_signed_id"),
            GinIndex(fields=["search_vector"], name="agreement_search"),
            *ordering_indexes(AGREEMENT_ORDERING, covered=("reference", "title", "signed_on")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reference=""), name="agreement_reference_not_blank"
            ),
            models.CheckConstraint(
                condition=~Q(
                    status__in=[
                        "signed",
                        "in_force",
                        "suspended",
                        "terminated",
                        "expired",
                        "superseded",
                    ]
                )
                | Q(signed_on__isnull=False),
                name="agreement_signed_status_needs_date",
                violation_error_message="A signed agreement needs its signature date.",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True})
                    | Q(signed_on__isnull=True)
                    | Q(**{f"{f}__gte": F("signed_on")}),
                    name=f"agreement_{f}_after_signing",
                    violation_error_message=f"{f} cannot be before signed_on.",
                )
                for f in ("entry_into_force_on", "expires_on", "terminated_on")
            ],
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="agreement_not_own_parent",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(supersedes=F("id")),
                name="agreement_not_own_predecessor",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def records_withheld(self, user) -> int:
        """Parties and industrial participants whose partner `user` may not see, and the
        parent or superseded agreement if hidden (docs/decisions/0034-need-to-know.md)."""
        this = Agreement.objects.filter(pk=self.pk)
        linked = Agreement.objects.filter(
            Q(pk__in=this.values("parent_id")) | Q(pk__in=this.values("supersedes_id"))
        )
        return (
            withheld_count(self.participants.all(), user, "partner__")
            + withheld_count(self.industrial_participants.all(), user, "company__")
            + withheld_count(linked, user)
        )

    def clean(self):
        errors = {}
        if self.status in self.SIGNED_STATUSES and not self.signed_on:
            errors["signed_on"] = [
                f"An agreement with status {self.status} needs its signature date."
            ]
        for name in self.DATE_FIELDS:
            value = getattr(self, name)
            if value and self.signed_on and value < self.signed_on:
                errors[name] = ["This date cannot be before the signature date."]
        for name in ("parent", "supersedes"):
            if _creates_cycle(self, name):
                errors[name] = [f"This {name} would make a cycle of agreements."]
        if errors:
            raise ValidationError(errors)


def _creates_cycle(agreement: Agreement, field: str) -> bool:
    """True when following `field` upward from the new target reaches the agreement itself."""
    target_id = getattr(agreement, f"{field}_id")
    if target_id is None:
        return False
    if agreement.pk is None:
        return False
    seen = set()
    while target_id is not None and target_id not in seen:
        if target_id == agreement.pk:
            return True
        seen.add(target_id)
        target_id = (
            Agreement.objects.filter(pk=target_id).values_list(f"{field}_id", flat=True).first()
        )
    return False


@pghistory.track()
class AgreementTechnologyArea(models.Model):
    """An agreement's technology area (an explicit link so its history is recorded)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    technology_area = models.ForeignKey(TechnologyArea, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "technology_area"], name="agreement_area_unique"
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id}:{self.technology_area_id}"

    HISTORY_NAME_RELATED = ("agreement", "technology_area")

    def history_name(self) -> str:
        """The change log's name: "Hypersonics in DTC-2026-0001"."""
        return f"{self.technology_area.name} in {self.agreement.reference}"


@pghistory.track()
class AgreementParticipant(models.Model):
    """A partner's participation in an agreement, which changes over time."""

    Role = ParticipantRole

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="participants")
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    cost_share_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    signed_on = RegistryDateField(null=True, blank=True)
    joined_on = RegistryDateField(null=True, blank=True)
    suspended_on = RegistryDateField(null=True, blank=True)
    withdrawn_on = RegistryDateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        # `?partner=` looks agreements up from the partner's side.
        indexes = [models.Index(fields=["partner", "agreement"], name="participant_partner")]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "partner"],
                name="participant_once_per_agreement",
                violation_error_message="This partner already participates in the agreement.",
            ),
            models.CheckConstraint(
                condition=Q(cost_share_percent__isnull=True)
                | Q(cost_share_percent__gte=0, cost_share_percent__lte=100),
                name="participant_share_0_100",
                violation_error_message="A cost share is between 0 and 100 percent.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(withdrawn_on__gte=F("joined_on")),
                name="participant_withdrawn_after_joined",
            ),
            models.CheckConstraint(
                condition=Q(suspended_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(suspended_on__gte=F("joined_on")),
                name="participant_suspended_after_joined",
            ),
        ]

    def __str__(self):
        return f"{self.partner} ({self.role})"

    HISTORY_NAME_RELATED = ("agreement", "partner")

    def history_name(self) -> str:
        """The change log's name: "Japan in DTC-2026-0001"."""
        return f"{self.partner.name} in {self.agreement.reference}"

    def standing_on(self, day) -> str:
        """Where the partner stood in the agreement on `day`, in words."""
        start = self.joined_on or self.signed_on
        if start is not None and day < start:
            return "Not yet joined"
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return "Withdrawn"
        if self.suspended_on is not None and self.suspended_on <= day:
            return "Suspended"
        return "Taking part"

    def clean(self):
        errors = {}
        for name in ("suspended_on", "withdrawn_on"):
            value = getattr(self, name)
            if value and self.joined_on and value < self.joined_on:
                errors[name] = ["This date cannot be before the joining date."]
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class LegalBasis(models.Model):
    """A provision an agreement rests on, and how (authorizes, funds, conditions, ...)."""

    Role = LegalBasisRole

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="legal_bases")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="legal_bases")
    role = models.CharField(max_length=32, choices=Role.choices)
    # The subsection the agreement rests on, for pinpoint citations.
    pinpoint = models.CharField(
        max_length=50,
        blank=True,
        validators=[RegexValidator(r"^(\([A-Za-z0-9]{1,8}\))+$", "Use the form (a)(1)(B).")],
        help_text="The subsection relied on, e.g. (a)(1)(B).",
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "legal bases"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "provision", "role"],
                name="legal_basis_unique",
                violation_error_message="This provision is already listed with this role.",
            ),
        ]

    def __str__(self):
        return f"{self.citation} ({self.role})"

    HISTORY_NAME_RELATED = ("agreement", "provision__act")

    def history_name(self) -> str:
        """The change log's name: "10 U.S.C. 2350a for DTC-2026-0001"."""
        return f"{self.citation} for {self.agreement.reference}"

    @property
    def citation(self) -> str:
        """The provision's citation down to the subsection, e.g. 10 U.S.C. 2350a(a)(1)(B)."""
        provision = self.provision
        if self.pinpoint and provision.codification:
            return f"{provision.codification}{self.pinpoint}"
        if self.pinpoint:
            return f"{provision.citation}, subsection {self.pinpoint}"
        return provision.citation


@pghistory.track()
class IndustrialParticipant(models.Model):
    """A company's share of the work under an agreement, for the industrial-base question."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="industrial_participants"
    )
    company = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="industrial_participations"
    )
    us_state = models.CharField("U.S. state", max_length=2, choices=US_STATES, blank=True)
    naics_code = models.CharField(
        "NAICS code",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{2,6}$", "A NAICS code is 2 to 6 digits.")],
    )
    contract_value_usd = models.DecimalField(
        "contract value (USD)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    work_share_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    fiscal_year = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_value_usd__isnull=True) | Q(contract_value_usd__gte=0),
                name="industrial_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(work_share_percent__isnull=True)
                | Q(work_share_percent__gte=0, work_share_percent__lte=100),
                name="industrial_share_0_100",
            ),
        ]

    def __str__(self):
        return f"{self.company} in {self.us_state or '?'}"

    HISTORY_NAME_RELATED = ("agreement", "company")

    def history_name(self) -> str:
        """The change log's name: "Lockheed Martin (AZ) in DTC-2026-0001"."""
        where = f" ({self.us_state})" if self.us_state else ""
        return f"{self.company.name}{where} in {self.agreement.reference}"

    def clean(self):
        if self.company_id and self.company.kind != "company":
            raise ValidationError({"company": ["An industrial participant must be a company."]})
