"""Condition, review, waiver ledger and flag API representations; writes use the services."""

from rest_framework import serializers

from conditions import fields as spec
from conditions import models, services
from core.api.base import RegistrySerializer, StrictCharField

USERNAME = {"read_only": True, "slug_field": "username", "allow_null": True}


class RequirementSerializer(RegistrySerializer):
    class Meta:
        model = models.ConditionRequirement
        fields = spec.REQUIREMENT_FIELDS


class SourceSerializer(RegistrySerializer):
    class Meta:
        model = models.SourceDocument
        fields = spec.SOURCE_FIELDS


class ConditionSerializer(RegistrySerializer):
    requirements = RequirementSerializer(many=True, required=False)
    sources = SourceSerializer(many=True, required=False)

    class Meta:
        model = models.Condition
        fields = (
            "id",
            *spec.CONDITION_HEADING_FIELDS,
            *spec.CONDITION_NESTED,
            *spec.CONDITION_TERMS_FIELDS,
            "version",
        )
        read_only_fields = ["version"]

    def create(self, validated_data):
        return services.condition_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return services.condition_update(
            condition=instance,
            actor=self.actor,
            expected_version=self.expected_version,
            **validated_data,
        )


class ReviewSerializer(RegistrySerializer):
    sources = SourceSerializer(many=True, required=False)
    recorded_by = serializers.SlugRelatedField(**USERNAME)

    class Meta:
        model = models.ConditionReview
        fields = ("id", *spec.REVIEW_FIELDS, "sources", "recorded_by", "recorded_at")
        read_only_fields = ["recorded_at"]

    def create(self, validated_data):
        return services.condition_review_record(
            condition=self.context["condition"], actor=self.actor, **validated_data
        )


class WaiverEntrySerializer(RegistrySerializer):
    requirements_waived = serializers.ListField(
        child=StrictCharField(max_length=50),
        required=False,
        help_text="Requirement labels of the condition.",
    )
    sources = SourceSerializer(many=True, required=False)
    recorded_by = serializers.SlugRelatedField(**USERNAME)

    class Meta:
        model = models.WaiverEntry
        fields = (
            "id",
            "condition",
            *spec.WAIVER_FIELDS,
            "sources",
            "recorded_by",
            "recorded_at",
            "sequence",
            "entry_hash",
            "previous_hash",
        )
        read_only_fields = ["recorded_at", "sequence", "entry_hash", "previous_hash"]

    def create(self, validated_data):
        condition = validated_data.pop("condition")
        return services.waiver_record(condition=condition, actor=self.actor, **validated_data)


class FlagSerializer(RegistrySerializer):
    acknowledged_by = serializers.SlugRelatedField(**USERNAME)
    resolved_by = serializers.SlugRelatedField(**USERNAME)

    class Meta:
        model = models.Flag
        fields = [
            "id",
            "condition",
            "agreement",
            "subject_type",
            "subject_id",
            "kind",
            "due_on",
            "raised_at",
            "status",
            "acknowledged_by",
            "acknowledged_at",
            "resolved_by",
            "resolved_at",
            "note",
        ]
        read_only_fields = fields


class FlagNoteSerializer(serializers.Serializer):
    """The optional body of resolve and reopen: why, in a few words (kept in history)."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


def page_serializer(name: str, item):
    """The documented shape of a nested list route: {results, next, previous}."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "results": item(many=True),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
        },
    )


ReviewPageSerializer = page_serializer("PaginatedReviewList", ReviewSerializer)
WaiverEntryPageSerializer = page_serializer(
    "PaginatedWaiverEntryHistoryList", WaiverEntrySerializer
)
