"""`manage.py migrate` as the schema owner (docs/decisions/0017).

Django's own command, with `--database` defaulting to the `owner` connection (DATABASE_URL)
instead of the runtime role the application uses; after it, post_migrate grants the
runtime role its privileges (core/db_roles.py).
"""

from django.core.management.commands.migrate import Command as MigrateCommand

from core.db_roles import owner_alias


class Command(MigrateCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(database=owner_alias())
