"""Forms of the legislation and agreement pages; agreements/services.py does the writing."""

from django import forms

from agreements import fields as spec
from agreements import models
from core.web.forms import RegistryModelForm, VersionedModelForm, formset_for
from partners.models import Partner

# Legal and reference fields say what they hold and in which form (people's words, issue 15):
# the model field's help text, read by these forms, the admin and the API schema alike. A
# form declares only what is its own: a label, or a hint about how this form takes the value.


class ActForm(VersionedModelForm):
    class Meta:
        model = models.Act
        fields = spec.ACT_FIELDS
        labels = {"public_law": "Public law number"}


class ProvisionForm(VersionedModelForm):
    class Meta:
        model = models.Provision
        fields = spec.PROVISION_FIELDS


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
        help_texts = {"fms_cases": "FMS case identifiers, separated by commas."}


class ParticipantForm(RegistryModelForm):
    class Meta:
        model = models.AgreementParticipant
        fields = spec.PARTICIPANT_FIELDS


class LegalBasisForm(RegistryModelForm):
    field_order = ("provision", "pinpoint")  # the page asks for the subsection before the role

    class Meta:
        model = models.LegalBasis
        fields = spec.LEGAL_BASIS_FIELDS
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
