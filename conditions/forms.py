"""Forms of the condition pages; conditions/services/ does the writing."""

from django import forms

from agreements.models import Provision
from conditions.models import (
    Condition,
    ConditionRequirement,
    ConditionReview,
    SourceDocument,
    WaiverEntry,
)
from config.web import form_for, formset_for

ConditionForm = form_for(
    Condition,
    [
        "title", "description", "partner", "unit", "agreement", "legal_basis",
        "review_interval_days", "next_review_due", "review_warning_days", "status",
        "responsible_office", "responsible_email", "leahy_applicable",
        "amount_conditioned_usd", "fiscal_year",
    ],
    versioned=True,
    name="ConditionForm",
)  # fmt: skip
ConditionForm.base_fields["legal_basis"].queryset = Provision.objects.select_related("act")

RequirementForm = form_for(
    ConditionRequirement, ["label", "text", "waivable"], name="RequirementForm"
)
RequirementForm.base_fields["text"].widget = forms.Textarea(attrs={"rows": 2})
SourceForm = form_for(
    SourceDocument, ["url", "publisher", "published_on", "kind"], name="SourceForm"
)
RequirementFormSet = formset_for(RequirementForm)
SourceFormSet = formset_for(SourceForm)
# Reviews and waiver entries are append-only: their sources are added, never removed.
NewSourceFormSet = formset_for(SourceForm, can_delete=False)

ReviewForm = form_for(
    ConditionReview, ["reviewed_on", "outcome", "notes", "next_review_due"], name="ReviewForm"
)
ReviewForm.base_fields[
    "next_review_due"
].help_text = "Leave empty to use the condition's review interval."

_WaiverBase = form_for(
    WaiverEntry,
    [
        "action", "amends", "authority", "standard", "official_title", "official_name",
        "instrument", "signed_on", "effective_on", "expires_on", "amount_usd", "fiscal_year",
        "justification", "justification_classified", "congress_notified_on", "publicity",
    ],
    name="_WaiverBase",
    extra={
        "requirements_waived": forms.MultipleChoiceField(
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Requirements waived",
            help_text="Leave all unticked for a waiver of the whole condition.",
        ),
    },
)  # fmt: skip


class WaiverForm(_WaiverBase):
    """A new ledger entry for one condition: what it amends and which requirements it waives."""

    def __init__(self, *args, condition: Condition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amends"].queryset = WaiverEntry.objects.filter(
            condition=condition
        ).select_related("condition")
        self.fields["amends"].help_text = "Required for an extension, revocation or correction."
        self.fields["authority"].queryset = Provision.objects.select_related("act")
        self.fields["requirements_waived"].choices = [
            (label, label) for label in condition.requirements.values_list("label", flat=True)
        ]
