"""Stepping out of the runtime role the tests run as (tests/conftest.py, decision 0017)."""

import contextlib

from django.conf import settings
from django.db import connection


@contextlib.contextmanager
def as_owner():
    """Act as the test database's owner (a superuser) inside the current transaction:
    what a database administrator could do, which the runtime role cannot."""
    with connection.cursor() as cursor:
        cursor.execute("SET ROLE NONE")
        try:
            yield cursor
        finally:
            role = connection.ops.quote_name(settings.DATABASE_RUNTIME_ROLE)
            cursor.execute(f"SET ROLE {role}")


def runtime_login(**options):
    """A new connection that logs in as the runtime role itself (no SET ROLE to undo)."""
    import psycopg

    params = connection.get_connection_params()
    for name in ("cursor_factory", "context", "prepare_threshold", "assume_role"):
        params.pop(name, None)
    params.update(
        user=settings.DATABASE_RUNTIME_ROLE,
        password=settings.DATABASE_RUNTIME_PASSWORD or None,
        **options,
    )
    return psycopg.connect(**params)


def owner_login(**options):
    """A new connection as the test database's owner (a superuser here)."""
    import psycopg

    params = connection.get_connection_params()
    for name in ("cursor_factory", "context", "prepare_threshold", "assume_role"):
        params.pop(name, None)
    return psycopg.connect(**params, **options)
