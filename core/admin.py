"""The Django admin: for the admin role only, and read-only for the registry's records.

Every write to partners, agreements, legislation, conditions, reviews, the waiver ledger and
flags goes through the registry's own pages or the API, whose services validate, version and
record history the same way for everyone. The admin lists, searches and shows those records;
it adds, changes and deletes none (legal records are archived, never deleted). Users, groups
and API tokens keep the admin their own apps register.
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from core.marked import visible_through
from core.roles import is_admin


class RegistryAdminSite(admin.AdminSite):
    site_header = "Defense technology cooperation registry: administration"
    site_title = "Registry admin"
    index_title = "Administration (admin role only)"

    def has_permission(self, request):
        return request.user.is_active and is_admin(request.user)

    def login(self, request, extra_context=None):
        """The admin signs in on the registry's own page, behind the system-use notice (AC-8)
        like everyone: this page authenticates nobody, whatever is posted to it (issue 25)."""
        wanted = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        return redirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: wanted})}")


class NeedToKnowAdminMixin:
    """Rows the requesting user may see, by the registry's one predicate (CUI markings,
    docs/decisions/0034-need-to-know.md): the changelist, its search and filters, the
    change and history views (a hidden id is "doesn't exist", as a missing one), the
    autocomplete that reads this admin's queryset, and inlines."""

    def get_queryset(self, request):
        return visible_through(super().get_queryset(request), request.user)


class ReadOnlyAdmin(NeedToKnowAdminMixin, admin.ModelAdmin):
    """A registry record in the admin: the admin role lists, searches and views it; nobody
    adds, changes or deletes it here (no permission, so no buttons, actions or forms)."""

    def has_module_permission(self, request):
        return is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(NeedToKnowAdminMixin, admin.TabularInline):
    """A record's rows (participants, designations...) shown on its page, read-only."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
