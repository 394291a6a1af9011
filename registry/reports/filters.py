"""The one set of report filters, shared by the report pages, CSV exports and API endpoints."""

from django import forms

from core.domain import RegistryDateFormField
from core.marked import allowed_category_codes
from core.web.forms import UswdsFormMixin
from core.web.typeahead import TypeaheadMultipleWidget
from partners.models import Partner
from registry.reports.params import ReportParams


class ReportFilterForm(UswdsFormMixin, forms.Form):
    """partner (repeatable), year_from, year_to (fiscal years), as_of (a date)."""

    partner = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.order_by("name"),
        required=False,
        label="Partners",
        help_text="None chosen: every partner. Add one at a time; untick one to drop it.",
        widget=TypeaheadMultipleWidget("partners.Partner"),
    )
    year_from = forms.IntegerField(
        required=False, min_value=1900, max_value=2200, label="From fiscal year"
    )
    year_to = forms.IntegerField(
        required=False, min_value=1900, max_value=2200, label="To fiscal year"
    )
    as_of = RegistryDateFormField(
        strict=True,
        required=False,
        label="In effect on",
        help_text="Default: today. The figures are today's records read for what held that "
        "day. What the registry had recorded on an earlier day is on each record's own page "
        "(As recorded on).",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", "The last year comes before the first.")
        return data

    def params(self, viewer=None) -> ReportParams:
        """The filters, for `viewer`: only records marked with categories they may see."""
        data = self.cleaned_data
        return ReportParams(
            categories=tuple(allowed_category_codes(viewer)),
            partners=tuple(p.pk for p in data.get("partner") or ()),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            as_of=data.get("as_of"),
        )
