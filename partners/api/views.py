"""Partner API endpoints."""

from django.db.models import Prefetch

from core.api.base import VersionedViewSet
from core.history.api import AsOfRetrieveMixin
from partners import fields as spec
from partners import models
from partners.api.serializers import PartnerSerializer
from partners.filters import PartnerFilterSet
from partners.snapshots import partner_as_of


class PartnerViewSet(AsOfRetrieveMixin, VersionedViewSet):
    """Countries, organizations, companies and agencies, with their dated designations."""

    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    as_of_builder = staticmethod(partner_as_of)  # GET partners/{id}/?as_of=YYYY-MM-DD
    ordering_fields = spec.PARTNER_ORDERING
    ordering = ("name",)

    def base_queryset(self):
        return models.Partner.objects.prefetch_related(
            Prefetch(
                "designations",
                queryset=models.PartnerDesignation.objects.order_by("valid_from", "id"),
            )
        )
