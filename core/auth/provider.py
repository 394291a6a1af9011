"""The OpenID provider named by settings.OIDC_ISSUER: its endpoints and signing keys.

Both are discovered from the issuer (`/.well-known/openid-configuration`, then its `jwks_uri`)
on first use and kept in this process for OIDC_DISCOVERY_CACHE_SECONDS, so a sign-in costs the
provider two calls (token, userinfo), not four. A key id the cached set does not hold fetches
the set once more: the provider has rotated its keys.
"""

import logging
import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings

log = logging.getLogger(__name__)

_lock = threading.Lock()
_metadata: dict[str, tuple[float, "ProviderMetadata"]] = {}
_keys: dict[str, tuple[float, list[dict]]] = {}


class ProviderUnavailable(Exception):
    """The provider did not answer, or answered with something that is not its metadata."""


@dataclass(frozen=True)
class ProviderMetadata:
    """What the provider's discovery document says this registry needs."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    end_session_endpoint: str | None


def oidc_enabled() -> bool:
    """Agency sign-in is offered when an issuer and a client id are configured."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def provider_metadata() -> ProviderMetadata:
    """The configured provider's metadata, from the cache or discovered now."""
    issuer = settings.OIDC_ISSUER
    with _lock:
        cached = _metadata.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    document = fetch_json(f"{issuer}/.well-known/openid-configuration")
    # OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer asked.
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(f"the discovery document names issuer {document.get('issuer')!r}")
    try:
        metadata = ProviderMetadata(
            issuer=str(document["issuer"]),
            authorization_endpoint=str(document["authorization_endpoint"]),
            token_endpoint=str(document["token_endpoint"]),
            jwks_uri=str(document["jwks_uri"]),
            userinfo_endpoint=document.get("userinfo_endpoint"),
            end_session_endpoint=document.get("end_session_endpoint"),
        )
    except KeyError as missing:
        raise ProviderUnavailable(f"the discovery document has no {missing}") from None
    with _lock:
        _metadata[issuer] = (time.monotonic() + settings.OIDC_DISCOVERY_CACHE_SECONDS, metadata)
    return metadata


def cached_metadata() -> ProviderMetadata | None:
    """The metadata if this process already knows it, without calling the provider."""
    with _lock:
        cached = _metadata.get(settings.OIDC_ISSUER)
    return cached[1] if cached else None


def signing_keys(*, refresh: bool = False) -> list[dict]:
    """The provider's published keys (JWKS `keys`), cached; `refresh` fetches them again."""
    jwks_uri = provider_metadata().jwks_uri
    with _lock:
        cached = _keys.get(jwks_uri)
    if cached and not refresh and cached[0] > time.monotonic():
        return cached[1]
    keys = fetch_json(jwks_uri).get("keys")
    if not isinstance(keys, list):
        raise ProviderUnavailable("the JWKS document has no list of keys")
    with _lock:
        _keys[jwks_uri] = (time.monotonic() + settings.OIDC_DISCOVERY_CACHE_SECONDS, keys)
    return keys


def fetch_json(url: str) -> dict:
    """GET a JSON object from the provider within OIDC_TIMEOUT; ProviderUnavailable otherwise."""
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        log.warning("OpenID provider unavailable: %s: %s", url, error)
        raise ProviderUnavailable(str(error)) from error
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"{url} did not answer with a JSON object")
    return document


def forget_provider() -> None:
    """Drop the cached metadata and keys (tests; a changed OIDC_ISSUER needs no restart)."""
    with _lock:
        _metadata.clear()
        _keys.clear()
