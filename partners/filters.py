"""The partner list's filters, shared by the HTML page and the API."""

import django_filters

from core.api.filters import SearchFilter
from partners.models import Partner, PartnerDesignation


class PartnerFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Partner.Kind.choices)
    iso3 = django_filters.CharFilter(field_name="iso3", lookup_expr="iexact")
    designation = django_filters.ChoiceFilter(
        choices=PartnerDesignation.Category.choices,
        method="filter_designation",
        label="Holds designation today",
    )
    search = SearchFilter("name__icontains", "iso3__iexact")

    class Meta:
        model = Partner
        fields = ["kind", "iso3", "designation", "search"]

    def filter_designation(self, queryset, name, value):
        return queryset.filter(pk__in=Partner.objects.with_designation(value).values("pk"))
