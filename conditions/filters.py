"""Filters for conditions, the waiver ledger and flags (HTML pages and API alike)."""

import django_filters

from conditions.models import Condition, ConditionStatus, Flag, WaiverEntry
from core.api.filters import DateFilter, IntegerFilter, SearchFilter


class ConditionFilterSet(django_filters.FilterSet):
    partner = IntegerFilter(field_name="partner_id")
    agreement = IntegerFilter(field_name="agreement_id")
    status = django_filters.ChoiceFilter(choices=ConditionStatus.choices)
    legal_basis = IntegerFilter(field_name="legal_basis_id")
    review_due_before = DateFilter(field_name="next_review_due", lookup_expr="lte")
    search = SearchFilter(
        "title__icontains",
        "description__icontains",
        "unit__icontains",
        "responsible_office__icontains",
    )

    class Meta:
        model = Condition
        fields = ["partner", "agreement", "status", "legal_basis", "review_due_before", "search"]


class WaiverEntryFilterSet(django_filters.FilterSet):
    condition = IntegerFilter(field_name="condition_id")
    partner = IntegerFilter(field_name="condition__partner_id")
    authority = IntegerFilter(field_name="authority_id")
    standard = django_filters.ChoiceFilter(choices=WaiverEntry.Standard.choices)
    action = django_filters.ChoiceFilter(choices=WaiverEntry.Action.choices)
    publicity = django_filters.ChoiceFilter(choices=WaiverEntry.Publicity.choices)
    signed_after = DateFilter(field_name="signed_on", lookup_expr="gte")
    signed_before = DateFilter(field_name="signed_on", lookup_expr="lte")
    official_title = django_filters.CharFilter(lookup_expr="icontains")
    fiscal_year = IntegerFilter(label="Fiscal year")
    search = SearchFilter(
        "official_name__icontains",
        "official_title__icontains",
        "instrument__icontains",
        "justification__icontains",
        "condition__title__icontains",
    )

    class Meta:
        model = WaiverEntry
        fields = [
            "condition",
            "partner",
            "authority",
            "standard",
            "action",
            "publicity",
            "signed_after",
            "signed_before",
            "official_title",
            "fiscal_year",
            "search",
        ]


class FlagFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Flag.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Flag.Kind.choices)
    condition = IntegerFilter(field_name="condition_id")
    subject_type = django_filters.CharFilter(field_name="subject_type", label="Subject type")
    subject_id = IntegerFilter(field_name="subject_id", label="Subject id")
    partner = IntegerFilter(field_name="condition__partner_id")
    partner_name = django_filters.CharFilter(
        field_name="condition__partner__name", lookup_expr="icontains", label="Partner name"
    )
    office = django_filters.CharFilter(
        field_name="condition__responsible_office",
        lookup_expr="icontains",
        label="Responsible office",
    )

    class Meta:
        model = Flag
        fields = [
            "status",
            "kind",
            "condition",
            "subject_type",
            "subject_id",
            "partner",
            "partner_name",
            "office",
        ]
