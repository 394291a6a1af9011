"""The waiver history across conditions (auditors' main page) and its CSV export."""

from django.views import View

from conditions.filters import WaiverEntryFilterSet
from conditions.models import WaiverEntry
from core.registry_day import registry_today
from core.web.access import ReaderRequiredMixin
from core.web.csv import AS_IS, Field, IsoTimestamp, cell, choice, lookup, table_response, text
from core.web.lists import Column, FilteredListView, sort_fields_of
from core.web.typeahead import typeahead


def _requirements(value: list) -> str:
    return text("; ".join(value))


def csv_fields(citations: dict) -> list[Field]:
    """The export's columns, read with values_list in one joined query; `citations` by
    provision id (the authority's citation is a property, looked up among the few provisions).
    """
    return [
        *[Field(name, name, AS_IS) for name in ("id", "sequence", "condition_id")],
        Field("condition", "condition__title", text),
        Field("partner", "condition__partner__name", text),
        *choice("action", "action", WaiverEntry.Action.choices),
        Field("amends", "amends_id", AS_IS),
        Field("authority", "authority_id", lookup(citations)),
        *choice("standard", "standard", WaiverEntry.Standard.choices),
        *[Field(name, name, text) for name in ("official_title", "official_name", "instrument")],
        *[Field(name, name, AS_IS) for name in ("signed_on", "effective_on", "expires_on")],
        Field("requirements_waived", "requirements_waived", _requirements),
        Field("amount_usd", "amount_usd", cell),
        Field("fiscal_year", "fiscal_year", AS_IS),
        Field("justification_classified", "justification_classified", AS_IS),
        Field("justification", "justification", text),
        Field("congress_notified_on", "congress_notified_on", AS_IS),
        *choice("publicity", "publicity", WaiverEntry.Publicity.choices),
        Field("recorded_by", "recorded_by__username", text),
        Field("recorded_at", "recorded_at_iso", text),  # CSV_EXPRESSIONS
        Field("entry_hash", "entry_hash", text),
        Field("previous_hash", "previous_hash", text),
    ]


CSV_HEADER = [field.header for field in csv_fields({})]
# Columns the database writes as text (core/web/csv.py IsoTimestamp says why).
CSV_EXPRESSIONS = {"recorded_at_iso": IsoTimestamp("recorded_at")}


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
    columns = (
        Column("Entry", sort="sequence", key=True),
        Column("Signed", sort="signed_on"),
        Column("Partner", sort="partner", order_by="condition__partner__name"),
        Column("Condition", sort="condition", order_by="condition__title"),
        Column("Action", sort="action"),
        Column("Official", sort="official", order_by="official_title", hidden=True),
        Column("Authority"),
        Column("Expires", sort="expires_on", key=True),
        Column("Amount", key=True, number=True, heading="Amount (fiscal year)"),
        Column("Publicity"),
    )
    sort_fields = sort_fields_of(columns)
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
        # Named by the registry's day, as every other export is (issue 30).
        stamp = registry_today().isoformat()
        return table_response(
            csv_fields(provision_citations()),
            queryset.order_by("sequence").annotate(**CSV_EXPRESSIONS),
            filename=f"waivers-{stamp}.csv",
            marking=queryset.highest_marking(),  # the first line: one query, before streaming
        )
