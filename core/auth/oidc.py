"""The OpenID Connect authentication backend: mozilla-django-oidc with discovery and checks.

mozilla-django-oidc runs the authorization code flow (state, nonce, PKCE, the token request).
What it leaves to the site, done here: endpoints and keys come from the issuer's discovery
document (core/auth/provider.py) rather than fixed settings; the ID token's signature, issuer,
audience, expiry and issue time are all checked, with OIDC_LEEWAY_SECONDS of clock skew; and
accounts are found by (issuer, sub) (core/auth/identity.py), never by e-mail address.
"""

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from core.auth.identity import oidc_user_sign_in
from core.auth.provider import oidc_enabled, provider_metadata, signing_keys

REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "iat"]


class AgencyOIDCBackend(OIDCAuthenticationBackend):
    """Signs in the user the provider vouches for; inert while OIDC_ISSUER is unset."""

    def __init__(self, *args, **kwargs):
        # The parent reads fixed endpoints from settings here; ours are discovered at first
        # use, and Django builds a backend for every request's session lookup (no network).
        self.UserModel = get_user_model()

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802 (the parent's attribute names)
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:  # noqa: N802
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:  # noqa: N802
        return settings.OIDC_RP_SIGN_ALGO

    @property
    def OIDC_RP_IDP_SIGN_KEY(self) -> None:  # noqa: N802 (keys come from the JWKS)
        return None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802
        return provider_metadata().token_endpoint

    def authenticate(self, request, **kwargs):
        # Only the callback (core/auth/views.py) passes a nonce: a password form posted to
        # an address carrying ?code=&state= must not start a token exchange.
        if not oidc_enabled() or request is None or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def retrieve_matching_jwk(self, token):
        """The provider's key named by the token's `kid` (and `alg`), from the cached JWKS."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token unreadable: {error}") from error
        key = _matching_key(signing_keys(), header) or _matching_key(
            signing_keys(refresh=True), header
        )
        if key is None:
            raise SuspiciousOperation("No key of the provider matches the ID token.")
        return jwt.PyJWK(key)

    def _verify_jws(self, payload, key):
        """Signature, algorithm, issuer, audience, expiry and issue time, with bounded skew."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
            if algorithm != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation(f"ID token signed with {algorithm!r}.")
            return jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=settings.OIDC_RP_CLIENT_ID,
                issuer=provider_metadata().issuer,
                leeway=settings.OIDC_LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the userinfo endpoint's added when there is one."""
        if not provider_metadata().userinfo_endpoint:
            return dict(payload)
        self.OIDC_OP_USER_ENDPOINT = provider_metadata().userinfo_endpoint
        userinfo = super().get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 1.0, 5.3.2: userinfo about another subject must not be used.
        if str(userinfo.get("sub")) != str(payload["sub"]):
            raise SuspiciousOperation("The userinfo answer is about another subject.")
        return {**userinfo, **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        return oidc_user_sign_in(issuer=provider_metadata().issuer, claims=claims)


def _matching_key(keys: list[dict], header: dict) -> dict | None:
    for key in keys:
        if header.get("kid") is not None and key.get("kid") != header.get("kid"):
            continue
        if key.get("alg") not in (None, header.get("alg")):
            continue
        if key.get("use") not in (None, "sig"):
            continue
        return key
    return None
