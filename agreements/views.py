"""Pages for legislation (acts, provisions) and agreements: lists, details, forms."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from agreements import fields as spec
from agreements import models, services
from agreements.filters import ActFilterSet, AgreementFilterSet, ProvisionFilterSet
from agreements.forms import (
    ActForm,
    AgreementForm,
    IndustrialParticipantFormSet,
    LegalBasisFormSet,
    ParticipantFormSet,
    ProvisionForm,
)
from agreements.snapshots import agreement_as_of
from core.history.point_in_time import PointInTimeMixin
from core.marked import allowed_categories, visible_q
from core.web.access import ReaderRequiredMixin
from core.web.lists import Column, FilteredListView, HistoryLinkMixin, choose_from, sort_fields_of
from core.web.marking import MarkedDetailMixin
from core.web.typeahead import typeahead
from core.web.views import ServiceFormView
from partners.models import PartnerDesignation

# ----- acts ------------------------------------------------------------------------------


class ActListView(FilteredListView):
    model = models.Act
    filterset_class = ActFilterSet
    columns = (
        Column("Title", sort="title", key=True),
        Column("Kind", sort="kind"),
        Column("Status", sort="status"),
        Column("Congress", sort="congress"),
        Column("Public law", sort="public_law"),
        Column("Enacted", sort="enacted_on"),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "title"


class ActDetailView(ReaderRequiredMixin, HistoryLinkMixin, DetailView):
    model = models.Act

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["provisions"] = self.object.provisions.select_related("act")
        return context


class ActCreateView(ServiceFormView):
    form_class = ActForm

    def save(self, data, nested, expected_version):
        return services.act_create(actor=self.request.user, **data)


class ActUpdateView(ActCreateView):
    model = models.Act

    def save(self, data, nested, expected_version):
        return services.act_update(
            act=self.object, actor=self.request.user, expected_version=expected_version, **data
        )


# ----- provisions ------------------------------------------------------------------------


class ProvisionListView(FilteredListView):
    model = models.Provision
    filterset_class = ProvisionFilterSet
    columns = (
        Column("Citation", sort="act", order_by="act__title", key=True),
        Column("Section", sort="section"),
        Column("Heading", sort="heading"),
        Column("Codification", sort="codification"),
        Column("Status", sort="status"),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "act"

    def base_queryset(self):
        return models.Provision.objects.select_related("act")


class ProvisionDetailView(ReaderRequiredMixin, MarkedDetailMixin, HistoryLinkMixin, DetailView):
    model = models.Provision
    queryset = models.Provision.objects.select_related("act")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["legal_bases"] = self.object.legal_bases.select_related("agreement")
        context["conditions"] = self.object.conditions.select_related("partner")
        return context


class ProvisionCreateView(ServiceFormView):
    form_class = ProvisionForm

    def initial(self):
        if self.object is not None:  # editing: the provision's values
            return {**super().initial(), "act": self.object.act_id}
        act = self.request.GET.get("act", "")
        return {"act": int(act)} if act.isdigit() else {}

    def save(self, data, nested, expected_version):
        return services.provision_create(actor=self.request.user, **data)


class ProvisionUpdateView(ProvisionCreateView):
    model = models.Provision

    def get_object(self):
        return get_object_or_404(
            models.Provision.objects.select_related("act"), pk=self.kwargs["pk"]
        )

    def save(self, data, nested, expected_version):
        return services.provision_update(
            provision=self.object,
            actor=self.request.user,
            expected_version=expected_version,
            **data,
        )


# ----- agreements ------------------------------------------------------------------------


class AgreementListView(FilteredListView):
    model = models.Agreement
    filterset_class = AgreementFilterSet
    columns = (
        Column("Reference", sort="reference", key=True),
        Column("Title", sort="title", key=True),
        Column("Type", sort="agreement_type"),
        Column("Status", sort="status"),
        Column("Signed", sort="signed_on"),
        Column("Participants"),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "reference"

    def base_queryset(self):
        participants = models.AgreementParticipant.objects.select_related("partner").order_by("id")
        return models.Agreement.objects.prefetch_related(Prefetch("participants", participants))

    def adjust_filter_form(self, form):
        typeahead(form, "partner", "partners.Partner")
        typeahead(form, "provision", "agreements.Provision")
        typeahead(form, "act", "agreements.Act")
        choose_from(
            form, "technology_area", models.TechnologyArea.objects.all(), value=lambda a: a.slug
        )
        form.fields["technology_area"].label = "Technology area"


class AgreementDetailView(
    ReaderRequiredMixin, MarkedDetailMixin, HistoryLinkMixin, PointInTimeMixin, DetailView
):
    model = models.Agreement
    as_of_builder = staticmethod(agreement_as_of)  # ?as_of=YYYY-MM-DD; ?on= reads at a day
    as_of_lists = {
        "participants": models.AgreementParticipant,
        "legal_bases": models.LegalBasis,
        "industrial_participants": models.IndustrialParticipant,
    }
    designation_model = PartnerDesignation
    queryset = models.Agreement.objects.select_related("parent", "supersedes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        # Parties whose partner this reader may not see are left out, and counted.
        allowed = allowed_categories(self.request.user)
        context.update(
            participants=agreement.participants.filter(
                visible_q(allowed, "partner__")
            ).select_related("partner"),
            legal_bases=agreement.legal_bases.select_related("provision__act"),
            technology_areas=models.TechnologyArea.objects.filter(
                pk__in=models.AgreementTechnologyArea.objects.filter(agreement=agreement).values(
                    "technology_area"
                )
            ),
            children=agreement.children.all(),
            successors=agreement.successors.all(),
            conditions=agreement.conditions.select_related("partner"),
            industrial=agreement.industrial_participants.filter(
                visible_q(allowed, "company__")
            ).select_related("company"),
            records_withheld=agreement.records_withheld(self.request.user),
        )
        context.update(self.in_effect(agreement, context["participants"]))
        return context

    def in_effect(self, agreement, participants) -> dict:
        """What the records say held on the page's day: in force or not, each participant's
        standing, and each participant's legal categories that day."""
        day, participants = self.on_day, list(participants)
        held = PartnerDesignation.objects.filter(partner__in=[p.partner_id for p in participants])
        categories = {}
        for designation in held:
            if designation.holds_on(day):
                categories.setdefault(designation.partner_id, []).append(
                    designation.get_category_display()
                )
        for participant in participants:
            participant.standing = participant.standing_on(day)
            participant.categories = categories.get(participant.partner_id, [])
        in_force = models.Agreement.objects.filter(pk=agreement.pk).in_force_on(day).exists()
        return {"participants": participants, "in_force_on_day": in_force}


