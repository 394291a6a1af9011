"""`/api/v1/webhook-subscriptions/`: admins subscribe URLs to kinds of change (decision 0021).

No DELETE (405): a subscription is paused, and its delivery log stays.
"""

import datetime

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from core.api.base import (
    RegistrySerializer,
    StrictIntegerField,
    VersionedViewSet,
    paginated,
)
from core.roles import is_admin
from registry.changes import encode_cursor
from registry.models import WebhookDelivery, WebhookSubscription
from registry.webhooks import services


class AdminOnly(BasePermission):
    """Only admins read or manage subscriptions (they hold receivers' URLs and secrets)."""

    def has_permission(self, request, view):
        return is_admin(request.user)


# What the server keeps about a subscription's deliveries and versions: read, never written.
SERVER_KEPT = [
    "last_delivered_at",
    "failing_since",
    "attempts",
    "next_attempt_at",
    "paused_at",
    "pause_reason",
    "previous_secret_expires_at",
    "version",
    "created_at",
]


class WebhookSubscriptionSerializer(RegistrySerializer):
    """A subscription; `secret` appears once, in the answer that made it."""

    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=services.KINDS),
        min_length=1,
        help_text="Resources (`agreements`), `<resource>.<action>` (`waivers.recorded`), "
        "or `flags.raised`.",
    )
    owner = serializers.CharField(source="owner.username", read_only=True)
    cursor = serializers.SerializerMethodField(
        help_text="The last change delivered; a resumed subscription replays after it."
    )

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "description", "kinds", "status", "owner", "cursor", *SERVER_KEPT]
        read_only_fields = ["status", *SERVER_KEPT]

    def get_cursor(self, subscription) -> str:
        return encode_cursor(subscription.cursor_position, subscription.cursor_id)

    def create(self, validated_data):
        subscription, secret = services.subscription_create(actor=self.actor, **validated_data)
        self.context["secret"] = secret
        return subscription

    def update(self, instance, validated_data):
        return services.subscription_update(
            subscription=instance,
            actor=self.actor,
            expected_version=self.expected_version,
            **validated_data,
        )


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    """The answer to a create: the subscription and its signing secret, shown this once."""

    secret = serializers.SerializerMethodField(help_text="`whsec_...`; shown only now.")

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]

    def get_secret(self, subscription) -> str:
        return self.context.get("secret", "")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    """One attempt to deliver one change."""

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "change_id",
            "webhook_id",
            "attempt",
            "status",
            "response_code",
            "latency_ms",
            "error",
            "attempted_at",
        ]


class RotateSecretSerializer(serializers.Serializer):
    overlap_hours = StrictIntegerField(
        min_value=0,
        max_value=168,
        default=24,
        help_text="How long the old secret keeps signing beside the new one.",
    )


SecretSerializer = inline_serializer(
    "WebhookSecret",
    {
        "secret": serializers.CharField(help_text="The new secret; shown only now."),
        "previous_secret_expires_at": serializers.DateTimeField(),
    },
)


class WebhookSubscriptionViewSet(VersionedViewSet):
    """Admins subscribe a URL to kinds of change; deliveries are signed (Standard Webhooks)."""

    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [AdminOnly]
    filterset_fields = ["status"]
    ordering_fields = ("id", "created_at")

    def base_queryset(self):
        return WebhookSubscription.objects.select_related("owner")

    def get_serializer_class(self):
        if self.action == "create":
            return WebhookSubscriptionCreatedSerializer
        if self.action == "deliveries":
            return WebhookDeliverySerializer
        if self.action == "rotate_secret":
            return RotateSecretSerializer
        return WebhookSubscriptionSerializer

    @extend_schema(request=RotateSecretSerializer, responses=SecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new secret; the old one keeps signing beside it for `overlap_hours`."""
        data = RotateSecretSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        overlap = datetime.timedelta(hours=data.validated_data["overlap_hours"])
        subscription, secret = services.subscription_rotate_secret(
            subscription=self.get_object(), actor=request.user, overlap=overlap
        )
        return Response(
            {
                "secret": secret,
                "previous_secret_expires_at": subscription.previous_secret_expires_at,
            }
        )

    @extend_schema(request=None, responses=WebhookSubscriptionSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        """Stop deliveries; nothing is skipped: resume replays from the last one delivered."""
        subscription = services.subscription_pause(
            subscription=self.get_object(), actor=request.user
        )
        return Response(WebhookSubscriptionSerializer(subscription).data)

    @extend_schema(request=None, responses=WebhookSubscriptionSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Deliver again, replaying every change after the last one delivered."""
        subscription = services.subscription_resume(
            subscription=self.get_object(), actor=request.user
        )
        return Response(WebhookSubscriptionSerializer(subscription).data)

    @extend_schema(responses=WebhookDeliverySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The delivery log: every attempt, newest first."""
        subscription = self.get_object()
        queryset = subscription.deliveries.order_by("-id")
        return paginated(self, queryset, WebhookDeliverySerializer)
