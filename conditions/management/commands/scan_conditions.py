"""`manage.py scan_conditions [--today YYYY-MM-DD]`: the scheduled flag scan, run now."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from conditions.services.scan import scan_conditions
from core.registry_day import registry_today


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today: {value!r} is not a date like 2025-09-30.") from error


class Command(BaseCommand):
    help = "Run the flag scan synchronously and print the flags raised, kept and resolved."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="Scan as of this date (YYYY-MM-DD); default the registry day."
        )

    def handle(self, *args, today=None, **options):
        day = iso_date(today) if today else registry_today()
        result = scan_conditions(today=day, actor="command:scan_conditions", channel="shell")
        if result.skipped:
            raise CommandError("Another scan is running; nothing was done. Try again later.")
        self.stdout.write(
            f"Scan for {day.isoformat()}: raised {result.raised}, kept {result.kept}, "
            f"resolved {result.resolved} "
            f"({result.conditions_lapsed} waived conditions set to pending_review, "
            f"{result.conditions_waived} set to waived, "
            f"{result.notifications} notifications queued)."
        )
