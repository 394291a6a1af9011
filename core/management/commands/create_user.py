"""`create_user USERNAME --role ROLE [--email E] --password-stdin`: a user with exactly one role."""

import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.roles import ADMIN, ROLES


class Command(BaseCommand):
    help = (
        "Create or update a user with exactly the given role (admin, editor or auditor). "
        "The password is read from standard input."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--email", default=None)
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input (required for a new user).",
        )

    def handle(self, *args, username, role, email, password_stdin, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        if email is not None:
            user.email = email
        password = None
        if password_stdin:
            stream = options.get("stdin") or sys.stdin
            password = stream.read().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
        elif created:
            raise CommandError("A new user needs a password: pass --password-stdin.")
        try:
            user.full_clean(exclude=["password", "last_login", "date_joined"])
            if password is not None:
                validate_password(password, user)
        except ValidationError as error:
            raise CommandError(_describe(error)) from error
        save_user_with_role(user=user, role=role, password=password)
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} user {username} with role {role}.")


@transaction.atomic
def save_user_with_role(*, user, role: str, password: str | None) -> None:
    """Save the user with exactly `role`: other role groups go; admins are staff superusers."""
    user.is_staff = user.is_superuser = role == ADMIN
    if password is not None:
        user.set_password(password)
    user.save()
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
    group = Group.objects.filter(name=role).first()
    if group is None:
        raise CommandError(f"The {role} group is missing: run `manage.py migrate` first.")
    user.groups.add(group)


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return "password: " + " ".join(error.messages)
