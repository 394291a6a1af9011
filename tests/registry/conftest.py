"""Fixtures of the change feed and webhook tests: token clients for each role."""

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
    cache.clear()


@pytest.fixture(autouse=True)
def _roles(django_db_blocker):
    """The role groups: a transactional test before this one emptied every table."""
    from django.contrib.auth.models import Group

    from core.roles import ROLES

    with django_db_blocker.unblock():
        for name in ROLES:
            Group.objects.get_or_create(name=name)


@pytest.fixture
def editor_api(editor) -> APIClient:
    return token_client(editor)


@pytest.fixture
def auditor_api(auditor) -> APIClient:
    return token_client(auditor)


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    return token_client(admin_user)
