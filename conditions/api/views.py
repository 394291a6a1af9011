"""Condition, waiver ledger and flag API endpoints."""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from conditions import fields as spec
from conditions import models
from conditions.api.serializers import (
    ConditionSerializer,
    FlagNoteSerializer,
    FlagSerializer,
    ReviewPageSerializer,
    ReviewSerializer,
    WaiverEntryPageSerializer,
    WaiverEntrySerializer,
)
from conditions.filters import ConditionFilterSet, FlagFilterSet, WaiverEntryFilterSet
from conditions.services import flag_acknowledge, flag_reopen, flag_resolve
from conditions.snapshots import condition_as_of
from core.api.base import ReadViewSet, VersionedViewSet, WithheldDetailMixin, paginated
from core.history.api import AsOfRetrieveMixin

PAGE_PARAMETERS = [
    OpenApiParameter("cursor", OpenApiTypes.STR, description="Position from `next`/`previous`."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Default 50, clamped 1..500."),
]


def _sources():
    return Prefetch("sources", queryset=models.SourceDocument.objects.order_by("id"))


def waiver_entries():
    return models.WaiverEntry.objects.select_related("recorded_by").prefetch_related(_sources())


class ConditionViewSet(WithheldDetailMixin, AsOfRetrieveMixin, VersionedViewSet):
    """Human-rights conditions, their reviews and their waiver history."""

    # Set by reviews and waiver entries: withheld when one of them is hidden from the reader.
    withheld_fields = ("status", "next_review_due")

    as_of_builder = staticmethod(condition_as_of)  # GET conditions/{id}/?as_of=YYYY-MM-DD

    serializer_class = ConditionSerializer
    filterset_class = ConditionFilterSet
    ordering_fields = spec.CONDITION_ORDERING
    ordering = ("next_review_due",)

    def base_queryset(self):
        return models.Condition.objects.prefetch_related(
            Prefetch("requirements", queryset=models.ConditionRequirement.objects.order_by("id")),
            _sources(),
        )

    def _condition(self) -> models.Condition:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        methods=["GET"],
        parameters=PAGE_PARAMETERS,
        responses=ReviewPageSerializer,
        summary="The condition's reviews, oldest first",
    )
    @extend_schema(methods=["POST"], request=ReviewSerializer, responses={201: ReviewSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=ReviewSerializer)
    def reviews(self, request, pk=None):
        condition = self._condition()
        if request.method == "POST":
            context = {**self.get_serializer_context(), "condition": condition}
            serializer = ReviewSerializer(data=request.data, context=context)
            serializer.is_valid(raise_exception=True)
            review = serializer.save()
            review = self._reviews().get(pk=review.pk)
            return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)
        return paginated(self, self._reviews().filter(condition=condition), ReviewSerializer)

    @staticmethod
    def _reviews():
        reviews = models.ConditionReview.objects.select_related("recorded_by")
        return reviews.prefetch_related(_sources()).order_by("reviewed_on", "id")

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=WaiverEntryPageSerializer,
        summary="The condition's waiver ledger entries, oldest first",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="waiver-history",
        serializer_class=WaiverEntrySerializer,
    )
    def waiver_history(self, request, pk=None):
        condition = self._condition()
        entries = waiver_entries().filter(condition=condition).order_by("sequence")
        return paginated(self, entries, WaiverEntrySerializer)


class WaiverEntryViewSet(mixins.CreateModelMixin, ReadViewSet):
    """The waiver ledger: entries are appended, never edited or deleted (PUT/PATCH/DELETE 405)."""

    serializer_class = WaiverEntrySerializer
    filterset_class = WaiverEntryFilterSet
    ordering_fields = spec.WAIVER_ORDERING
    ordering = ("-sequence",)

    def base_queryset(self):
        return waiver_entries()

    def perform_create(self, serializer):
        serializer.instance = self.base_queryset().get(pk=serializer.save().pk)


class FlagViewSet(ReadViewSet):
    """Warnings raised by the condition scan; people acknowledge and resolve them."""

    serializer_class = FlagSerializer
    filterset_class = FlagFilterSet
    ordering_fields = (
        "id",
        "condition",
        "kind",
        "due_on",
        "raised_at",
        "status",
        "acknowledged_by",
        "resolved_at",
    )
    ordering = ("-raised_at",)

    def base_queryset(self):
        # Flags about records hidden from this user are left out (FlagQuerySet.visible_to).
        flags = models.Flag.objects.visible_to(self.request.user)
        return flags.select_related("acknowledged_by", "resolved_by")

    def _transition(self, service, **fields):
        flag = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        flag = service(flag=flag, actor=self.request.user, **fields)
        return Response(FlagSerializer(self.base_queryset().get(pk=flag.pk)).data)

    def _note(self) -> dict:
        body = FlagNoteSerializer(data=self.request.data or {})
        body.is_valid(raise_exception=True)
        return {"note": body.validated_data["note"]}

    @extend_schema(request=None, responses=FlagSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._transition(flag_acknowledge)

    @extend_schema(request=FlagNoteSerializer, responses=FlagSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._transition(flag_resolve, **self._note())

    @extend_schema(request=FlagNoteSerializer, responses=FlagSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._transition(flag_reopen, **self._note())
