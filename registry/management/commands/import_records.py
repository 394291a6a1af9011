"""`manage.py import_records FILE [--dry-run] [--user USERNAME]`: bulk import, all or nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.history.context import history_context
from registry.importing.formats import read_records
from registry.importing.records import import_records

ACTOR = "command:import_records"


class Command(BaseCommand):
    help = (
        "Import partners, agreements (with participants), conditions (with requirements) and "
        "waiver entries from a CSV or JSON file. With --dry-run, report every error and "
        "write nothing; otherwise write the whole file or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .json file (docs/decisions/0012)")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--user", help="the editor recorded as the actor of every change")

    def handle(self, *args, file, dry_run, user, **options):
        try:
            content = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        actor = self._actor(user)
        records, _ = read_records(content, filename=file)
        total = sum(1 + len(r.children) for r in records)
        with (
            history_context(actor=actor, channel="shell"),
            tqdm(total=total, unit="row", file=self.stderr, disable=None) as bar,
        ):
            result = import_records(
                content, actor=actor, dry_run=dry_run, filename=file, progress=bar.update
            )
        for error in result.errors:
            self.stdout.write(f"row {error.row}, {error.field}: {error.message}")
        created = ", ".join(f"{n} {kind}" for kind, n in sorted(result.created.items()))
        if result.errors:
            raise CommandError(f"{len(result.errors)} error(s) in {file}; nothing was written.")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"Dry run: no errors; would import {created}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {created}."))

    def _actor(self, username):
        if not username:
            return ACTOR
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user
