"""Forms of the legislation and agreement pages; agreements/services.py does the writing."""

from django import forms

from agreements.models import (
    Act,
    Agreement,
    AgreementParticipant,
    IndustrialParticipant,
    LegalBasis,
    Provision,
    TechnologyArea,
)
from core.web.forms import form_for, formset_for
from partners.models import Partner

ActForm = form_for(
    Act,
    [
        "kind", "title", "short_title", "congress", "bill_type", "bill_number", "status",
        "public_law", "statutes_at_large", "enacted_on", "fiscal_year", "url",
    ],
    versioned=True,
    name="ActForm",
)  # fmt: skip

ProvisionForm = form_for(
    Provision,
    [
        "act", "section", "path", "heading", "codification", "status", "valid_from", "valid_to",
        "report_deadline_days",
    ],
    versioned=True,
    name="ProvisionForm",
)  # fmt: skip

AgreementForm = form_for(
    Agreement,
    [
        "reference", "title", "summary", "agreement_type", "status", "parent", "supersedes",
        "signed_on", "entry_into_force_on", "expires_on", "terminated_on",
        "technology_transfer_risk", "industrial_base_notes", "human_rights_notes", "fms_cases",
        "binding", "case_act_transmitted_on",
    ],
    versioned=True,
    name="AgreementForm",
    extra={
        "technology_areas": forms.ModelMultipleChoiceField(
            queryset=TechnologyArea.objects.all(),
            to_field_name="slug",
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
    },
)  # fmt: skip

# Legal and reference fields say what they hold and in which form (people's words, issue 15).
ActForm.base_fields["public_law"].label = "Public law number"
LEGAL_FIELD_HELP = {
    ActForm: {
        "public_law": "Congress and law number, e.g. 119-60 for Pub. L. 119-60. Only an "
        "enacted act has one.",
        "statutes_at_large": "Volume and page, e.g. 82 Stat. 1320 (a volume may carry a "
        "letter: 70A Stat. 1).",
        "congress": "e.g. 119 for the 119th Congress (2025-2026).",
        "fiscal_year": "For an NDAA or an appropriations act: the fiscal year it covers, "
        "e.g. 2026.",
    },
    ProvisionForm: {"section": "The section number alone, e.g. 224 or 2350a."},
    AgreementForm: {
        "reference": "The registry's identifier, unique across agreements: "
        "DTC-<year>-<four digits>, e.g. DTC-2026-0042.",
    },
}
for form_class, help_texts in LEGAL_FIELD_HELP.items():
    for name, text in help_texts.items():
        form_class.base_fields[name].help_text = text
AgreementForm.base_fields["fms_cases"].label = "FMS cases"
AgreementForm.base_fields["fms_cases"].help_text = "FMS case identifiers, separated by commas."


ParticipantForm = form_for(
    AgreementParticipant,
    [
        "partner", "role", "cost_share_percent", "signed_on", "joined_on", "suspended_on",
        "withdrawn_on",
    ],
    name="ParticipantForm",
)  # fmt: skip
LegalBasisForm = form_for(LegalBasis, ["provision", "pinpoint", "role"], name="LegalBasisForm")
LegalBasisForm.base_fields["pinpoint"].help_text = "The subsection relied on, e.g. (a)(1)(B)."
LegalBasisForm.base_fields["provision"].queryset = Provision.objects.select_related("act")
IndustrialParticipantForm = form_for(
    IndustrialParticipant,
    [
        "company", "us_state", "naics_code", "contract_value_usd", "work_share_percent",
        "fiscal_year", "description",
    ],
    name="IndustrialParticipantForm",
)  # fmt: skip
IndustrialParticipantForm.base_fields["contract_value_usd"].label = "Contract value (USD)"
IndustrialParticipantForm.base_fields["company"].queryset = Partner.objects.filter(
    kind=Partner.Kind.COMPANY
)

ParticipantFormSet = formset_for(ParticipantForm, extra=2)
LegalBasisFormSet = formset_for(LegalBasisForm)
IndustrialParticipantFormSet = formset_for(IndustrialParticipantForm)

TechnologyAreaForm = form_for(
    TechnologyArea, ["name", "slug", "description"], versioned=True, name="TechnologyAreaForm"
)
TechnologyAreaForm.base_fields["slug"].label = "Code"
TechnologyAreaForm.base_fields[
    "slug"
].help_text = "Letters, digits, hyphens or underscores, e.g. missile_defense."
