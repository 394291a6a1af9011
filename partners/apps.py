from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        from config.caching import create_cache_tables

        # Before conditions' grants (app order), so the runtime role may use the table.
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="cache_tables")
