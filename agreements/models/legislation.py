"""Authorizing legislation: acts (bills, laws, code titles, regulations) and their provisions."""

import pghistory
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from agreements.choices import ActKind, ActStatus, BillType, ProvisionStatus
from core.domain import RegistryDateField, VersionedModel


@pghistory.track()
class Act(VersionedModel):
    """A bill or law, a title of the U.S. Code, a regulation or an executive instrument."""

    Kind = ActKind
    BillType = BillType
    Status = ActStatus

    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.ACT)
    title = models.CharField(max_length=500)
    short_title = models.CharField(max_length=300, blank=True)
    congress = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text="e.g. 119 for the 119th Congress (2025-2026).",
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
        help_text="Congress and law number, e.g. 119-60 for Pub. L. 119-60. Only an enacted act "
        "has one.",
    )
    statutes_at_large = models.CharField(
        max_length=32,
        null=True,
        blank=True,
        # A volume may carry a letter: 70A Stat. 1 enacted Title 10.
        validators=[
            RegexValidator(r"^\d{1,4}[A-Z]? Stat\. \d{1,5}$", "Use the form 82 Stat. 1320.")
        ],
        help_text="Volume and page, e.g. 82 Stat. 1320 (a volume may carry a letter: 70A Stat. 1).",
    )
    enacted_on = RegistryDateField(null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
        help_text="For an NDAA or an appropriations act: the fiscal year it covers, e.g. 2026.",
    )
    url = models.URLField("URL", max_length=500, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            # NULLs are distinct: the key holds once congress, type and number are all set.
            models.UniqueConstraint(
                fields=["congress", "bill_type", "bill_number"], name="act_bill_unique"
            ),
            models.CheckConstraint(
                condition=Q(public_law__isnull=True) | Q(status="enacted"),
                name="act_public_law_needs_enacted",
                violation_error_message="A public law number needs status enacted.",
            ),
            # A draft or a chairman's mark has a bill type and no number yet.
            models.CheckConstraint(
                condition=Q(bill_type__isnull=True, bill_number__isnull=True)
                | Q(bill_type__isnull=False, bill_number__isnull=False, congress__isnull=False)
                | Q(bill_type__isnull=False, bill_number__isnull=True, status="introduced"),
                name="act_bill_complete",
                violation_error_message=(
                    "A bill needs its congress, type and number together; only an introduced "
                    "draft may lack its number."
                ),
            ),
            models.CheckConstraint(condition=~Q(title=""), name="act_title_not_blank"),
        ]

    def __str__(self):
        return self.short_title or self.title

    @property
    def bill_citation(self) -> str:
        if not self.bill_type:
            return ""
        number = self.bill_number or "(unnumbered draft)"
        congress = f" ({self.congress}th Cong.)" if self.congress else ""
        return f"{self.get_bill_type_display()} {number}{congress}"

    def clean(self):
        errors = {}
        if self.public_law and self.status != self.Status.ENACTED:
            errors["public_law"] = ["Only an enacted act has a public law number."]
        if self.enacted_on and self.status != self.Status.ENACTED:
            errors["enacted_on"] = ["Only an enacted act has an enactment date."]
        if self.bill_number is not None and not self.bill_type:
            errors["bill_type"] = ["A bill number needs its bill type."]
        elif self.bill_type and self.bill_number is None and self.status != self.Status.INTRODUCED:
            errors["bill_number"] = [
                "Only an introduced draft may lack its number; give the bill number."
            ]
        elif self.bill_number is not None and self.congress is None:
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

    Status = ProvisionStatus

    act = models.ForeignKey(Act, on_delete=models.PROTECT, related_name="provisions")
    section = models.CharField(
        max_length=64, help_text="The section number alone, e.g. 224 or 2350a."
    )
    path = models.CharField(max_length=300, blank=True, help_text="e.g. div. A, title II")
    heading = models.CharField(max_length=500, blank=True)
    codification = models.CharField(
        max_length=100, null=True, blank=True, help_text="e.g. 22 U.S.C. 2378d or 22 CFR 124.9"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_FORCE)
    valid_from = RegistryDateField(null=True, blank=True)
    valid_to = RegistryDateField(null=True, blank=True)
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

    @property
    def citation_with_codification(self) -> str:
        """The citation followed by its codification in brackets, unless the citation already
        is the codification (a code title's or regulation's section is cited by it)."""
        citation = self.citation
        if self.codification and self.codification != citation:
            return f"{citation} ({self.codification})"
        return citation

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
