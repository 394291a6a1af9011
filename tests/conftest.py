"""Shared fixtures: users with each role, and the real PostgreSQL database."""

import pytest

from tests.factories import UserFactory

pytest_plugins = ("celery.contrib.pytest",)


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role="editor")


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", role="auditor")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role="admin")
