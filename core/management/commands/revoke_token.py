"""`revoke_token USERNAME [--key-prefix P]`: revoke a user's API tokens (all, or one)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken
from knox.settings import CONSTANTS


class Command(BaseCommand):
    help = "Revoke a user's API tokens: all of them, or the one whose key starts with --key-prefix."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--key-prefix", help=f"The first {CONSTANTS.TOKEN_KEY_LENGTH} characters of the key."
        )

    def handle(self, *args, username, key_prefix, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        tokens = AuthToken.objects.filter(user=user)
        if key_prefix:
            prefix = key_prefix[: CONSTANTS.TOKEN_KEY_LENGTH]
            tokens = tokens.filter(token_key=prefix)
            if not tokens.exists():
                raise CommandError(f"{username} has no token starting with {prefix!r}.")
        # Revoking deletes the token row: a revoked key can never authenticate again.
        count, _ = tokens.delete()
        self.stdout.write(f"Revoked {count} token(s) of {username}.")
