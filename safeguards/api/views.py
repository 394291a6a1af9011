"""Technology safeguards API endpoints: GET, POST, PUT, PATCH; never DELETE."""

from django.db.models import Prefetch

from core.api.base import VersionedViewSet
from core.history.api import AsOfRetrieveMixin
from safeguards import fields as spec
from safeguards import models, snapshots
from safeguards.api.serializers import (
    EndUseCheckSerializer,
    ReleaseDecisionSerializer,
    TechnologyItemSerializer,
    TransferSerializer,
    ViolationSerializer,
)
from safeguards.filters import (
    EndUseCheckFilterSet,
    ReleaseDecisionFilterSet,
    TechnologyItemFilterSet,
    TransferFilterSet,
    ViolationFilterSet,
)


def _items():
    return Prefetch("items", queryset=models.TechnologyItem.objects.order_by("id").only("id"))


class TechnologyItemViewSet(AsOfRetrieveMixin, VersionedViewSet):
    """Controlled technology shared under agreements, with their USML or CCL entries."""

    as_of_builder = staticmethod(snapshots.technology_item_as_of)
    serializer_class = TechnologyItemSerializer
    filterset_class = TechnologyItemFilterSet
    ordering_fields = spec.TECHNOLOGY_ITEM_ORDERING
    ordering = ("name",)

    def base_queryset(self):
        return models.TechnologyItem.objects.all()


class ReleaseDecisionViewSet(AsOfRetrieveMixin, VersionedViewSet):
    """Decisions to release (or not) an item to a partner, with provisos."""

    as_of_builder = staticmethod(snapshots.release_decision_as_of)
    serializer_class = ReleaseDecisionSerializer
    filterset_class = ReleaseDecisionFilterSet
    ordering_fields = spec.RELEASE_DECISION_ORDERING
    ordering = ("-decided_on",)

    def base_queryset(self):
        return models.ReleaseDecision.objects.all()


class EndUseCheckViewSet(AsOfRetrieveMixin, VersionedViewSet):
    """End-use checks (Golden Sentry, Blue Lantern) and their results."""

    as_of_builder = staticmethod(snapshots.end_use_check_as_of)
    serializer_class = EndUseCheckSerializer
    filterset_class = EndUseCheckFilterSet
    ordering_fields = spec.END_USE_CHECK_ORDERING
    ordering = ("-performed_on",)

    def base_queryset(self):
        return models.EndUseCheck.objects.prefetch_related(_items())


class TransferViewSet(AsOfRetrieveMixin, VersionedViewSet):
    """Third-party transfer requests and whether they need an AECA §3(d) notification."""

    as_of_builder = staticmethod(snapshots.transfer_as_of)
    serializer_class = TransferSerializer
    filterset_class = TransferFilterSet
    ordering_fields = spec.TRANSFER_ORDERING
    ordering = ("-requested_on",)

    def base_queryset(self):
        return models.Transfer.objects.with_notification_required().prefetch_related(_items())


class ViolationViewSet(AsOfRetrieveMixin, VersionedViewSet):
    """Violations of transfer terms (AECA §3(c)) and their report to Congress."""

    as_of_builder = staticmethod(snapshots.violation_as_of)
    serializer_class = ViolationSerializer
    filterset_class = ViolationFilterSet
    ordering_fields = spec.VIOLATION_ORDERING
    ordering = ("-discovered_on",)

    def base_queryset(self):
        return models.Violation.objects.prefetch_related(_items())
