"""Forms of the legislation and agreement pages; agreements/services.py does the writing."""

from django import forms

from agreements import fields as spec
from agreements import models
from core.web.forms import RegistryModelForm, VersionedModelForm, formset_for
from partners.models import Partner


class ActForm(VersionedModelForm):
    # Legal and reference fields say what they hold and in which form (people's words,
    # issue 15), here and on the provision and agreement forms.
    class Meta:
        model = models.Act
        fields = spec.ACT_FIELDS
        labels = {"public_law": "Public law number"}
        help_texts = {
            "public_law": "Congress and law number, e.g. 119-60 for Pub. L. 119-60. Only an "
            "enacted act has one.",
            "statutes_at_large": "Volume and page, e.g. 82 Stat. 1320 (a volume may carry a "
            "letter: 70A Stat. 1).",
            "congress": "e.g. 119 for the 119th Congress (2025-2026).",
            "fiscal_year": "For an NDAA or an appropriations act: the fiscal year it covers, "
            "e.g. 2026.",
        }


class ProvisionForm(VersionedModelForm):
    class Meta:
        model = models.Provision
        fields = spec.PROVISION_FIELDS
        help_texts = {"section": "The section number alone, e.g. 224 or 2350a."}


class AgreementForm(VersionedModelForm):
    technology_areas = forms.ModelMultipleChoiceField(
        queryset=models.TechnologyArea.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = models.Agreement
        fields = spec.AGREEMENT_FIELDS
        labels = {"fms_cases": "FMS cases"}
        help_texts = {
            "reference": "The registry's identifier, unique across agreements: "
            "DTC-<year>-<four digits>, e.g. DTC-2026-0042.",
            "fms_cases": "FMS case identifiers, separated by commas.",
        }


class ParticipantForm(RegistryModelForm):
    class Meta:
        model = models.AgreementParticipant
        fields = spec.PARTICIPANT_FIELDS


class LegalBasisForm(RegistryModelForm):
    field_order = ("provision", "pinpoint")  # the page asks for the subsection before the role

    class Meta:
        model = models.LegalBasis
        fields = spec.LEGAL_BASIS_FIELDS
        help_texts = {"pinpoint": "The subsection relied on, e.g. (a)(1)(B)."}
        querysets = {"provision": models.Provision.objects.select_related("act")}


class IndustrialParticipantForm(RegistryModelForm):
    class Meta:
        model = models.IndustrialParticipant
        fields = spec.INDUSTRIAL_PARTICIPANT_FIELDS
        labels = {"contract_value_usd": "Contract value (USD)"}
        querysets = {"company": Partner.objects.filter(kind=Partner.Kind.COMPANY)}


ParticipantFormSet = formset_for(ParticipantForm, extra=2)
LegalBasisFormSet = formset_for(LegalBasisForm)
IndustrialParticipantFormSet = formset_for(IndustrialParticipantForm)


class TechnologyAreaForm(VersionedModelForm):
    field_order = ("name", "slug")  # the page asks for the name first

    class Meta:
        model = models.TechnologyArea
        fields = spec.TECHNOLOGY_AREA_FIELDS
        labels = {"slug": "Code"}
        help_texts = {"slug": "Letters, digits, hyphens or underscores, e.g. missile_defense."}
