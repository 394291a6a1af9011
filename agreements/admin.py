"""Admin for legislation, technology areas and agreements: read-only; the registry's pages
(agreements/views.py, through agreements/services.py) write."""

from django.contrib import admin

from agreements import fields as spec
from agreements import models
from core.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(models.Act)
class ActAdmin(ReadOnlyAdmin):
    fields = (*spec.ACT_FIELDS, "version")
    list_display = ["title", "kind", "status", "public_law", "congress", "fiscal_year"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "short_title", "public_law"]


@admin.register(models.Provision)
class ProvisionAdmin(ReadOnlyAdmin):
    fields = (*spec.PROVISION_FIELDS, "version")
    list_display = ["__str__", "heading", "codification", "status"]
    list_filter = ["status", "act__kind"]
    list_select_related = ["act"]
    search_fields = ["section", "heading", "codification", "act__title", "act__short_title"]
    autocomplete_fields = ["act"]


@admin.register(models.TechnologyArea)
class TechnologyAreaAdmin(ReadOnlyAdmin):
    fields = (*spec.TECHNOLOGY_AREA_FIELDS, "version")
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]


class ParticipantInline(ReadOnlyInline):
    model = models.AgreementParticipant
    fields = spec.PARTICIPANT_FIELDS
    autocomplete_fields = ["partner"]


class LegalBasisInline(ReadOnlyInline):
    model = models.LegalBasis
    fields = spec.LEGAL_BASIS_FIELDS
    autocomplete_fields = ["provision"]


class IndustrialParticipantInline(ReadOnlyInline):
    model = models.IndustrialParticipant
    fields = spec.INDUSTRIAL_PARTICIPANT_FIELDS
    autocomplete_fields = ["company"]


@admin.register(models.Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    fields = (
        *spec.AGREEMENT_HEADING_FIELDS,
        "technology_areas",
        *spec.AGREEMENT_TERMS_FIELDS,
        "version",
    )
    # Shown as a list of names: a many-to-many through AgreementTechnologyArea has no widget.
    readonly_fields = ["technology_areas"]
    inlines = [ParticipantInline, LegalBasisInline, IndustrialParticipantInline]
    list_display = ["reference", "title", "agreement_type", "status", "signed_on"]
    list_filter = ["agreement_type", "status", "technology_transfer_risk"]
    search_fields = ["reference", "title"]
    autocomplete_fields = ["parent", "supersedes"]
