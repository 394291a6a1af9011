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


@pytest.fixture(scope="session", autouse=True)
def _flush_past_append_only_guards():
    """Let pytest-django empty the database after transactional tests.

    The ledger and history tables refuse TRUNCATE (docs/decisions/0008), and pytest-django's
    flush is a TRUNCATE. Only inside that flush's own transaction, triggers are set aside
    (SET LOCAL session_replication_role); every other statement still meets the guards.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        return ["SET LOCAL session_replication_role = replica", *statements] if statements else []

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original
