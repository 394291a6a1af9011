"""Filters of the safeguards lists, shared by the HTML pages and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from core.api.filters import DateFilter, IntegerFilter, SearchFilter, TrueFalseFilter
from safeguards import choices
from safeguards.models import (
    APPROVED,
    EndUseCheck,
    EndUseCheckItem,
    ReleaseDecision,
    TechnologyItem,
    Transfer,
    TransferItem,
    Violation,
    ViolationItem,
)


def _has_item(link_model, owner: str):
    """A filter method: records linked to the technology item with the given id."""

    def method(self, queryset, name, value):
        links = link_model.objects.filter(**{owner: OuterRef("pk")}, item_id=value)
        return queryset.filter(Exists(links))

    return method


class TechnologyItemFilterSet(django_filters.FilterSet):
    agreement = IntegerFilter(field_name="agreement_id")
    control_list = django_filters.ChoiceFilter(choices=choices.ControlList.choices)
    kind = django_filters.ChoiceFilter(choices=choices.ItemKind.choices)
    classification = django_filters.ChoiceFilter(choices=choices.Classification.choices)
    mtcr_category = django_filters.TypedChoiceFilter(
        choices=choices.MtcrCategory.choices, coerce=int
    )
    eeum = TrueFalseFilter(label="Enhanced end-use monitoring")
    released_to = IntegerFilter(method="filter_released_to", label="Released to (partner)")
    search = SearchFilter("name__icontains", "control_entry__istartswith")

    class Meta:
        model = TechnologyItem
        fields = [
            "agreement", "control_list", "kind", "classification", "mtcr_category", "eeum",
            "released_to", "search",
        ]  # fmt: skip

    def filter_released_to(self, queryset, name, value):
        releases = ReleaseDecision.objects.filter(
            item_id=OuterRef("pk"), partner_id=value, decision__in=APPROVED
        )
        return queryset.filter(Exists(releases))


class ReleaseDecisionFilterSet(django_filters.FilterSet):
    item = IntegerFilter(field_name="item_id")
    partner = IntegerFilter(field_name="partner_id")
    agreement = IntegerFilter(field_name="item__agreement_id", label="Agreement")
    decision = django_filters.ChoiceFilter(choices=choices.ReleaseOutcome.choices)
    authority = django_filters.ChoiceFilter(choices=choices.ReleaseAuthority.choices)
    decided_after = DateFilter(field_name="decided_on", lookup_expr="gte")
    decided_before = DateFilter(field_name="decided_on", lookup_expr="lte")
    search = SearchFilter("reference__icontains", "item__name__icontains")

    class Meta:
        model = ReleaseDecision
        fields = [
            "item", "partner", "agreement", "decision", "authority", "decided_after",
            "decided_before", "search",
        ]  # fmt: skip


class EndUseCheckFilterSet(django_filters.FilterSet):
    program = django_filters.ChoiceFilter(choices=choices.CheckProgram.choices)
    check_type = django_filters.ChoiceFilter(choices=choices.CheckType.choices)
    partner = IntegerFilter(field_name="partner_id")
    item = IntegerFilter(method="filter_item", label="Technology item")
    result = django_filters.ChoiceFilter(choices=choices.CheckResult.choices)
    unresolved = TrueFalseFilter(field_name="resolved_on", lookup_expr="isnull", label="Unresolved")
    performed_after = DateFilter(field_name="performed_on", lookup_expr="gte")
    performed_before = DateFilter(field_name="performed_on", lookup_expr="lte")
    search = SearchFilter("findings__icontains")

    filter_item = _has_item(EndUseCheckItem, "end_use_check")

    class Meta:
        model = EndUseCheck
        fields = [
            "program", "check_type", "partner", "item", "result", "unresolved",
            "performed_after", "performed_before", "search",
        ]  # fmt: skip


class TransferFilterSet(django_filters.FilterSet):
    from_partner = IntegerFilter(field_name="from_partner_id")
    to_partner = IntegerFilter(field_name="to_partner_id")
    partner = IntegerFilter(method="filter_partner", label="Partner (either side)")
    item = IntegerFilter(method="filter_item", label="Technology item")
    decision = django_filters.ChoiceFilter(choices=choices.TransferDecision.choices)
    notification_required = TrueFalseFilter(label="Notification required (AECA §3(d))")
    requested_after = DateFilter(field_name="requested_on", lookup_expr="gte")
    requested_before = DateFilter(field_name="requested_on", lookup_expr="lte")

    filter_item = _has_item(TransferItem, "transfer")

    class Meta:
        model = Transfer
        fields = [
            "from_partner", "to_partner", "partner", "item", "decision",
            "notification_required", "requested_after", "requested_before",
        ]  # fmt: skip

    def filter_partner(self, queryset, name, value):
        return queryset.filter(Q(from_partner_id=value) | Q(to_partner_id=value))


class ViolationFilterSet(django_filters.FilterSet):
    partner = IntegerFilter(field_name="partner_id")
    item = IntegerFilter(method="filter_item", label="Technology item")
    kind = django_filters.ChoiceFilter(choices=choices.ViolationKind.choices)
    reported = TrueFalseFilter(
        field_name="reported_to_congress_on", lookup_expr="isnull", exclude=True,
        label="Reported to Congress",
    )  # fmt: skip
    discovered_after = DateFilter(field_name="discovered_on", lookup_expr="gte")
    discovered_before = DateFilter(field_name="discovered_on", lookup_expr="lte")
    search = SearchFilter("description__icontains", "outcome__icontains")

    filter_item = _has_item(ViolationItem, "violation")

    class Meta:
        model = Violation
        fields = [
            "partner", "item", "kind", "reported", "discovered_after", "discovered_before",
            "search",
        ]  # fmt: skip
