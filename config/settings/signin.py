"""Sign-in settings (docs/decisions/0027), read by config/settings/base.py."""

import environ

env = environ.Env()

# ----- Sign-in (docs/decisions/0027) ------------------------------------------------------
# Agency single sign-on through any OpenID Connect provider (mozilla-django-oidc; endpoints
# and keys discovered from OIDC_ISSUER, core/auth/provider.py), local passwords that can be
# turned off, passkeys (django-otp-webauthn) as a second factor for local accounts.
OIDC_ISSUER = env("OIDC_ISSUER", default="").rstrip("/")  # empty: no agency sign-in
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="your agency")  # "Sign in with ..."
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = " ".join(
    env("OIDC_SCOPES", default="openid email profile").replace(",", " ").split()
)
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", default="RS256")
# The claim that lists the user's groups, and which group gives which role ("group=role,...").
OIDC_ROLE_CLAIM = env("OIDC_ROLE_CLAIM", default="groups")
OIDC_ROLE_MAP = env.dict("OIDC_ROLE_MAP", default={})
OIDC_LEEWAY_SECONDS = env.int("OIDC_LEEWAY_SECONDS", default=60)  # clock skew allowed
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT_SECONDS", default=5.0)  # each call to the provider
OIDC_DISCOVERY_CACHE_SECONDS = env.int("OIDC_DISCOVERY_CACHE_SECONDS", default=3600)
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of RP-initiated logout
# false: no password form and every password sign-in refused; create_user still works.
LOCAL_LOGIN = env.bool("LOCAL_LOGIN", default=True)
# Roles whose local (password) sign-ins need a verified passkey before any page.
REQUIRE_SECOND_FACTOR_FOR = env.list("REQUIRE_SECOND_FACTOR_FOR", default=[])
PASSKEY_RP_ID = env("PASSKEY_RP_ID", default="localhost")  # the site's domain in production
OTP_WEBAUTHN_RP_ID = PASSKEY_RP_ID
OTP_WEBAUTHN_RP_NAME = "Defense technology cooperation registry"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "PASSKEY_ORIGINS",
    default=[f"https://{PASSKEY_RP_ID}"]
    if PASSKEY_RP_ID != "localhost"
    else ["http://localhost:8000"],
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is a second factor here
