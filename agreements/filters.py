"""Filters for acts, provisions, technology areas and agreements (HTML pages and API alike)."""

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.db.models import Exists, OuterRef, Q

from agreements.models import Act, Agreement, AgreementTechnologyArea, Provision, TechnologyArea
from core.api.filters import DateFilter, IntegerFilter, ModelIdFilter, SearchFilter


class ActFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Act.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Act.Status.choices)
    congress = IntegerFilter()
    fiscal_year = IntegerFilter()
    search = SearchFilter("title__icontains", "short_title__icontains", "public_law")

    class Meta:
        model = Act
        fields = ["kind", "status", "congress", "fiscal_year", "search"]


class ProvisionFilterSet(django_filters.FilterSet):
    act = ModelIdFilter(queryset=Act.objects.all())
    status = django_filters.ChoiceFilter(choices=Provision.Status.choices)
    search = SearchFilter(
        "heading__icontains",
        "section__iexact",
        "codification__icontains",
        "act__title__icontains",
        "act__short_title__icontains",
    )

    class Meta:
        model = Provision
        fields = ["act", "status", "search"]


class TechnologyAreaFilterSet(django_filters.FilterSet):
    search = SearchFilter("name__icontains", "slug__icontains")

    class Meta:
        model = TechnologyArea
        fields = ["slug", "search"]


class AgreementFilterSet(django_filters.FilterSet):
    agreement_type = django_filters.ChoiceFilter(choices=Agreement.Type.choices)
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices)
    partner = IntegerFilter(method="filter_partner", label="Partner (any role)")
    technology_area = django_filters.CharFilter(
        method="filter_technology_area", label="Technology area (slug)"
    )
    provision = IntegerFilter(method="filter_provision", label="Provision")
    act = IntegerFilter(method="filter_act", label="Act")
    signed_after = DateFilter(field_name="signed_on", lookup_expr="gte")
    signed_before = DateFilter(field_name="signed_on", lookup_expr="lte")
    search = django_filters.CharFilter(method="filter_search", label="Search")

    class Meta:
        model = Agreement
        fields = [
            "agreement_type",
            "status",
            "partner",
            "technology_area",
            "provision",
            "act",
            "signed_after",
            "signed_before",
            "search",
        ]

    # Semi-joins (EXISTS) rather than joins keep one row per agreement without DISTINCT, and
    # start from the small side (the partner's participations, the area's links).
    def filter_partner(self, queryset, name, value):
        return queryset.filter(_exists("participants", partner_id=value))

    def filter_technology_area(self, queryset, name, value):
        links = AgreementTechnologyArea.objects.filter(
            agreement_id=OuterRef("pk"), technology_area__slug=value
        )
        return queryset.filter(Exists(links))

    def filter_provision(self, queryset, name, value):
        return queryset.filter(_exists("legal_bases", provision_id=value))

    def filter_act(self, queryset, name, value):
        return queryset.filter(_exists("legal_bases", provision__act_id=value))

    def filter_search(self, queryset, name, value):
        """Words anywhere (full-text, web-search syntax: "quoted phrase", -excluded), or a
        reference typed in full or from its start (DTC-2014)."""
        words = SearchQuery(value, config="english", search_type="websearch")
        return queryset.filter(Q(search_vector=words) | Q(reference__istartswith=value))


def _exists(relation: str, **lookup) -> Exists:
    model = Agreement._meta.get_field(relation).related_model
    return Exists(model.objects.filter(agreement_id=OuterRef("pk"), **lookup))
