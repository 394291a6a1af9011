"""Admin for legislation, technology areas and agreements; saves go through agreements.services."""

from django.contrib import admin

from agreements.models import (
    Act,
    Agreement,
    AgreementParticipant,
    AgreementTechnologyArea,
    IndustrialParticipant,
    LegalBasis,
    Provision,
    TechnologyArea,
)
from agreements.services import (
    act_create,
    act_update,
    agreement_create,
    agreement_update,
    provision_create,
    provision_update,
    technology_area_create,
    technology_area_update,
)
from core.admin import ServiceAdmin, ServiceInline, prefixed_formset


@admin.register(Act)
class ActAdmin(ServiceAdmin):
    create_service = staticmethod(act_create)
    update_service = staticmethod(act_update)
    instance_kwarg = "act"
    fields = [
        "kind", "title", "short_title", "congress", "bill_type", "bill_number", "status",
        "public_law", "statutes_at_large", "enacted_on", "fiscal_year", "url", "version",
    ]  # fmt: skip
    readonly_fields = ["version"]
    list_display = ["title", "kind", "status", "public_law", "congress", "fiscal_year"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "short_title", "public_law"]


@admin.register(Provision)
class ProvisionAdmin(ServiceAdmin):
    create_service = staticmethod(provision_create)
    update_service = staticmethod(provision_update)
    instance_kwarg = "provision"
    fields = [
        "act", "section", "path", "heading", "codification", "status", "valid_from",
        "valid_to", "report_deadline_days", "version",
    ]  # fmt: skip
    readonly_fields = ["version"]
    list_display = ["__str__", "heading", "codification", "status"]
    list_filter = ["status", "act__kind"]
    list_select_related = ["act"]
    search_fields = ["section", "heading", "codification", "act__title", "act__short_title"]
    autocomplete_fields = ["act"]


@admin.register(TechnologyArea)
class TechnologyAreaAdmin(ServiceAdmin):
    create_service = staticmethod(technology_area_create)
    update_service = staticmethod(technology_area_update)
    instance_kwarg = "area"
    fields = ["slug", "name", "description", "version"]
    readonly_fields = ["version"]
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]


class TechnologyAreaInline(ServiceInline):
    model = AgreementTechnologyArea
    formset = prefixed_formset("technology_areas")
    service_kwarg = "technology_areas"
    fields = ["technology_area"]
    verbose_name = "technology area"


class ParticipantInline(ServiceInline):
    model = AgreementParticipant
    service_kwarg = "participants"
    fields = [
        "partner", "role", "cost_share_percent", "signed_on", "joined_on", "suspended_on",
        "withdrawn_on",
    ]  # fmt: skip
    autocomplete_fields = ["partner"]


class LegalBasisInline(ServiceInline):
    model = LegalBasis
    service_kwarg = "legal_bases"
    fields = ["provision", "pinpoint", "role"]
    autocomplete_fields = ["provision"]


class IndustrialParticipantInline(ServiceInline):
    model = IndustrialParticipant
    service_kwarg = "industrial_participants"
    fields = [
        "company", "us_state", "naics_code", "contract_value_usd", "work_share_percent",
        "fiscal_year", "description",
    ]  # fmt: skip
    autocomplete_fields = ["company"]


@admin.register(Agreement)
class AgreementAdmin(ServiceAdmin):
    create_service = staticmethod(agreement_create)
    update_service = staticmethod(agreement_update)
    instance_kwarg = "agreement"
    fields = [
        "reference", "title", "summary", "agreement_type", "status", "parent", "supersedes",
        "signed_on", "entry_into_force_on", "expires_on", "terminated_on",
        "technology_transfer_risk", "industrial_base_notes", "human_rights_notes",
        "fms_cases", "binding", "case_act_transmitted_on", "version",
    ]  # fmt: skip
    readonly_fields = ["version"]
    inlines = [
        TechnologyAreaInline,
        ParticipantInline,
        LegalBasisInline,
        IndustrialParticipantInline,
    ]
    list_display = ["reference", "title", "agreement_type", "status", "signed_on"]
    list_filter = ["agreement_type", "status", "technology_transfer_risk"]
    search_fields = ["reference", "title"]
    autocomplete_fields = ["parent", "supersedes"]

    def nested_item(self, kwarg, row):
        # The service takes technology areas as a list of areas (or slugs), not dicts.
        return row["technology_area"] if kwarg == "technology_areas" else row
