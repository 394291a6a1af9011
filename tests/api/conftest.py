"""API test fixtures: clients authenticated with real knox tokens for each role."""

import datetime

import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient


def token_client(user) -> APIClient:
    _, key = AuthToken.objects.create(user, expiry=datetime.timedelta(days=90))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Rate-limit counters live in the cache; each test starts with none used.
    cache.clear()


@pytest.fixture
def api(editor) -> APIClient:
    return token_client(editor)


@pytest.fixture
def auditor_api(auditor) -> APIClient:
    return token_client(auditor)


@pytest.fixture
def anon_api(db) -> APIClient:
    return APIClient()
