"""The account behind an agency sign-in, and its role from the provider's groups."""

import hashlib
import logging
import re
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core.auth.models import ExternalIdentity
from core.roles import ADMIN, ROLES

audit_log = logging.getLogger("registry.audit")

USERNAME_MAX = 150
NOT_IN_USERNAME = re.compile(r"[^\w.@+-]")


def role_from_claims(claims: Mapping) -> str | None:
    """The one role the user's groups map to (OIDC_ROLE_MAP), the highest if several; or None.

    The claim may be a list of group names or a single string (space or comma separated).
    """
    value = claims.get(settings.OIDC_ROLE_CLAIM) or []
    groups = re.split(r"[\s,]+", value) if isinstance(value, str) else value
    mapped = {settings.OIDC_ROLE_MAP.get(str(group)) for group in groups}
    # ROLES is ordered admin, editor, auditor: the first match is the highest role.
    return next((role for role in ROLES if role in mapped), None)


@transaction.atomic
def oidc_user_sign_in(*, issuer: str, claims: Mapping):
    """The account linked to (issuer, sub), made on first sign-in, with the role the claims give.

    The provider is the authority on roles: a group removed there removes the role here at
    the next sign-in, and a user whose groups map to no role keeps an account without one.
    """
    subject = str(claims["sub"])
    link = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if link is None:
        user = get_user_model().objects.create_user(
            username=_free_username(issuer=issuer, claims=claims)
        )
        link = ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    user = link.user
    role = role_from_claims(claims)
    _update_account(user=user, claims=claims, role=role)
    link.last_sign_in_at = timezone.now()
    link.save(update_fields=["last_sign_in_at"])
    audit_log.info(
        "agency sign-in user=%s user_id=%s issuer=%s subject=%s role=%s",
        user.get_username(),
        user.pk,
        issuer,
        subject,
        role,
    )
    return user


def _update_account(*, user, claims: Mapping, role: str | None) -> None:
    """Names, address and exactly `role` (or none), as the provider says today."""
    user.email = str(claims.get("email") or user.email)[:254]
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    # The same rule as `create_user`: admins are staff superusers, nobody else is.
    user.is_staff = user.is_superuser = role == ADMIN
    user.save()
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
    if role is not None:
        user.groups.add(Group.objects.get(name=role))


def _free_username(*, issuer: str, claims: Mapping) -> str:
    """A readable username for a new account that no other account (a local one) holds.

    preferred_username, e-mail or sub; when taken, the same with a suffix derived from the
    identity, so an agency sign-in never lands in a local account of the same name.
    """
    wanted = claims.get("preferred_username") or claims.get("email") or claims["sub"]
    base = NOT_IN_USERNAME.sub("-", str(wanted))[: USERNAME_MAX - 9]
    users = get_user_model().objects
    if not users.filter(username__iexact=base).exists():
        return base
    digest = hashlib.sha256(f"{issuer} {claims['sub']}".encode()).hexdigest()[:8]
    return f"{base}-{digest}"
