"""Authorizing legislation (acts, provisions) and cooperation agreements with their participants."""

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from config.domain import VersionedModel

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
US_STATES = [
    (c, c)
    for c in [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "PR",
        "GU",
        "VI",
        "AS",
        "MP",
    ]
]


@pghistory.track()
class Act(VersionedModel):
    """A bill or law, a title of the U.S. Code, a regulation or an executive instrument."""

    class Kind(models.TextChoices):
        ACT = "act", "Bill or law"
        CODE_TITLE = "code_title", "U.S. Code title"
        REGULATION = "regulation"
        EXECUTIVE_INSTRUMENT = "executive_instrument"

    class BillType(models.TextChoices):
        HR = "HR", "H.R."
        S = "S", "S."
        HJRES = "HJRES", "H.J.Res."
        SJRES = "SJRES", "S.J.Res."
        HCONRES = "HCONRES", "H.Con.Res."
        SCONRES = "SCONRES", "S.Con.Res."
        HRES = "HRES", "H.Res."
        SRES = "SRES", "S.Res."

    class Status(models.TextChoices):
        INTRODUCED = "introduced"
        REPORTED = "reported"
        PASSED_HOUSE = "passed_house"
        PASSED_SENATE = "passed_senate"
        ENACTED = "enacted"
        VETOED = "vetoed"
        FAILED = "failed"

    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.ACT)
    title = models.CharField(max_length=500)
    short_title = models.CharField(max_length=300, blank=True)
    congress = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    bill_type = models.CharField(max_length=8, choices=BillType.choices, null=True, blank=True)
    bill_number = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INTRODUCED)
    public_law = models.CharField(
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^\d{1,3}-\d{1,4}$", "Use the form 119-60.")],
    )
    statutes_at_large = models.CharField(
        max_length=32,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{1,4} Stat\. \d{1,5}$", "Use the form 82 Stat. 1320.")],
    )
    enacted_on = models.DateField(null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "bill_type", "bill_number"], name="act_bill_unique"
            ),
            models.CheckConstraint(
                condition=Q(public_law__isnull=True) | Q(status="enacted"),
                name="act_public_law_needs_enacted",
                violation_error_message="A public law number needs status enacted.",
            ),
            models.CheckConstraint(
                condition=Q(bill_type__isnull=True, bill_number__isnull=True)
                | Q(bill_type__isnull=False, bill_number__isnull=False, congress__isnull=False),
                name="act_bill_complete",
                violation_error_message="A bill needs its congress, type and number together.",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="act_title_not_blank"),
        ]

    def __str__(self):
        return self.short_title or self.title

    @property
    def bill_citation(self) -> str:
        if not self.bill_type:
            return ""
        return f"{self.get_bill_type_display()} {self.bill_number} ({self.congress}th Cong.)"

    def clean(self):
        errors = {}
        if self.public_law and self.status != self.Status.ENACTED:
            errors["public_law"] = ["Only an enacted act has a public law number."]
        if self.enacted_on and self.status != self.Status.ENACTED:
            errors["enacted_on"] = ["Only an enacted act has an enactment date."]
        if (self.bill_type is None) != (self.bill_number is None):
            field = "bill_number" if self.bill_type else "bill_type"
            errors[field] = ["A bill needs both its type and its number."]
        elif self.bill_type and self.congress is None:
            errors["congress"] = ["A bill needs its congress."]
        if (
            self.public_law
            and self.congress
            and not self.public_law.startswith(f"{self.congress}-")
        ):
            errors["public_law"] = [
                f"Public law {self.public_law} is not of the {self.congress}th Congress."
            ]
        if self.bill_type and self.bill_number and self.congress:
            clash = Act.objects.filter(
                congress=self.congress, bill_type=self.bill_type, bill_number=self.bill_number
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["bill_number"] = ["An act with this congress, bill type and number exists."]
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class Provision(VersionedModel):
    """A section of an act, with its codification and the period it is in force."""

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        IN_FORCE = "in_force"
        REPEALED = "repealed"
        RENUMBERED = "renumbered"
        EXPIRED = "expired"

    act = models.ForeignKey(Act, on_delete=models.PROTECT, related_name="provisions")
    section = models.CharField(max_length=64)
    path = models.CharField(max_length=300, blank=True, help_text="e.g. div. A, title II")
    heading = models.CharField(max_length=500, blank=True)
    codification = models.CharField(
        max_length=100, null=True, blank=True, help_text="e.g. 22 U.S.C. 2378d or 22 CFR 124.9"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_FORCE)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    report_deadline_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Days after a waiver's signing by which Congress must be notified.",
    )

    class Meta:
        ordering = ["act__title", "section"]
        constraints = [
            models.UniqueConstraint(fields=["act", "section"], name="provision_act_section_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="provision_dates_in_order",
                violation_error_message="A provision cannot end before it starts.",
            ),
            models.CheckConstraint(condition=~Q(section=""), name="provision_section_not_blank"),
        ]

    def __str__(self):
        return self.citation

    @property
    def citation(self) -> str:
        """The display citation, e.g. `Section 224 of the NDAA for FY2026 (Pub. L. 119-60)`."""
        act = self.act
        if act.kind in (Act.Kind.CODE_TITLE, Act.Kind.REGULATION) and self.codification:
            return self.codification
        name = act.short_title or act.title
        cite = (
            f"Section {self.section} of the {name}"
            if act.kind == Act.Kind.ACT
            else (f"{name} § {self.section}")
        )
        if act.public_law:
            cite += f" (Pub. L. {act.public_law})"
        elif act.bill_type:
            cite += f" ({act.bill_citation})"
        return cite

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = ["The end date is before the start date."]
        if self.act_id and self.section:
            clash = Provision.objects.filter(act_id=self.act_id, section=self.section)
            if clash.exclude(pk=self.pk).exists():
                errors["section"] = ["This act already has a provision with this section."]
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class TechnologyArea(VersionedModel):
    """A technology area agreements cover (missile defense, hypersonics, ...)."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgreementQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Agreements in force on `day`: entered into force (or signed) and not yet ended."""
        started = Q(entry_into_force_on__lte=day) | Q(
            entry_into_force_on__isnull=True, signed_on__lte=day
        )
        not_ended = (Q(expires_on__isnull=True) | Q(expires_on__gte=day)) & (
            Q(terminated_on__isnull=True) | Q(terminated_on__gt=day)
        )
        return self.filter(started & not_ended).exclude(
            status__in=["proposed", "under_negotiation", "notification_pending"]
        )


