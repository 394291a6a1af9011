"""`manage.py verify_ledger`: re-check the waiver ledger's hash chain (exit 1 when broken)."""

from django.core.management.base import BaseCommand, CommandError

from conditions.services.ledger import ledger_verify
from config.history import history_context

ACTOR = "command:verify_ledger"


class Command(BaseCommand):
    help = "Recompute the waiver ledger's hash chain; name the first broken entry."

    def handle(self, *args, **options):
        with history_context(actor=ACTOR, channel="shell"):
            check = ledger_verify(actor=ACTOR)
        if not check.ok:
            raise CommandError(check.message)
        self.stdout.write(self.style.SUCCESS(f"Waiver ledger {check.message.lower()}"))
