"""Partner pages: list, detail, create and edit."""

from django.views.generic import DetailView

from core.history.point_in_time import PointInTimeMixin
from core.marked import allowed_categories
from core.web.access import ReaderRequiredMixin
from core.web.lists import Column, FilteredListView, HistoryLinkMixin, sort_fields_of
from core.web.marking import MarkedDetailMixin
from core.web.views import ServiceFormView
from partners.fields import DESIGNATION_FIELDS
from partners.filters import PartnerFilterSet
from partners.forms import DesignationFormSet, PartnerForm
from partners.models import Partner, PartnerDesignation
from partners.services import partner_create, partner_update
from partners.snapshots import partner_as_of


class PartnerListView(FilteredListView):
    model = Partner
    filterset_class = PartnerFilterSet
    columns = (
        Column("Name", sort="name", key=True),
        Column("Kind", sort="kind"),
        Column("ISO 3", sort="iso3"),
        Column("Parent", sort="parent", order_by="parent__name"),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "name"

    def base_queryset(self):
        return Partner.objects.select_related("parent")


class PartnerDetailView(
    ReaderRequiredMixin, MarkedDetailMixin, HistoryLinkMixin, PointInTimeMixin, DetailView
):
    model = Partner
    as_of_builder = staticmethod(partner_as_of)  # ?as_of=YYYY-MM-DD; ?on= reads at a day
    as_of_lists = {"designations": PartnerDesignation}
    designation_model = PartnerDesignation
    queryset = Partner.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.object
        context["designations"] = list(partner.designations.all())
        for designation in context["designations"]:  # what held on the page's day
            designation.held_on_day = designation.holds_on(self.on_day)
        context["children"] = partner.children.all()
        # Only agreements this user may see (partners may not import agreements: by column).
        context["participations"] = list(
            partner.participations.filter(
                agreement__marking_categories__contained_by=allowed_categories(self.request.user)
            ).select_related("agreement")
        )
        for participation in context["participations"]:
            participation.standing = participation.standing_on(self.on_day)
        context["conditions"] = partner.conditions.select_related("legal_basis__act")
        return context


class PartnerCreateView(ServiceFormView):
    form_class = PartnerForm
    formset_classes = {"designations": DesignationFormSet}

    def save(self, data, nested, expected_version):
        return partner_create(actor=self.request.user, **data, **nested)


class PartnerUpdateView(PartnerCreateView):
    model = Partner

    def initial(self):
        return {**super().initial(), "parent": self.object.parent_id}

    def formset_initial(self, name):
        return list(
            PartnerDesignation.objects.filter(partner=self.object).values(*DESIGNATION_FIELDS)
        )

    def save(self, data, nested, expected_version):
        return partner_update(
            partner=self.object,
            actor=self.request.user,
            expected_version=expected_version,
            **data,
            **nested,
        )
