"""Forms of the safeguards pages; safeguards/services.py does the writing."""

from django import forms

from core.web.forms import VersionedModelForm
from core.web.typeahead import TypeaheadMultipleWidget
from safeguards import fields as spec
from safeguards import models
from safeguards.choices import Proviso


def items_field() -> forms.ModelMultipleChoiceField:
    """The technology items of a record: chosen one at a time by type-ahead, never a list of
    every item."""
    return forms.ModelMultipleChoiceField(
        queryset=models.TechnologyItem.objects.all(),
        required=False,
        label="Technology items",
        help_text="Type an item's name; add one at a time, untick one to drop it.",
        widget=TypeaheadMultipleWidget("safeguards.TechnologyItem"),
    )


class TechnologyItemForm(VersionedModelForm):
    class Meta:
        model = models.TechnologyItem
        fields = spec.TECHNOLOGY_ITEM_FIELDS
        labels = {"anti_tamper_required": "Anti-tamper protection required"}


class ReleaseDecisionForm(VersionedModelForm):
    provisos = forms.MultipleChoiceField(
        choices=Proviso.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only for an approval with provisos.",
    )

    class Meta:
        model = models.ReleaseDecision
        fields = spec.RELEASE_DECISION_FIELDS
        labels = {"item": "Technology item", "proviso_text": "Provisos in words"}


class EndUseCheckForm(VersionedModelForm):
    items = items_field()

    class Meta:
        model = models.EndUseCheck
        fields = spec.END_USE_CHECK_FIELDS


class TransferForm(VersionedModelForm):
    items = items_field()

    class Meta:
        model = models.Transfer
        fields = spec.TRANSFER_FIELDS
        labels = {"from_partner": "From (the partner re-transferring)", "to_partner": "To"}


class ViolationForm(VersionedModelForm):
    items = items_field()

    class Meta:
        model = models.Violation
        fields = spec.VIOLATION_FIELDS
