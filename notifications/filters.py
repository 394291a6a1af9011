"""The notification list's filters, shared by the HTML page and the API.

`acted_early` and `late` filter on the computed columns (NotificationQuerySet.with_review),
so the list's queryset must be annotated."""

import django_filters

from core.api.filters import DateFilter, IntegerFilter, SearchFilter, TrueFalseFilter
from notifications.models import CongressionalNotification


class NotificationFilterSet(django_filters.FilterSet):
    partner = IntegerFilter(field_name="partner_id")
    kind = django_filters.ChoiceFilter(choices=CongressionalNotification.Kind.choices)
    agreement = IntegerFilter(field_name="agreement_id")
    waiver_entry = IntegerFilter(field_name="waiver_entry_id")
    acted_early = TrueFalseFilter(label="Acted before the review ended")
    late = TrueFalseFilter(label="Received after it was due")
    received_after = DateFilter(
        field_name="received_on", lookup_expr="gte", label="Received on or after"
    )
    received_before = DateFilter(
        field_name="received_on", lookup_expr="lte", label="Received on or before"
    )
    search = SearchFilter("transmittal_number__icontains", "partner__name__icontains")

    class Meta:
        model = CongressionalNotification
        fields = [
            "partner",
            "kind",
            "agreement",
            "waiver_entry",
            "acted_early",
            "late",
            "received_after",
            "received_before",
            "search",
        ]
