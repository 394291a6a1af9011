from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_role_groups(sender, using, **kwargs) -> None:
    """post_migrate receiver: the three role groups exist after every migrate (and flush)."""
    from django.contrib.auth.models import Group

    from core.roles import ROLES

    for name in ROLES:
        Group.objects.using(using).get_or_create(name=name)


class CoreConfig(AppConfig):
    """The shared machinery every app builds on (its one table: agency sign-in identities)."""

    name = "core"
    verbose_name = "Registry core"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.caching import create_cache_tables
        from core.db_roles import grant_after_migrate
        from core.web.sessions import refreshed_at_sign_in

        user_logged_in.connect(refreshed_at_sign_in, dispatch_uid="session_refreshed_at_sign_in")

        # After every `migrate` (as the owner), in this order: the role groups, the cache
        # table, then the runtime role's privileges on every table (the cache's included).
        # registry's receiver runs later (app order) and narrows what the feed tables allow.
        post_migrate.connect(create_role_groups, sender=self, dispatch_uid="role_groups")
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="cache_tables")
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="grant_runtime")
