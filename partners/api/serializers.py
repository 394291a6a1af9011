"""Partner API representations; writes go through partners.services."""

from core.api.base import RegistrySerializer
from partners import fields as spec
from partners import models, services


class PartnerDesignationSerializer(RegistrySerializer):
    class Meta:
        model = models.PartnerDesignation
        fields = spec.DESIGNATION_FIELDS


class PartnerSerializer(RegistrySerializer):
    designations = PartnerDesignationSerializer(many=True, required=False)

    class Meta:
        model = models.Partner
        fields = ("id", *spec.PARTNER_FIELDS, "designations", "version")
        read_only_fields = ["version"]

    def create(self, validated_data):
        return services.partner_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return services.partner_update(
            partner=instance,
            actor=self.actor,
            expected_version=self.expected_version,
            **validated_data,
        )
