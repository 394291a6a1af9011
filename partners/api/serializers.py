"""Partner API representations; writes go through partners.services."""

from core.api.base import RegistrySerializer
from partners.fields import DESIGNATION_FIELDS, PARTNER_FIELDS
from partners.models import Partner, PartnerDesignation
from partners.services import partner_create, partner_update


class PartnerDesignationSerializer(RegistrySerializer):
    class Meta:
        model = PartnerDesignation
        fields = DESIGNATION_FIELDS


class PartnerSerializer(RegistrySerializer):
    designations = PartnerDesignationSerializer(many=True, required=False)

    class Meta:
        model = Partner
        fields = ("id", *PARTNER_FIELDS, "designations", "version")
        read_only_fields = ["version"]

    def create(self, validated_data):
        return partner_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return partner_update(
            partner=instance,
            actor=self.actor,
            expected_version=self.expected_version,
            **validated_data,
        )
