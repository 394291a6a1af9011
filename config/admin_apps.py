"""The admin app with RegistryAdminSite as `admin.site` (kept apart: loaded before models)."""

from django.contrib.admin.apps import AdminConfig


class RegistryAdminConfig(AdminConfig):
    """Installs config.admin_site.RegistryAdminSite as the default admin site."""

    default_site = "config.admin_site.RegistryAdminSite"
