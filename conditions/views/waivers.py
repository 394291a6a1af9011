"""The waiver history across conditions (auditors' main page) and its CSV export."""

from operator import itemgetter

from django.utils import timezone
from django.views import View

from conditions.filters import WaiverEntryFilterSet
from conditions.models import WaiverEntry
from core.web.access import ReaderRequiredMixin
from core.web.csv import csv_response, labelled, rows_of
from core.web.lists import FilteredListView
from core.web.typeahead import typeahead

# The export reads rows, not model instances: these columns of the entry and its relations
# (one joined query), the authority's citation looked up among the few provisions.
CSV_FIELDS = (
    "id",
    "sequence",
    "condition_id",
    "condition__title",
    "condition__partner__name",
    "action",
    "amends_id",
    "authority_id",
    "standard",
    "official_title",
    "official_name",
    "instrument",
    "signed_on",
    "effective_on",
    "expires_on",
    "requirements_waived",
    "amount_usd",
    "fiscal_year",
    "justification_classified",
    "justification",
    "congress_notified_on",
    "publicity",
    "recorded_by__username",
    "recorded_at",
    "entry_hash",
    "previous_hash",
)
_AT = {name: position for position, name in enumerate(CSV_FIELDS)}


def _at(name: str):
    return itemgetter(_AT[name])


def csv_columns(citations: dict) -> list:
    """The export's columns over a row of CSV_FIELDS; `citations` by provision id."""
    authority, recorded_by = _AT["authority_id"], _AT["recorded_by__username"]
    return [
        *[(name, _at(name)) for name in ("id", "sequence", "condition_id")],
        ("condition", _at("condition__title")),
        ("partner", _at("condition__partner__name")),
        *labelled("action", _at("action"), WaiverEntry.Action.choices),
        ("amends", _at("amends_id")),
        ("authority", lambda row: citations[row[authority]]),
        *labelled("standard", _at("standard"), WaiverEntry.Standard.choices),
        *[(name, _at(name)) for name in CSV_FIELDS[9:15]],
        ("requirements_waived", lambda row: "; ".join(row[_AT["requirements_waived"]])),
        *[(name, _at(name)) for name in CSV_FIELDS[16:21]],
        *labelled("publicity", _at("publicity"), WaiverEntry.Publicity.choices),
        ("recorded_by", lambda row: row[recorded_by] or ""),
        *[(name, _at(name)) for name in CSV_FIELDS[23:]],
    ]


def provision_citations() -> dict:
    """Every provision's citation by id (legislation: a few hundred rows at most)."""
    provision = WaiverEntry._meta.get_field("authority").related_model
    return {p.pk: p.citation for p in provision.objects.select_related("act")}


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
            rows_of(
                csv_columns(provision_citations()),
                queryset.order_by("sequence").values_list(*CSV_FIELDS).iterator(chunk_size=2000),
            ),
            filename=f"waivers-{stamp}.csv",
            marking=queryset.highest_marking(),  # the first line: one query, before streaming
        )
