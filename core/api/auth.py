"""API token authentication that answers every bad token the same way.

knox tells an unknown or expired token ("Invalid token.") from an inactive user's ("User
inactive or deleted.") and from a malformed header; a caller probing tokens could tell their
states apart. Here every failure is one 401 with one message, and a token that cannot be a
knox key (wrong characters, NUL, not UTF-8) is refused before any query.
"""

import re

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from core.history.context import attach_user

INVALID_TOKEN = "Invalid token."  # noqa: S105 (a message, not a secret)
_TOKEN = re.compile(rb"[0-9A-Za-z_-]{1,256}")


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token <key>`; any failure is `401 {"detail": "Invalid token."}`."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.authenticate_header(request).encode().lower():
            return None  # no token: another backend (the session) may apply
        if len(words) != 2 or not _TOKEN.fullmatch(words[1]):
            raise AuthenticationFailed(INVALID_TOKEN)
        try:
            user, token = self.authenticate_credentials(words[1])
        except AuthenticationFailed:
            raise AuthenticationFailed(INVALID_TOKEN) from None
        # The history middleware opened the request's context before the view ran and knew
        # no user then: name the token's user as the actor of every change that follows.
        attach_user(user)
        return user, token


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI document describes this class as knox's token scheme."""

    target_class = "core.api.auth.TokenAuthentication"
