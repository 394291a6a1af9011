"""Notification pages: list, detail, create and edit."""

from django.views.generic import DetailView

from core.history.point_in_time import PointInTimeMixin
from core.web.access import ReaderRequiredMixin
from core.web.lists import Column, FilteredListView, HistoryLinkMixin, sort_fields_of
from core.web.marking import MarkedDetailMixin
from core.web.typeahead import typeahead
from core.web.views import ServiceFormView
from notifications.filters import NotificationFilterSet
from notifications.forms import NotificationForm
from notifications.models import CongressionalNotification
from notifications.services import notification_create, notification_update
from notifications.snapshots import notification_as_of


def _annotated():
    return CongressionalNotification.objects.with_review().select_related(
        "partner", "agreement", "waiver_entry"
    )


class NotificationListView(FilteredListView):
    model = CongressionalNotification
    filterset_class = NotificationFilterSet
    columns = (
        Column("Kind", sort="kind", key=True),
        Column("Transmittal", sort="transmittal_number"),
        Column("Partner", sort="partner", order_by="partner__name"),
        Column("Received", sort="received_on"),
        Column("Earliest action"),
        Column("Acted on", sort="acted_on"),
        Column("Review"),
    )
    sort_fields = sort_fields_of(columns)
    default_sort = "-received_on"
    template_name = "notifications/congressional_notification_list.html"

    def base_queryset(self):
        return _annotated()

    def adjust_filter_form(self, form):
        typeahead(form, "partner", "partners.Partner")
        typeahead(form, "agreement", "agreements.Agreement")


class NotificationDetailView(
    ReaderRequiredMixin, MarkedDetailMixin, HistoryLinkMixin, PointInTimeMixin, DetailView
):
    model = CongressionalNotification
    as_of_builder = staticmethod(notification_as_of)  # ?as_of=YYYY-MM-DD
    template_name = "notifications/congressional_notification_detail.html"

    def get_queryset(self):
        return _annotated()


class NotificationCreateView(ServiceFormView):
    form_class = NotificationForm

    def save(self, data, nested, expected_version):
        return notification_create(actor=self.request.user, **data)


class NotificationUpdateView(NotificationCreateView):
    model = CongressionalNotification

    def initial(self):
        ids = {name: getattr(self.object, f"{name}_id") for name in ("partner", "agreement")}
        return {**super().initial(), **ids, "waiver_entry": self.object.waiver_entry_id}

    def save(self, data, nested, expected_version):
        return notification_update(
            notification=self.object,
            actor=self.request.user,
            expected_version=expected_version,
            **data,
        )
