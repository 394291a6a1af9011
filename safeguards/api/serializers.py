"""Technology safeguards API representations; writes go through safeguards.services."""

from rest_framework import serializers

from core.api.base import RegistrySerializer, StrictCharField, StrictIntegerField
from safeguards import fields as spec
from safeguards import models, services
from safeguards.choices import Proviso


class ItemIdsField(serializers.ListField):
    """The technology items of a record, as a list of ids (read from the prefetched items)."""

    child = StrictIntegerField(min_value=1, max_value=2**63 - 1)
    values_path = ("items", "id")  # how core/api/rows.py reads it

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Ids from technology-items/; an unknown id is a 400.")
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return [item.pk for item in instance.items.all()]


class ServiceSerializer(RegistrySerializer):
    """A safeguards record written through its pair of services (`create_service`,
    `update_service`, the record passed as `record_name`)."""

    create_service = None
    update_service = None
    record_name = ""

    def create(self, validated_data):
        return type(self).create_service(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return type(self).update_service(
            **{self.record_name: instance},
            actor=self.actor,
            expected_version=self.expected_version,
            **validated_data,
        )


class TechnologyItemSerializer(ServiceSerializer):
    create_service = staticmethod(services.technology_item_create)
    update_service = staticmethod(services.technology_item_update)
    record_name = "item"
    # A JSON number, 1 or 2, or null (a choice field would also take the string "1").
    mtcr_category = StrictIntegerField(
        min_value=1,
        max_value=2,
        allow_null=True,
        required=False,
        help_text="MTCR Annex category: 1, 2, or null when not on the MTCR Annex.",
    )

    class Meta:
        model = models.TechnologyItem
        fields = ("id", *spec.TECHNOLOGY_ITEM_FIELDS, "version")
        read_only_fields = ["version"]


class ReleaseDecisionSerializer(ServiceSerializer):
    create_service = staticmethod(services.release_decision_create)
    update_service = staticmethod(services.release_decision_update)
    record_name = "release"
    provisos = serializers.ListField(
        child=serializers.ChoiceField(choices=Proviso.choices), required=False
    )
    reference = StrictCharField(max_length=200, allow_blank=True, required=False)

    class Meta:
        model = models.ReleaseDecision
        fields = ("id", *spec.RELEASE_DECISION_FIELDS, "version")
        read_only_fields = ["version"]


class EndUseCheckSerializer(ServiceSerializer):
    create_service = staticmethod(services.end_use_check_create)
    update_service = staticmethod(services.end_use_check_update)
    record_name = "check"
    items = ItemIdsField()

    class Meta:
        model = models.EndUseCheck
        fields = (
            "id", "program", "check_type", "partner", "items", *spec.END_USE_CHECK_FIELDS[3:],
            "version",
        )  # fmt: skip
        read_only_fields = ["version"]


class TransferSerializer(ServiceSerializer):
    create_service = staticmethod(services.transfer_create)
    update_service = staticmethod(services.transfer_update)
    record_name = "transfer"
    items = ItemIdsField()
    notification_required = serializers.BooleanField(
        read_only=True,
        help_text="AECA §3(d): the value reaches $14M of major defense equipment or $50M "
        "otherwise ($25M and $100M from a NATO member or NATO+5 on requested_on).",
    )
    notification_threshold_usd = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True
    )

    class Meta:
        model = models.Transfer
        fields = (
            "id", "from_partner", "to_partner", "items", *spec.TRANSFER_FIELDS[2:],
            "notification_required", "notification_threshold_usd", "version",
        )  # fmt: skip
        read_only_fields = ["version"]


class ViolationSerializer(ServiceSerializer):
    create_service = staticmethod(services.violation_create)
    update_service = staticmethod(services.violation_update)
    record_name = "violation"
    items = ItemIdsField()

    class Meta:
        model = models.Violation
        fields = ("id", "partner", "items", *spec.VIOLATION_FIELDS[1:], "version")
        read_only_fields = ["version"]
