"""Partners (countries, organizations, companies, agencies) and their dated legal categories."""

import pghistory
import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from core.domain import RegistryDateField, VersionedModel
from core.marked import MarkedModel, MarkedQuerySet
from core.registry_day import registry_today
from partners.choices import DesignationCategory, PartnerKind

ISO3_CODES = frozenset(c.alpha_3 for c in pycountry.countries)


class PartnerQuerySet(MarkedQuerySet):
    def with_designation(self, category: str, on=None):
        """Partners that hold `category` on date `on` (today by default)."""
        on = on or registry_today()
        return self.filter(
            Q(designations__valid_to__isnull=True) | Q(designations__valid_to__gte=on),
            Q(designations__valid_from__isnull=True) | Q(designations__valid_from__lte=on),
            designations__category=category,
        ).distinct()


@pghistory.track()
class Partner(MarkedModel, VersionedModel):
    """A foreign partner: a country, an international organization, a company or an agency."""

    Kind = PartnerKind

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    iso3 = models.CharField(
        "ISO 3166-1 alpha-3",
        max_length=3,
        null=True,
        blank=True,
        unique=True,
        help_text="Required for countries, empty otherwise.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="An agency's or company's country, an organization's parent body.",
    )
    notes = models.TextField(blank=True, max_length=20000)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # Lists of conditions and waivers sorted by partner read partners in this order and
        # each partner's rows by index, instead of joining and sorting every row.
        indexes = [models.Index(fields=["name", "id"], name="partner_name_id")]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="partner_name_ci_unique"),
            models.CheckConstraint(
                # iso3__isnull=False: a NULL would make the regex test unknown, which a
                # CHECK constraint lets through.
                condition=(Q(kind="country") & Q(iso3__isnull=False) & Q(iso3__regex=r"^[A-Z]{3}$"))
                | (~Q(kind="country") & Q(iso3__isnull=True)),
                name="partner_iso3_only_for_countries",
                violation_error_message="A country needs an ISO 3166-1 alpha-3 code; "
                "other kinds have none.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="partner_name_not_blank"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.name:
            self.name = self.name.strip()
            clash = Partner.objects.filter(name__iexact=self.name).exclude(pk=self.pk)
            if clash.exists():
                errors["name"] = ["A partner with this name already exists."]
        if self.iso3 == "":
            self.iso3 = None
        if self.kind == self.Kind.COUNTRY:
            if not self.iso3:
                errors["iso3"] = ["A country needs its ISO 3166-1 alpha-3 code."]
            elif self.iso3.upper() not in ISO3_CODES:
                errors["iso3"] = [f"“{self.iso3}” is not an ISO 3166-1 alpha-3 code."]
            else:
                self.iso3 = self.iso3.upper()
        elif self.iso3:
            errors["iso3"] = ["Only countries have an ISO 3166-1 alpha-3 code."]
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = ["A partner cannot be its own parent."]
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class PartnerDesignation(models.Model):
    """A legal category a partner holds over a period (NATO member, MNNA, ...)."""

    Category = DesignationCategory

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="designations")
    category = models.CharField(max_length=32, choices=Category.choices)
    valid_from = RegistryDateField(
        null=True, blank=True, help_text="Empty when the start date is not known."
    )
    valid_to = RegistryDateField(null=True, blank=True, help_text="Empty while current.")
    instrument = models.CharField(
        max_length=300, blank=True, help_text="e.g. PD 98-9, 63 FR 3635; or a treaty."
    )

    class Meta:
        ordering = ["valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="designation_dates_in_order",
                violation_error_message="A designation cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} from {self.valid_from or 'an unknown date'}"

    def holds_on(self, day) -> bool:
        started = self.valid_from is None or self.valid_from <= day
        return started and (self.valid_to is None or day <= self.valid_to)

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": ["The end date is before the start date."]})
