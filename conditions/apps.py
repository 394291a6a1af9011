from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Human-rights conditions and waivers"

    def ready(self):
        from config.db_roles import grant_after_migrate

        # After every `migrate` (as the owner), the runtime role gets exactly its privileges.
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="grant_runtime")
