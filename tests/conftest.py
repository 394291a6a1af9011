"""Shared fixtures: users with each role, and the real PostgreSQL database."""

import uuid

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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The owner creates and migrates the test database; the tests run as the runtime role.

    Each connection starts with `SET ROLE <runtime role>` (Django's `assume_role`), so every
    test also shows that the application needs no more than that role's privileges
    (docs/decisions/0017). A test that plays a database administrator steps out of it with
    `tests.roles.as_owner()`; tests/history/test_runtime_role.py logs in as the runtime role itself.
    """
    from django.conf import settings
    from django.db import connection

    with django_db_blocker.unblock():
        connection.close()
    connection.settings_dict["OPTIONS"]["assume_role"] = settings.DATABASE_RUNTIME_ROLE
    yield
    with django_db_blocker.unblock():
        connection.close()
    del connection.settings_dict["OPTIONS"]["assume_role"]


@pytest.fixture(scope="session")
def _anchor_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("ledger-anchors")


@pytest.fixture(autouse=True)
def _ledger_anchor_log(settings, _anchor_folder):
    """Each test signs its ledger checkpoints into a log of its own, as its data is its own."""
    settings.LEDGER_ANCHOR_LOG = str(_anchor_folder / f"{uuid.uuid4().hex}.jsonl")
    settings.LEDGER_ANCHOR_KEY_FILE = str(_anchor_folder / "signing.pem")


@pytest.fixture(scope="session", autouse=True)
def _flush_past_append_only_guards():
    """Let pytest-django empty the database after transactional tests.

    The ledger and history tables refuse TRUNCATE (docs/decisions/0008), and pytest-django's
    flush is a TRUNCATE. Only inside that flush's own transaction, the connection is the
    owner again and triggers are set aside (SET LOCAL ROLE NONE, SET LOCAL
    session_replication_role); every other statement is the runtime role's and meets the
    guards.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if not statements:
            return []
        return [
            "SET LOCAL ROLE NONE",
            "SET LOCAL session_replication_role = replica",
            *statements,
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original
