"""The Django admin for the admin role only, writing every change through the services.

The admin is a fallback tool for administrators; staff use the registry's own pages. So:
- only users with the admin role get in (`is_staff` alone is not enough);
- a save calls the model's create/update service with `actor=request.user`, so validation,
  versioning and the change history are the same as for every other write path;
- nothing is ever deleted (legal records are archived), and append-only records are read-only.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from core.domain import StaleObjectError
from core.roles import is_admin

SERVICE_ERRORS = "_registry_service_errors"


class RegistryAdminSite(admin.AdminSite):
    site_header = "Defense technology cooperation registry: administration"
    site_title = "Registry admin"
    index_title = "Administration (admin role only)"

    def has_permission(self, request):
        return request.user.is_active and is_admin(request.user)


class AdminRoleOnly:
    """Every permission is the admin role; deleting is never allowed."""

    def has_module_permission(self, request):
        return is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_add_permission(self, request, *args):
        return is_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(AdminRoleOnly, admin.ModelAdmin):
    """Append-only records (waiver entries, reviews, flags): viewable, never edited here."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ServiceInline(AdminRoleOnly, admin.TabularInline):
    """An inline whose rows are handed to the parent's service as `service_kwarg`."""

    service_kwarg = ""
    extra = 0


class PrefixedInlineFormSet(BaseInlineFormSet):
    """A formset with a readable prefix for links declared with `related_name="+"`."""

    prefix_name = ""

    @classmethod
    def get_default_prefix(cls):
        return cls.prefix_name or super().get_default_prefix()


def prefixed_formset(name: str) -> type[BaseInlineFormSet]:
    return type(f"{name}FormSet", (PrefixedInlineFormSet,), {"prefix_name": name})


class ServiceAdmin(AdminRoleOnly, admin.ModelAdmin):
    """A ModelAdmin whose saves go through `create_service` / `update_service`.

    The update service receives the edited object as `instance_kwarg` and the version the
    form was loaded with, so a concurrent edit is refused instead of overwritten. When a
    service refuses the input, the form is shown again with the service's messages.
    """

    create_service = None
    update_service = None
    instance_kwarg = ""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        errors = getattr(request, SERVICE_ERRORS, None)
        attrs = {
            "expected_version": forms.IntegerField(
                required=False,
                widget=forms.HiddenInput,
                initial=getattr(obj, "version", None),
            ),
            "clean": _clean_with_service_errors(base, errors),
        }
        return type(base.__name__, (base,), attrs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The service refused what the forms accepted (its transaction was rolled
            # back): show the same forms again, this time carrying the service's messages.
            setattr(request, SERVICE_ERRORS, _as_dict(error))
        except StaleObjectError as error:
            setattr(request, SERVICE_ERRORS, {"__all__": [f"{error} Reload and redo your edit."]})
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Nothing here: the service writes the object and its inlines in save_related."""

    def save_related(self, request, form, formsets, change):
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in form._meta.model._meta._forward_fields_map and name != "id"
        }
        for formset in formsets:
            # The admin's change message reads these; the service, not formset.save(), writes.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            kwarg = getattr(formset, "service_kwarg", "")
            if kwarg:
                fields[kwarg] = [self.nested_item(kwarg, row) for row in formset_rows(formset)]
        if change:
            saved = self.update_service(
                **{self.instance_kwarg: form.instance},
                actor=request.user,
                expected_version=form.cleaned_data.get("expected_version"),
                **fields,
            )
        else:
            saved = self.create_service(actor=request.user, **fields)
        form.instance.pk = saved.pk
        form.instance.version = saved.version

    def nested_item(self, kwarg: str, row: dict):
        """How one inline row is passed to the service (a dict by default)."""
        return row

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.service_kwarg = getattr(inline, "service_kwarg", "")
            yield formset, inline


def formset_rows(formset) -> list[dict]:
    """The rows an inline formset describes, without deleted or untouched blank forms."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or (formset.can_delete and formset._should_delete_form(form)):
            continue
        rows.append({k: v for k, v in data.items() if k not in ("id", "DELETE", formset.fk.name)})
    return rows


def _as_dict(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _clean_with_service_errors(base, errors):
    def clean(self):
        cleaned = base.clean(self)
        for field, messages_ in (errors or {}).items():
            if field in self.fields and field != "expected_version":
                self.add_error(field, messages_)
            elif field == "__all__":
                self.add_error(None, messages_)
            else:
                self.add_error(None, [f"{field}: {message}" for message in messages_])
        return cleaned

    return clean
