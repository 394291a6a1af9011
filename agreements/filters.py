"""Filters for acts, provisions, technology areas and agreements (HTML pages and API alike)."""

import django_filters
from django.db.models import Q

from agreements.models import Act, Agreement, Provision, TechnologyArea
from config.filters import DateFilter, IntegerFilter, ModelIdFilter


class ActFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Act.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Act.Status.choices)
    congress = IntegerFilter()
    fiscal_year = IntegerFilter()
    search = django_filters.CharFilter(method="filter_search", label="Search")

    class Meta:
        model = Act
        fields = ["kind", "status", "congress", "fiscal_year", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(short_title__icontains=value) | Q(public_law=value)
        )


class ProvisionFilterSet(django_filters.FilterSet):
    act = ModelIdFilter(queryset=Act.objects.all())
    status = django_filters.ChoiceFilter(choices=Provision.Status.choices)
    search = django_filters.CharFilter(method="filter_search", label="Search")

    class Meta:
        model = Provision
        fields = ["act", "status", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(heading__icontains=value)
            | Q(section__iexact=value)
            | Q(codification__icontains=value)
            | Q(act__title__icontains=value)
            | Q(act__short_title__icontains=value)
        )


class TechnologyAreaFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="Search")

    class Meta:
        model = TechnologyArea
        fields = ["slug", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


class AgreementFilterSet(django_filters.FilterSet):
    agreement_type = django_filters.ChoiceFilter(choices=Agreement.Type.choices)
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices)
    partner = IntegerFilter(method="filter_partner", label="Partner (any role)")
    technology_area = django_filters.CharFilter(
        field_name="technology_areas__slug", label="Technology area (slug)", distinct=True
    )
    provision = IntegerFilter(method="filter_provision", label="Provision")
    act = IntegerFilter(method="filter_act", label="Act")
    signed_after = DateFilter(field_name="signed_on", lookup_expr="gte")
    signed_before = DateFilter(field_name="signed_on", lookup_expr="lte")
    search = django_filters.CharFilter(method="filter_search", label="Search")

    class Meta:
        model = Agreement
        fields = [
            "agreement_type", "status", "partner", "technology_area", "provision", "act",
            "signed_after", "signed_before", "search",
        ]  # fmt: skip

    # Subqueries rather than joins keep one row per agreement without DISTINCT.
    def filter_partner(self, queryset, name, value):
        return queryset.filter(pk__in=_ids("participants", partner_id=value))

    def filter_provision(self, queryset, name, value):
        return queryset.filter(pk__in=_ids("legal_bases", provision_id=value))

    def filter_act(self, queryset, name, value):
        return queryset.filter(pk__in=_ids("legal_bases", provision__act_id=value))

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(summary__icontains=value)
        )


def _ids(relation: str, **lookup):
    model = Agreement._meta.get_field(relation).related_model
    return model.objects.filter(**lookup).values("agreement_id")
