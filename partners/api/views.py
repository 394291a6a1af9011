"""Partner API endpoints."""

from django.db.models import Prefetch

from core.api.base import VersionedViewSet
from partners.api.serializers import PartnerSerializer
from partners.filters import PartnerFilterSet
from partners.models import Partner, PartnerDesignation


class PartnerViewSet(VersionedViewSet):
    """Countries, organizations, companies and agencies, with their dated designations."""

    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    ordering_fields = ("id", "name", "kind", "iso3", "parent", "version")
    ordering = ("name",)

    def base_queryset(self):
        return Partner.objects.prefetch_related(
            Prefetch(
                "designations", queryset=PartnerDesignation.objects.order_by("valid_from", "id")
            )
        )
