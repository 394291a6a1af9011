"""A real OpenID provider on loopback (oidc-provider-mock) and the steps of an agency sign-in."""

import socket
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth.models import Group
from django.urls import reverse
from oidc_provider_mock import User, run_server_in_thread

from core.auth.provider import forget_provider
from core.roles import ROLES

CLIENT_ID = "registry"
ROLE_MAP = {"editors": "editor", "auditors": "auditor", "admins": "admin"}
AGENCY_USERS = [
    User(sub="sub-ed", claims={"groups": ["editors"], "preferred_username": "ed"}),
    User(sub="sub-au", claims={"groups": ["staff", "auditors"], "email": "au@agency.gov"}),
    User(sub="sub-ad", claims={"groups": ["admins"], "given_name": "Ada"}),
    User(sub="sub-none", claims={"groups": ["staff"]}),
]
SUB_FOR_ROLE = {"editor": "sub-ed", "auditor": "sub-au", "admin": "sub-ad"}


@contextmanager
def provider_running(settings, **options):
    """Start the provider on a free loopback port and point the registry at it."""
    with run_server_in_thread(user_claims=AGENCY_USERS, **options) as server:
        issuer = f"http://localhost:{server.server_port}"
        configure(settings, issuer)
        try:
            yield issuer
        finally:
            forget_provider()


def configure(settings, issuer: str) -> None:
    settings.OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"  # noqa: S105 (the mock takes any)
    settings.OIDC_ROLE_MAP = ROLE_MAP
    settings.OIDC_PROVIDER_NAME = "Test Agency ID"
    forget_provider()


@pytest.fixture(autouse=True)
def _plain_http_provider(monkeypatch):
    # authlib refuses http:// unless told otherwise; the provider here is on loopback.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    yield
    forget_provider()


@pytest.fixture
def role_groups(db):
    for role in ROLES:
        Group.objects.get_or_create(name=role)


@pytest.fixture
def provider(settings, role_groups):
    with provider_running(settings) as issuer:
        yield issuer


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(client, *, accept: bool = True, next_url: str | None = None):
    """Press "Sign in with ..." on the sign-in page."""
    url = reverse("agency_sign_in") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"accept_notice": "on"} if accept else {})


def approve_at_provider(authorize_url: str, sub: str) -> str:
    """What the person does at the provider's page: choose the account. Returns the
    callback path (with code and state) the provider sends the browser back to."""
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["Location"])
    assert back.path == reverse("oidc_authentication_callback")
    return f"{back.path}?{back.query}"


def agency_sign_in(client, sub: str, *, next_url: str | None = None):
    """The whole round trip; returns the callback's response."""
    started = start(client, next_url=next_url)
    assert started.status_code == 302, started.content[:500]
    return client.get(approve_at_provider(started.url, sub))


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def set_agency_user(issuer: str, sub: str, claims: dict) -> None:
    """Change the user's claims at the provider (e.g. their groups)."""
    answer = requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5)
    assert answer.status_code == 204, answer.text
