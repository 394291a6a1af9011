"""Forms of the condition pages; conditions/services/ does the writing."""

from django import forms

from agreements.models import Provision
from conditions import fields as spec
from conditions.models import (
    Condition,
    ConditionRequirement,
    ConditionReview,
    SourceDocument,
    WaiverEntry,
)
from core.web.forms import RegistryModelForm, VersionedModelForm, formset_for


class ConditionForm(VersionedModelForm):
    class Meta:
        model = Condition
        fields = spec.CONDITION_FIELDS
        querysets = {"legal_basis": Provision.objects.select_related("act")}


class RequirementForm(RegistryModelForm):
    class Meta:
        model = ConditionRequirement
        fields = spec.REQUIREMENT_FIELDS
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class SourceForm(RegistryModelForm):
    class Meta:
        model = SourceDocument
        fields = spec.SOURCE_FIELDS


RequirementFormSet = formset_for(RequirementForm)
SourceFormSet = formset_for(SourceForm)
# Reviews and waiver entries are append-only: their sources are added, never removed.
NewSourceFormSet = formset_for(SourceForm, can_delete=False)


class ReviewForm(RegistryModelForm):
    class Meta:
        model = ConditionReview
        fields = spec.REVIEW_FIELDS
        help_texts = {"next_review_due": "Leave empty to use the condition's review interval."}


# What an extension or revocation keeps of the entry it amends; a correction restates it all.
CARRIED_TERMS = (
    "authority",
    "standard",
    "official_title",
    "official_name",
    "instrument",
    "requirements_waived",
    "amount_usd",
    "fiscal_year",
    "justification_classified",
    "publicity",
)
RESTATED_TERMS = (
    "signed_on",
    "effective_on",
    "expires_on",
    "justification",
    "congress_notified_on",
)


def amendment_initial(amended: WaiverEntry, action: str) -> dict:
    """The form's starting values for an entry that amends `amended`."""
    names = CARRIED_TERMS + (RESTATED_TERMS if action == "corrected" else ())
    initial = {name: getattr(amended, name) for name in names}
    initial.update(amends=amended.pk, authority=amended.authority_id)
    initial["requirements_waived"] = list(amended.requirements_waived)
    return initial


class WaiverForm(RegistryModelForm):
    """A new ledger entry for one condition: what it amends and which requirements it waives."""

    # Ticked from the condition's waivable requirements, below the entry's other terms.
    requirements_waived = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Requirements waived",
        help_text="Leave all unticked for a waiver of the whole condition.",
    )

    class Meta:
        model = WaiverEntry
        fields = tuple(name for name in spec.WAIVER_FIELDS if name != "requirements_waived")
        help_texts = {
            "standard": "The legal test the official invoked: national security interest, "
            "extraordinary circumstances, emergency or humanitarian.",
            "publicity": "How the public learned of it: published, press-reported only, "
            "notified to Congress only, or classified.",
        }
        querysets = {"authority": Provision.objects.select_related("act")}

    def __init__(self, *args, condition: Condition, amended: WaiverEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the latest entry of a chain can be amended: one that nothing amends yet.
        self.fields["amends"].queryset = WaiverEntry.objects.filter(
            condition=condition, amendments__isnull=True
        ).select_related("condition")
        self.fields["amends"].help_text = "Required for an extension, revocation or correction."
        self.fields["requirements_waived"].choices = [
            (label, f"{label} {text[:80]}")
            for label, text in condition.requirements.filter(waivable=True).values_list(
                "label", "text"
            )
        ]
        if amended is not None:
            ends = (
                f"currently expires on {amended.expires_on:%B %-d, %Y}"
                if amended.expires_on
                else "is currently open-ended"
            )
            self.fields["expires_on"].help_text = f"Entry #{amended.pk} {ends}."
