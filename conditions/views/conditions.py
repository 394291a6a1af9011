"""Condition pages: list, detail (requirements, reviews, ledger timeline, flags), forms."""

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView

from conditions import chains
from conditions import fields as spec
from conditions.filters import ConditionFilterSet
from conditions.forms import (
    ConditionForm,
    NewSourceFormSet,
    RequirementFormSet,
    ReviewForm,
    SourceFormSet,
    WaiverForm,
    amendment_initial,
)
from conditions.models import Condition, ConditionRequirement, Flag, SourceDocument, WaiverEntry
from conditions.services import (
    condition_create,
    condition_review_record,
    condition_update,
    waiver_record,
)
from conditions.snapshots import condition_as_of
from core.history.point_in_time import PointInTimeMixin
from core.marked import visible
from core.web.access import ReaderRequiredMixin
from core.web.lists import Column, FilteredListView, HistoryLinkMixin, sort_fields_of
from core.web.marking import MarkedDetailMixin
from core.web.typeahead import typeahead
from core.web.views import ServiceFormView
from partners.models import PartnerDesignation


class ConditionListView(FilteredListView):
    model = Condition
    filterset_class = ConditionFilterSet
    columns = (
        Column("Condition", sort="title", key=True),
        Column("Partner", sort="partner", order_by="partner__name"),
        Column("Legal basis"),
        Column("Status", sort="status"),
        Column("Next review", sort="next_review_due", key=True),
        Column("Office", sort="responsible_office"),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "next_review_due"

    def base_queryset(self):
        return Condition.objects.select_related("partner", "legal_basis__act")

    def adjust_filter_form(self, form):
        typeahead(form, "partner", "partners.Partner")
        typeahead(form, "agreement", "agreements.Agreement")
        typeahead(form, "legal_basis", "agreements.Provision")


class ConditionDetailView(
    ReaderRequiredMixin, MarkedDetailMixin, HistoryLinkMixin, PointInTimeMixin, DetailView
):
    model = Condition
    as_of_builder = staticmethod(condition_as_of)  # ?as_of=YYYY-MM-DD; ?on= reads at a day
    as_of_lists = {"requirements": ConditionRequirement, "sources": SourceDocument}
    designation_model = PartnerDesignation
    queryset = Condition.objects.select_related("partner", "agreement", "legal_basis__act")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        condition = self.object
        entries = list(
            condition.waiver_entries.visible_to(self.request.user)
            .select_related("authority__act", "amends", "recorded_by")
            .prefetch_related(
                "sources",
                Prefetch(
                    "amendments",
                    WaiverEntry.objects.visible_to(self.request.user).order_by("sequence"),
                ),
            )
            .order_by("sequence")
        )
        # What is in effect follows every entry, those this user may not see included.
        states = chains.chains_on(condition.waiver_entries.order_by("sequence"), self.on_day)
        in_effect = {state.terms.pk for state in states if state.waives}
        _offer_amendments(entries)
        context.update(
            requirements=condition.requirements.all(),
            sources=condition.sources.all(),
            reviews=condition.reviews.select_related("recorded_by")
            .prefetch_related("sources")
            .order_by("-reviewed_on", "-id"),
            entries=entries,
            in_effect=in_effect,
            classified_records_location=settings.CLASSIFIED_RECORDS_LOCATION,
            # Hidden reviews or entries shaped the status: it is shown as withheld.
            records_withheld=condition.records_withheld(self.request.user),
            flags=condition.flags.filter(
                status__in=[Flag.Status.OPEN, Flag.Status.ACKNOWLEDGED]
            ).select_related("acknowledged_by"),
        )
        return context


def _offer_amendments(entries: list[WaiverEntry]) -> None:
    """Only the latest entry of each chain may be amended; a revoked chain only corrected."""
    latest: dict[int, WaiverEntry] = {}
    for entry in entries:  # ledger order
        entry.offered_actions = []
        latest[entry.chain_id] = entry
    revoked = {e.chain_id for e in entries if e.effect == WaiverEntry.Action.REVOKED}
    for chain_id, entry in latest.items():
        entry.offered_actions = (
            ["corrected"] if chain_id in revoked else ["extended", "revoked", "corrected"]
        )


class ConditionCreateView(ServiceFormView):
    form_class = ConditionForm
    formset_classes = {"requirements": RequirementFormSet, "sources": SourceFormSet}

    def save(self, data, nested, expected_version):
        return condition_create(actor=self.request.user, **data, **nested)


class ConditionUpdateView(ConditionCreateView):
    model = Condition

    def initial(self):
        c = self.object
        initial = super().initial()
        initial.update(partner=c.partner_id, agreement=c.agreement_id, legal_basis=c.legal_basis_id)
        return initial

    def formset_initial(self, name):
        if name == "requirements":
            rows = ConditionRequirement.objects.filter(condition=self.object)
            return list(rows.order_by("id").values(*spec.REQUIREMENT_FIELDS))
        rows = SourceDocument.objects.filter(condition=self.object)
        return list(rows.order_by("id").values(*spec.SOURCE_FIELDS))

    def save(self, data, nested, expected_version):
        return condition_update(
            condition=self.object,
            actor=self.request.user,
            expected_version=expected_version,
            **data,
            **nested,
        )


class _ConditionEntryView(ServiceFormView):
    """Base of the forms that add to a condition's record (a review, a ledger entry)."""

    formset_classes = {"sources": NewSourceFormSet}
    detail_url_name = "conditions:condition_detail"

    def get_object(self):
        return get_object_or_404(
            Condition.objects.select_related("partner"), pk=self.kwargs["condition_pk"]
        )

    def success_url(self, obj) -> str:
        return reverse(self.detail_url_name, kwargs={"pk": self.object.pk}) + self.anchor(obj)

    def anchor(self, obj) -> str:
        return ""


class ReviewCreateView(_ConditionEntryView):
    template_name = "conditions/review_form.html"
    form_class = ReviewForm
    success_message = "Review recorded."

    def save(self, data, nested, expected_version):
        return condition_review_record(
            condition=self.object, actor=self.request.user, **data, **nested
        )


class WaiverCreateView(_ConditionEntryView):
    template_name = "conditions/waiver_form.html"
    form_class = WaiverForm
    crumb_label = "Record a waiver entry"
    success_message = "Waiver entry #{obj.pk} ({obj.action}) recorded in the ledger."

    def amended(self) -> WaiverEntry | None:
        """The entry named by ?amends=, when it is one of this condition's this user may see
        (a hidden one pre-fills nothing, as a missing one)."""
        amends = self.request.GET.get("amends", "")
        if not amends.isdigit() or len(amends) > 18:
            return None
        entries = visible(self.object.waiver_entries.all(), self.request.user)
        return entries.filter(pk=int(amends)).first()

    def form_kwargs(self):
        return {"condition": self.object, "amended": self.amended()}

    def initial(self):
        initial = {"authority": self.object.legal_basis_id}
        action = self.request.GET.get("action", "")
        if action in WaiverEntry.Action.values:
            initial["action"] = action
        amended = self.amended()
        if amended is not None:
            initial.update(amendment_initial(amended, action))
        return initial

    def anchor(self, obj) -> str:
        return f"#waiver-{obj.pk}"

    def save(self, data, nested, expected_version):
        return waiver_record(condition=self.object, actor=self.request.user, **data, **nested)
