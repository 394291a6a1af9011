from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Change feed and webhooks"

    def ready(self):
        from registry.changes import after_migrate

        # After conditions' grants (app order): install the feed triggers on every history
        # table and narrow the runtime role's privileges on the feed and the delivery log.
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="registry_feed")
