"""API throttles per token (user) and per client address: 429 with Retry-After."""

import pytest
from django.conf import settings
from django.core.cache import cache
from knox.models import AuthToken

from tests.factories import UserFactory


@pytest.fixture
def rates(settings):
    cache.clear()

    def set_rates(user: str, address: str) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"user": user, "address": address},
        }

    yield set_rates
    cache.clear()


def token_for(username):
    return AuthToken.objects.create(UserFactory(username=username, role="auditor"))[1]


@pytest.mark.django_db
def test_a_token_over_its_rate_gets_429_with_retry_after(client, rates):
    rates(user="3/minute", address="100/minute")
    headers = {"HTTP_AUTHORIZATION": f"Token {token_for('reader')}"}
    codes = [client.get("/api/v1/partners/", **headers).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    refused = client.get("/api/v1/partners/", **headers)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # another token from the same address still has its own allowance
    other = {"HTTP_AUTHORIZATION": f"Token {token_for('other')}"}
    assert client.get("/api/v1/partners/", **other).status_code == 200


@pytest.mark.django_db
def test_one_address_is_capped_whatever_tokens_it_uses(client, rates):
    rates(user="100/minute", address="4/minute")
    tokens = [token_for(f"reader{i}") for i in range(5)]
    codes = [
        client.get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {t}").status_code for t in tokens
    ]
    assert codes == [200, 200, 200, 200, 429]
    other_address = client.get(
        "/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {tokens[0]}", REMOTE_ADDR="10.9.9.9"
    )
    assert other_address.status_code == 200


def test_production_rates_are_set():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert rates == ["core.security.RequestRateThrottle"]
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].keys() == {"user", "address"}


@pytest.mark.parametrize(
    ("current", "previous", "elapsed", "wait"),
    [
        (0, 0, 30, 0),  # nothing counted
        (2, 0, 30, 0),  # a third fits a limit of 3
        (0, 4, 30, 0),  # half of the last window's 4 still counts: 2 + 1 fits
        (0, 6, 30, 10),  # 3 + 1 does not; at 40 s, 6 x 1/3 + 1 = 3 does
        (3, 0, 15, 65),  # this window is full: 45 s until it ends, then 3 x (1 - t/60) + 1 <= 3
        # needs t = 20 s into the next one
        (2, 3, 15, 45),  # a third fits only once the last window has slid out entirely
    ],
)
def test_the_sliding_window_estimate(current, previous, elapsed, wait):
    from core.security import _Limit

    limit = _Limit(3, 60, ("now", "before"), elapsed=elapsed)
    assert limit.wait({"now": current, "before": previous}) == pytest.approx(wait)


@pytest.mark.parametrize("backend", ["database", "default"], ids=["database", "memory"])
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_burst_gets_no_more_than_the_rate(settings, backend):
    """300 requests from one address on 16 threads at `100/minute` (issue 25: 141 got
    through when each read the counter, then wrote it): the counter is added to atomically."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import RequestFactory

    from core.security import RequestRateThrottle

    settings.CACHES = {"default": settings.CACHES[backend]}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1000/minute", "address": "100/minute"},
    }
    cache.clear()
    start = threading.Barrier(16)

    def burst(_) -> int:
        start.wait()
        try:
            allowed = 0
            for _ in range(300 // 16 + 1):
                request = RequestFactory().get("/api/v1/partners/", REMOTE_ADDR="192.0.2.7")
                request.user = AnonymousUser()
                allowed += RequestRateThrottle().allow_request(request, None)
            return allowed
        finally:
            connection.close()

    window = int(time.time() // 60)
    with ThreadPoolExecutor(16) as pool:
        allowed = sum(pool.map(burst, range(16)))
    crossed = int(time.time() // 60) != window
    # One window's slack when the burst spans two minutes; otherwise exactly the rate.
    assert allowed <= (200 if crossed else 100)
    assert crossed or allowed == 100
    cache.clear()
