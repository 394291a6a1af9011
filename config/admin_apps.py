"""The admin app with RegistryAdminSite as `admin.site` (kept apart: loaded before models)."""

from django.contrib.admin.apps import AdminConfig


class RegistryAdminConfig(AdminConfig):
    """Installs core.admin.RegistryAdminSite as the default admin site."""

    default_site = "core.admin.RegistryAdminSite"
