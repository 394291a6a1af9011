"""Legislation, technology area and agreement API representations; writes use the services."""

from rest_framework import serializers

from agreements import fields as spec
from agreements import models, services
from core.api.base import (
    OptionalURLField,
    RegistrySerializer,
    StrictCharField,
    StrictSlugField,
)


class ActSerializer(RegistrySerializer):
    url = OptionalURLField(max_length=500, allow_blank=True, required=False)

    class Meta:
        model = models.Act
        fields = ("id", *spec.ACT_FIELDS, "version")
        read_only_fields = ["version"]

    def create(self, validated_data):
        return services.act_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return services.act_update(
            act=instance, actor=self.actor, expected_version=self.expected_version, **validated_data
        )


class ProvisionSerializer(RegistrySerializer):
    citation = serializers.CharField(
        read_only=True, help_text="The display citation built from the act and section."
    )

    class Meta:
        model = models.Provision
        fields = ("id", *spec.PROVISION_FIELDS, "citation", "version")
        read_only_fields = ["version"]

    def create(self, validated_data):
        return services.provision_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return services.provision_update(
            provision=instance,
            actor=self.actor,
            expected_version=self.expected_version,
            **validated_data,
        )


class TechnologyAreaSerializer(RegistrySerializer):
    class Meta:
        model = models.TechnologyArea
        fields = ("id", *spec.TECHNOLOGY_AREA_FIELDS, "version")
        read_only_fields = ["version"]

    def create(self, validated_data):
        return services.technology_area_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return services.technology_area_update(
            area=instance,
            actor=self.actor,
            expected_version=self.expected_version,
            **validated_data,
        )


class ParticipantSerializer(RegistrySerializer):
    class Meta:
        model = models.AgreementParticipant
        fields = spec.PARTICIPANT_FIELDS


class LegalBasisSerializer(RegistrySerializer):
    class Meta:
        model = models.LegalBasis
        fields = (*spec.LEGAL_BASIS_FIELDS, "citation")
        read_only_fields = ["citation"]


class IndustrialParticipantSerializer(RegistrySerializer):
    class Meta:
        model = models.IndustrialParticipant
        fields = spec.INDUSTRIAL_PARTICIPANT_FIELDS


class TechnologyAreaSlugsField(serializers.ListField):
    """Technology areas as a list of slugs (read from the prefetched areas)."""

    child = StrictSlugField(max_length=64)
    values_path = ("technology_areas", "slug")  # how core/api/rows.py reads it

    def get_attribute(self, instance):
        return [area.slug for area in instance.technology_areas.all()]


class AgreementSerializer(RegistrySerializer):
    technology_areas = TechnologyAreaSlugsField(
        required=False, help_text="Slugs from technology-areas/; an unknown slug is a 400."
    )
    participants = ParticipantSerializer(many=True, required=False)
    legal_bases = LegalBasisSerializer(many=True, required=False)
    industrial_participants = IndustrialParticipantSerializer(many=True, required=False)
    fms_cases = serializers.ListField(
        child=StrictCharField(max_length=32),
        required=False,
        help_text="Case identifiers of FMS cases that carry out the agreement.",
    )

    class Meta:
        model = models.Agreement
        fields = (
            "id",
            *spec.AGREEMENT_HEADING_FIELDS,
            *spec.AGREEMENT_NESTED,
            *spec.AGREEMENT_TERMS_FIELDS,
            "version",
        )
        read_only_fields = ["version"]

    def create(self, validated_data):
        return services.agreement_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return services.agreement_update(
            agreement=instance,
            actor=self.actor,
            expected_version=self.expected_version,
            **validated_data,
        )
