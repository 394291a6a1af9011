"""`issue_token USERNAME [--days N]`: a new API token; only its digest is stored."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken

from core.roles import role_of

MAX_DAYS = 3650


class Command(BaseCommand):
    help = "Create an API token for a user and print the key alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=90, help="Days until it expires (90).")

    def handle(self, *args, username, days, **options):
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}, not {days}.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        if role_of(user) is None:
            self.stderr.write(f"Warning: {username} has no role; the API will refuse the token.")
        _, key = AuthToken.objects.create(user, expiry=timedelta(days=days))
        self.stdout.write(f"Token for {username}, expires in {days} days:")
        self.stdout.write(key)
