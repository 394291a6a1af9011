"""Notification API endpoints."""

from core.api.base import VersionedViewSet
from core.history.api import AsOfRetrieveMixin
from notifications import fields as spec
from notifications import models
from notifications.api.serializers import NotificationSerializer
from notifications.filters import NotificationFilterSet
from notifications.snapshots import notification_as_of


class NotificationViewSet(AsOfRetrieveMixin, VersionedViewSet):
    """Notifications Congress received, with the review each one started (computed)."""

    as_of_builder = staticmethod(notification_as_of)  # GET notifications/{id}/?as_of=

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    ordering_fields = spec.NOTIFICATION_ORDERING
    ordering = ("-received_on",)

    def base_queryset(self):
        return models.CongressionalNotification.objects.with_review()
