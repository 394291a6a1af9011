"""Pages for technology areas: a list with agreement counts, a detail with its agreements, forms."""

from django.db.models import Count
from django.views.generic import DetailView

from agreements.filters import TechnologyAreaFilterSet
from agreements.forms import TechnologyAreaForm
from agreements.models import Agreement, TechnologyArea
from agreements.services import technology_area_create, technology_area_update
from core.web.access import ReaderRequiredMixin
from core.web.lists import Column, FilteredListView, HistoryLinkMixin, sort_fields_of
from core.web.views import ServiceFormView


class TechnologyAreaListView(FilteredListView):
    model = TechnologyArea
    filterset_class = TechnologyAreaFilterSet
    template_name = "agreements/technology_area_list.html"
    columns = (
        Column("Name", sort="name", key=True),
        Column("Code", sort="slug"),
        Column("Agreements", sort="agreements", order_by="agreement_count"),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "name"

    def base_queryset(self):
        return TechnologyArea.objects.annotate(agreement_count=Count("agreements", distinct=True))

    def adjust_filter_form(self, form):
        form.fields["slug"].label = "Code (exact)"


class TechnologyAreaDetailView(ReaderRequiredMixin, HistoryLinkMixin, DetailView):
    model = TechnologyArea
    template_name = "agreements/technology_area_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreements"] = (
            Agreement.objects.filter(technology_areas=self.object).distinct().order_by("reference")
        )
        return context


class TechnologyAreaCreateView(ServiceFormView):
    form_class = TechnologyAreaForm

    def save(self, data, nested, expected_version):
        return technology_area_create(actor=self.request.user, **data)


class TechnologyAreaUpdateView(TechnologyAreaCreateView):
    model = TechnologyArea

    def save(self, data, nested, expected_version):
        return technology_area_update(
            area=self.object, actor=self.request.user, expected_version=expected_version, **data
        )
