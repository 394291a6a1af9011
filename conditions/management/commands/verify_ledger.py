"""`manage.py verify_ledger`: re-check the waiver ledger's hash chain (exit 1 when broken).

With `--anchors FILE` it also holds the ledger against the signed checkpoints in FILE (a copy
of the anchor log kept outside the database, docs/decisions/0017); without it, against
LEDGER_ANCHOR_LOG. A passed check is signed and appended to LEDGER_ANCHOR_LOG.
"""

from django.core.management.base import BaseCommand, CommandError

from conditions.services import anchors
from conditions.services.ledger import ledger_verify
from core.history.context import history_context

ACTOR = "command:verify_ledger"


class Command(BaseCommand):
    help = "Recompute the waiver ledger's hash chain; name the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchors",
            dest="anchor_log",
            metavar="FILE",
            help="the anchor log to check against (JSON lines)",
        )
        parser.add_argument(
            "--public-key",
            metavar="FILE",
            help="the anchors' Ed25519 public key (PEM or base64); default: the signing key's",
        )
        parser.add_argument(
            "--print-public-key",
            action="store_true",
            help="print the public key that verifies the anchors, and stop",
        )

    def handle(self, *args, anchor_log: str | None, public_key: str | None, **options):
        if options["print_public_key"]:
            self.stdout.write(anchors.public_key_text(anchors.signing_key().public_key()))
            return
        key = anchors.load_public_key(public_key) if public_key else None
        with history_context(actor=ACTOR, channel="shell"):
            check = ledger_verify(actor=ACTOR, anchor_log=anchor_log, public_key=key)
        if not check.ok:
            raise CommandError(check.message)
        self.stdout.write(self.style.SUCCESS(f"Waiver ledger {check.message.lower()}"))