@pghistory.track()
class Agreement(VersionedModel):
    """A cooperation agreement through which the U.S. shares military technology."""

    class Type(models.TextChoices):
        RD_PARTNERSHIP = "rd_partnership", "R&D partnership"
        CO_DEVELOPMENT = "co_development", "Co-development"
        CO_PRODUCTION = "co_production", "Co-production"
        LICENSED_MANUFACTURING = "licensed_manufacturing", "Licensed manufacturing"
        TECHNICAL_ASSISTANCE = "technical_assistance", "Technical assistance"
        JOINT_PROCUREMENT = "joint_procurement", "Joint procurement"
        FRAMEWORK = "framework", "Framework / umbrella MOU"
        PROJECT_ARRANGEMENT = "project_arrangement", "Project arrangement"
        SUSTAINMENT = "sustainment", "Sustainment"

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        UNDER_NEGOTIATION = "under_negotiation"
        NOTIFICATION_PENDING = "notification_pending"
        SIGNED = "signed"
        IN_FORCE = "in_force"
        SUSPENDED = "suspended"
        TERMINATED = "terminated"
        EXPIRED = "expired"
        SUPERSEDED = "superseded"

    class Risk(models.TextChoices):
        LOW = "low"
        MODERATE = "moderate"
        HIGH = "high"
        CRITICAL = "critical"

    SIGNED_STATUSES = ("signed", "in_force", "suspended", "terminated", "expired", "superseded")

    reference = models.CharField(max_length=64, unique=True)
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
    signed_on = models.DateField(null=True, blank=True)
    entry_into_force_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    terminated_on = models.DateField(null=True, blank=True)
    technology_transfer_risk = models.CharField(max_length=16, choices=Risk.choices)
    industrial_base_notes = models.TextField(blank=True, max_length=20000)
    human_rights_notes = models.TextField(blank=True, max_length=20000)
    fms_cases = ArrayField(models.CharField(max_length=32), default=list, blank=True)

    objects = AgreementQuerySet.as_manager()

    DATE_FIELDS = ("entry_into_force_on", "expires_on", "terminated_on")

    class Meta:
        ordering = ["reference"]
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


@pghistory.track()
class AgreementParticipant(models.Model):
    """A partner's participation in an agreement, which changes over time."""

    class Role(models.TextChoices):
        LEAD = "lead"
        PARTICIPANT = "participant"
        LICENSOR = "licensor"
        LICENSEE = "licensee"
        PRIME_CONTRACTOR = "prime_contractor"
        SUBCONTRACTOR = "subcontractor"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="participants")
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    cost_share_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    signed_on = models.DateField(null=True, blank=True)
    joined_on = models.DateField(null=True, blank=True)
    suspended_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
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

    class Role(models.TextChoices):
        AUTHORIZES = "authorizes"
        FUNDS = "funds"
        CONDITIONS = "conditions"
        REQUIRES_NOTIFICATION = "requires_notification"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="legal_bases")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="legal_bases")
    role = models.CharField(max_length=32, choices=Role.choices)

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
        return f"{self.provision} ({self.role})"


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
        max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
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

    def clean(self):
        if self.company_id and self.company.kind != "company":
            raise ValidationError({"company": ["An industrial participant must be a company."]})
