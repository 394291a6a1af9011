"""Forms of the notification pages; notifications.services does the writing."""

from django import forms

from core.web.forms import VersionedModelForm
from notifications.fields import NOTIFICATION_FIELDS
from notifications.models import CongressionalNotification


class NotificationForm(VersionedModelForm):
    class Meta:
        model = CongressionalNotification
        fields = NOTIFICATION_FIELDS
        labels = {"waiver_entry": "Waiver entry (its ledger number)"}
        # The ledger is long: its entry is typed by number, never listed in a select.
        widgets = {
            "waiver_entry": forms.NumberInput(attrs={"min": 1}),
            "emergency_justification": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