class AgreementCreateView(ServiceFormView):
    form_class = AgreementForm
    formset_classes = {
        "participants": ParticipantFormSet,
        "legal_bases": LegalBasisFormSet,
        "industrial_participants": IndustrialParticipantFormSet,
    }

    def save(self, data, nested, expected_version):
        return services.agreement_create(actor=self.request.user, **data, **nested)


class AgreementUpdateView(AgreementCreateView):
    model = models.Agreement

    def initial(self):
        a = self.object
        initial = super().initial()
        initial.update(
            parent=a.parent_id,
            supersedes=a.supersedes_id,
            technology_areas=list(
                models.AgreementTechnologyArea.objects.filter(agreement=a).values_list(
                    "technology_area__slug", flat=True
                )
            ),
        )
        return initial

    def formset_initial(self, name):
        rows = {
            "participants": (models.AgreementParticipant, spec.PARTICIPANT_FIELDS),
            "legal_bases": (models.LegalBasis, spec.LEGAL_BASIS_FIELDS),
            "industrial_participants": (
                models.IndustrialParticipant,
                spec.INDUSTRIAL_PARTICIPANT_FIELDS,
            ),
        }
        model, fields = rows[name]
        return list(model.objects.filter(agreement=self.object).order_by("id").values(*fields))

    def save(self, data, nested, expected_version):
        return services.agreement_update(
            agreement=self.object,
            actor=self.request.user,
            expected_version=expected_version,
            **data,
            **nested,
        )
