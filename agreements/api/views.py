"""Act, provision, technology area and agreement API endpoints."""

from django.db.models import Prefetch

from agreements import fields as spec
from agreements import models
from agreements.api.serializers import (
    ActSerializer,
    AgreementSerializer,
    ProvisionSerializer,
    TechnologyAreaSerializer,
)
from agreements.filters import (
    ActFilterSet,
    AgreementFilterSet,
    ProvisionFilterSet,
    TechnologyAreaFilterSet,
)
from agreements.snapshots import agreement_as_of
from core.api.base import VersionedViewSet, WithheldDetailMixin
from core.history.api import AsOfRetrieveMixin


class ActViewSet(VersionedViewSet):
    """Bills and laws, U.S. Code titles, regulations and executive instruments."""

    serializer_class = ActSerializer
    filterset_class = ActFilterSet
    ordering_fields = spec.ACT_ORDERING
    ordering = ("title",)

    def base_queryset(self):
        return models.Act.objects.all()


class ProvisionViewSet(VersionedViewSet):
    """Sections of acts, with their codification and the period they are in force."""

    serializer_class = ProvisionSerializer
    filterset_class = ProvisionFilterSet
    ordering_fields = spec.PROVISION_ORDERING
    ordering = ("id",)

    def base_queryset(self):
        return models.Provision.objects.select_related("act")


class TechnologyAreaViewSet(VersionedViewSet):
    """The technology areas agreements cover."""

    serializer_class = TechnologyAreaSerializer
    filterset_class = TechnologyAreaFilterSet
    ordering_fields = spec.TECHNOLOGY_AREA_ORDERING
    ordering = ("name",)

    def base_queryset(self):
        return models.TechnologyArea.objects.all()


class AgreementViewSet(WithheldDetailMixin, AsOfRetrieveMixin, VersionedViewSet):
    """Cooperation agreements with their participants, legal bases and technology areas."""

    as_of_builder = staticmethod(agreement_as_of)  # GET agreements/{id}/?as_of=YYYY-MM-DD

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
    ordering_fields = spec.AGREEMENT_ORDERING
    ordering = ("reference",)

    def base_queryset(self):
        return models.Agreement.objects.prefetch_related(
            Prefetch("technology_areas", queryset=models.TechnologyArea.objects.order_by("slug")),
            Prefetch("participants", queryset=models.AgreementParticipant.objects.order_by("id")),
            Prefetch(
                "legal_bases",
                queryset=models.LegalBasis.objects.select_related("provision__act").order_by("id"),
            ),
            Prefetch(
                "industrial_participants",
                queryset=models.IndustrialParticipant.objects.order_by("id"),
            ),
        ).defer("search_vector")
