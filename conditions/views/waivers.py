"""The waiver history across conditions (auditors' main page) and its CSV export."""

from django.utils import timezone
from django.views import View

from conditions.filters import WaiverEntryFilterSet
from conditions.models import WaiverEntry
from core.web.access import ReaderRequiredMixin
from core.web.csv import csv_response, labelled, rows_of
from core.web.lists import FilteredListView
from core.web.typeahead import typeahead

CSV_COLUMNS = [
    ("id", lambda e: e.pk),
    ("sequence", lambda e: e.sequence),
    ("condition_id", lambda e: e.condition_id),
    ("condition", lambda e: e.condition.title),
    ("partner", lambda e: e.condition.partner.name),
    *labelled("action", lambda e: e.action, WaiverEntry.Action.choices),
    ("amends", lambda e: e.amends_id),
    ("authority", lambda e: e.authority.citation),
    *labelled("standard", lambda e: e.standard, WaiverEntry.Standard.choices),
    ("official_title", lambda e: e.official_title),
    ("official_name", lambda e: e.official_name),
    ("instrument", lambda e: e.instrument),
    ("signed_on", lambda e: e.signed_on),
    ("effective_on", lambda e: e.effective_on),
    ("expires_on", lambda e: e.expires_on),
    ("requirements_waived", lambda e: "; ".join(e.requirements_waived)),
    ("amount_usd", lambda e: e.amount_usd),
    ("fiscal_year", lambda e: e.fiscal_year),
    ("justification_classified", lambda e: e.justification_classified),
    ("justification", lambda e: e.justification),
    ("congress_notified_on", lambda e: e.congress_notified_on),
    *labelled("publicity", lambda e: e.publicity, WaiverEntry.Publicity.choices),
    ("recorded_by", lambda e: e.recorded_by.get_username() if e.recorded_by else ""),
    ("recorded_at", lambda e: e.recorded_at),
    ("entry_hash", lambda e: e.entry_hash),
    ("previous_hash", lambda e: e.previous_hash),
]


def waiver_queryset():
    return WaiverEntry.objects.select_related("condition__partner", "authority__act", "recorded_by")


class WaiverListView(FilteredListView):
    """Every ledger entry across conditions, filtered with the API's WaiverEntryFilterSet."""

    model = WaiverEntry
    filterset_class = WaiverEntryFilterSet
    template_name = "conditions/waiver_list.html"
    sort_fields = {
        "sequence": "sequence",
        "signed_on": "signed_on",
        "partner": "condition__partner__name",
        "condition": "condition__title",
        "action": "action",
        "official": "official_title",
        "expires_on": "expires_on",
    }
    default_sort = "-signed_on"

    def base_queryset(self):
        return waiver_queryset()

    def adjust_filter_form(self, form):
        typeahead(form, "partner", "partners.Partner")
        typeahead(form, "condition", "conditions.Condition")
        typeahead(form, "authority", "agreements.Provision")
        form.fields["signed_after"].label = "Signed on or after"
        form.fields["signed_before"].label = "Signed on or before"
        form.fields["official_title"].label = "Official (title contains)"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_query"] = self.request.GET.urlencode()
        return context


class WaiverExportView(ReaderRequiredMixin, View):
    """The filtered waiver history as CSV, streamed row by row in constant memory."""

    def get(self, request):
        entries = waiver_queryset().visible_to(request.user)  # what this user may see
        filterset = WaiverEntryFilterSet(request.GET, queryset=entries)
        queryset = filterset.qs if filterset.is_valid() else WaiverEntry.objects.none()
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return csv_response(
            rows_of(CSV_COLUMNS, queryset.order_by("sequence").iterator(chunk_size=500)),
            filename=f"waivers-{stamp}.csv",
            marking=queryset.highest_marking(),  # the first line: one query, before streaming
        )
