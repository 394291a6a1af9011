"""Notification API representations; writes go through notifications.services."""

from rest_framework import serializers

from core.api.base import RegistrySerializer, StrictIntegerField
from notifications import fields as spec
from notifications import models, services


class NotificationSerializer(RegistrySerializer):
    # Third-party transfers are not recorded in this registry yet (CONTRACT.md v1.2
    # technology safeguards): the field is accepted as null, and any id is unknown.
    transfer = StrictIntegerField(
        required=False, allow_null=True, help_text="A transfer's id; none exist yet."
    )
    review_days = serializers.IntegerField(read_only=True, allow_null=True)
    earliest_action_on = serializers.DateField(read_only=True, allow_null=True)
    acted_early = serializers.BooleanField(read_only=True)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    late = serializers.BooleanField(read_only=True)

    class Meta:
        model = models.CongressionalNotification
        fields = ("id", *spec.NOTIFICATION_FIELDS, "transfer", *spec.COMPUTED_FIELDS, "version")
        read_only_fields = ["version"]

    def validate_transfer(self, value):
        if value is not None:
            raise serializers.ValidationError(f'Invalid pk "{value}" - object does not exist.')
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["transfer"] = None
        return data

    def create(self, validated_data):
        validated_data.pop("transfer", None)
        return services.notification_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("transfer", None)
        return services.notification_update(
            notification=instance,
            actor=self.actor,
            expected_version=self.expected_version,
            **validated_data,
        )
