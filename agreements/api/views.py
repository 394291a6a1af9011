"""Act, provision, technology area and agreement API endpoints."""

from django.db.models import Prefetch

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
from agreements.models import (
    Act,
    Agreement,
    AgreementParticipant,
    IndustrialParticipant,
    LegalBasis,
    Provision,
    TechnologyArea,
)
from agreements.snapshots import agreement_as_of
from core.api.base import VersionedViewSet
from core.history.api import AsOfRetrieveMixin


class ActViewSet(VersionedViewSet):
    """Bills and laws, U.S. Code titles, regulations and executive instruments."""

    serializer_class = ActSerializer
    filterset_class = ActFilterSet
    ordering_fields = (
        "id",
        "kind",
        "title",
        "short_title",
        "congress",
        "bill_type",
        "bill_number",
        "status",
        "public_law",
        "statutes_at_large",
        "enacted_on",
        "fiscal_year",
        "url",
        "version",
    )
    ordering = ("title",)

    def base_queryset(self):
        return Act.objects.all()


class ProvisionViewSet(VersionedViewSet):
    """Sections of acts, with their codification and the period they are in force."""

    serializer_class = ProvisionSerializer
    filterset_class = ProvisionFilterSet
    ordering_fields = (
        "id",
        "act",
        "section",
        "path",
        "heading",
        "codification",
        "status",
        "valid_from",
        "valid_to",
        "report_deadline_days",
        "version",
    )
    ordering = ("id",)

    def base_queryset(self):
        return Provision.objects.select_related("act")


class TechnologyAreaViewSet(VersionedViewSet):
    """The technology areas agreements cover."""

    serializer_class = TechnologyAreaSerializer
    filterset_class = TechnologyAreaFilterSet
    ordering_fields = ("id", "slug", "name", "version")
    ordering = ("name",)

    def base_queryset(self):
        return TechnologyArea.objects.all()


class AgreementViewSet(AsOfRetrieveMixin, VersionedViewSet):
    """Cooperation agreements with their participants, legal bases and technology areas."""

    as_of_builder = staticmethod(agreement_as_of)  # GET agreements/{id}/?as_of=YYYY-MM-DD

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
    ordering_fields = (
        "id",
        "reference",
        "title",
        "agreement_type",
        "status",
        "signed_on",
        "entry_into_force_on",
        "expires_on",
        "terminated_on",
        "technology_transfer_risk",
        "parent",
        "supersedes",
        "version",
    )
    ordering = ("reference",)

    def base_queryset(self):
        return Agreement.objects.prefetch_related(
            Prefetch("technology_areas", queryset=TechnologyArea.objects.order_by("slug")),
            Prefetch("participants", queryset=AgreementParticipant.objects.order_by("id")),
            Prefetch(
                "legal_bases",
                queryset=LegalBasis.objects.select_related("provision__act").order_by("id"),
            ),
            Prefetch(
                "industrial_participants", queryset=IndustrialParticipant.objects.order_by("id")
            ),
        ).defer("search_vector")
