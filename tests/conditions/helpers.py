"""Helpers for the scan and notification tests."""

import contextlib

import psycopg
from django.db import connection


@contextlib.contextmanager
def other_connection():
    """A second, independent connection to the test database (another process, in effect)."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as conn:
        yield conn


class FailingEmailBackend:
    """An email backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMTP server unreachable")
