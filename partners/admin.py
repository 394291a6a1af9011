"""Admin for partners and their designations; saves go through partners.services."""

from django.contrib import admin

from core.admin import ServiceAdmin, ServiceInline
from partners.models import Partner, PartnerDesignation
from partners.services import partner_create, partner_update


class PartnerDesignationInline(ServiceInline):
    model = PartnerDesignation
    service_kwarg = "designations"
    fields = ["category", "valid_from", "valid_to", "instrument"]


@admin.register(Partner)
class PartnerAdmin(ServiceAdmin):
    create_service = staticmethod(partner_create)
    update_service = staticmethod(partner_update)
    instance_kwarg = "partner"
    fields = ["name", "kind", "iso3", "parent", "notes", "version"]
    inlines = [PartnerDesignationInline]
    list_display = ["name", "kind", "iso3", "parent", "version", "updated_at"]
    list_filter = ["kind", "designations__category"]
    search_fields = ["name", "iso3"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["version"]
