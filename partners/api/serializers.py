"""Partner API representations; writes go through partners.services."""

from core.api.base import RegistrySerializer
from partners.models import Partner, PartnerDesignation
from partners.services import partner_create, partner_update


class PartnerDesignationSerializer(RegistrySerializer):
    class Meta:
        model = PartnerDesignation
        fields = ["category", "valid_from", "valid_to", "instrument"]


class PartnerSerializer(RegistrySerializer):
    designations = PartnerDesignationSerializer(many=True, required=False)

    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "iso3", "parent", "notes", "designations", "version"]
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
