"""Admin for partners and their designations: read-only; the partner pages write."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from partners.fields import DESIGNATION_FIELDS, PARTNER_FIELDS
from partners.models import Partner, PartnerDesignation


class PartnerDesignationInline(ReadOnlyInline):
    model = PartnerDesignation
    fields = DESIGNATION_FIELDS


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    fields = (*PARTNER_FIELDS, "archived_at", "version")
    readonly_fields = ("archived_at",)  # set by partner_archive only: not a form field
    inlines = [PartnerDesignationInline]
    list_display = ["name", "kind", "iso3", "parent", "version", "updated_at"]
    list_filter = ["kind", "designations__category"]
    list_select_related = ["parent"]
    search_fields = ["name", "iso3"]
    autocomplete_fields = ["parent"]
