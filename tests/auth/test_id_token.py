"""The ID token checks one by one: signature key, algorithm, issuer, audience, expiry with a
bounded clock skew. Tokens are signed here with a key the test publishes as the provider's."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation

from core.auth.oidc import AgencyOIDCBackend
from tests.auth.conftest import CLIENT_ID

PRIVATE_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def backend(provider):
    return AgencyOIDCBackend()


def token(issuer, **changes):
    now = int(time.time())
    claims = {"iss": issuer, "aud": CLIENT_ID, "sub": "s", "iat": now, "exp": now + 300}
    claims.update(changes)
    claims = {key: value for key, value in claims.items() if value is not None}
    return jwt.encode(claims, PRIVATE_KEY, algorithm="RS256", headers={"kid": "test"})


def test_a_valid_token_passes(backend, provider):
    assert backend._verify_jws(token(provider), PRIVATE_KEY.public_key())["sub"] == "s"


def test_clock_skew_within_the_leeway_passes_and_beyond_it_fails(backend, provider, settings):
    settings.OIDC_LEEWAY_SECONDS = 60
    now = int(time.time())
    key = PRIVATE_KEY.public_key()
    assert backend._verify_jws(token(provider, exp=now - 30), key)
    assert backend._verify_jws(token(provider, iat=now + 30), key)
    with pytest.raises(SuspiciousOperation, match="expired"):
        backend._verify_jws(token(provider, exp=now - 90), key)
    with pytest.raises(SuspiciousOperation, match="not yet valid"):
        backend._verify_jws(token(provider, iat=now + 90), key)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"aud": "another-client"}, "(?i)audience"),
        ({"iss": "https://elsewhere.example"}, "(?i)issuer"),
        ({"exp": None}, "exp"),
        ({"iat": None}, "iat"),
    ],
)
def test_a_token_for_someone_else_or_incomplete_is_refused(backend, provider, changes, reason):
    with pytest.raises(SuspiciousOperation, match=reason):
        backend._verify_jws(token(provider, **changes), PRIVATE_KEY.public_key())


def test_another_key_or_algorithm_is_refused(backend, provider):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(SuspiciousOperation):
        backend._verify_jws(token(provider), other.public_key())
    symmetric = jwt.encode({"iss": provider, "aud": CLIENT_ID}, "secret", algorithm="HS256")
    with pytest.raises(SuspiciousOperation, match="HS256"):
        backend._verify_jws(symmetric, "secret")
    unsigned = jwt.encode({"iss": provider, "aud": CLIENT_ID}, None, algorithm="none")
    with pytest.raises(SuspiciousOperation, match="none"):
        backend._verify_jws(unsigned, None)


def test_a_token_whose_key_the_provider_does_not_publish_is_refused(backend):
    forged = jwt.encode({"sub": "s"}, PRIVATE_KEY, algorithm="RS256", headers={"kid": "nope"})
    with pytest.raises(SuspiciousOperation, match="No key"):
        backend.retrieve_matching_jwk(forged)
