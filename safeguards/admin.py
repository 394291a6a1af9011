"""Admin for the safeguards records: read-only; the safeguards pages (through
safeguards/services.py) write."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from safeguards import fields as spec
from safeguards import models


@admin.register(models.TechnologyItem)
class TechnologyItemAdmin(ReadOnlyAdmin):
    fields = (*spec.TECHNOLOGY_ITEM_FIELDS, "version")
    list_display = ["name", "control_list", "control_entry", "classification", "agreement"]
    list_filter = ["control_list", "classification", "kind", "eeum"]
    list_select_related = ["agreement"]
    search_fields = ["name", "control_entry"]
    autocomplete_fields = ["agreement"]


@admin.register(models.ReleaseDecision)
class ReleaseDecisionAdmin(ReadOnlyAdmin):
    fields = (*spec.RELEASE_DECISION_FIELDS, "version")
    list_display = ["item", "partner", "decision", "authority", "decided_on"]
    list_filter = ["decision", "authority"]
    list_select_related = ["item", "partner"]
    search_fields = ["reference", "item__name", "partner__name"]
    autocomplete_fields = ["item", "partner"]


@admin.register(models.EndUseCheck)
class EndUseCheckAdmin(ReadOnlyAdmin):
    fields = (*spec.END_USE_CHECK_FIELDS, "version")
    list_display = ["performed_on", "partner", "program", "check_type", "result"]
    list_filter = ["program", "check_type", "result"]
    list_select_related = ["partner"]
    search_fields = ["partner__name", "findings"]
    autocomplete_fields = ["partner"]


@admin.register(models.Transfer)
class TransferAdmin(ReadOnlyAdmin):
    fields = (*spec.TRANSFER_FIELDS, "version")
    list_display = ["requested_on", "from_partner", "to_partner", "value_usd", "decision"]
    list_filter = ["decision", "major_defense_equipment"]
    list_select_related = ["from_partner", "to_partner"]
    search_fields = ["from_partner__name", "to_partner__name"]
    autocomplete_fields = ["from_partner", "to_partner"]


@admin.register(models.Violation)
class ViolationAdmin(ReadOnlyAdmin):
    fields = (*spec.VIOLATION_FIELDS, "version")
    list_display = ["discovered_on", "partner", "kind", "reported_to_congress_on"]
    list_filter = ["kind"]
    list_select_related = ["partner"]
    search_fields = ["partner__name", "description"]
    autocomplete_fields = ["partner"]
