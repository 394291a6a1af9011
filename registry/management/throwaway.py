"""A throwaway database for the benchmarks, next to the configured one (never the dev data).

The owner makes, migrates and drops it (docs/decisions/0017); while it is open, the alias
OWNER is the owner's connection to it and the application's own connection (every thread's)
points at it, so services, views and the test client run against it unchanged.
"""

import contextlib
import copy

import psycopg
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from core.db_roles import owner_alias

OWNER = "throwaway_owner"


@contextlib.contextmanager
def throwaway_database(suffix: str, name: str | None = None, *, keep: bool = False, stdout=None):
    """Create `<current name><suffix>` (or `name`, which must end in `suffix`), migrate it as
    the owner, point the application at it; drop it afterwards unless `keep`."""
    owner = connections[owner_alias()].settings_dict
    name = name or f"{owner['NAME']}{suffix}"
    if name == owner["NAME"] or not name.endswith(suffix):
        raise CommandError(f"--database-name must end in {suffix}.")
    run_as_owner(f'DROP DATABASE IF EXISTS "{name}"')
    run_as_owner(f'CREATE DATABASE "{name}"')
    try:
        settings_dict = copy.deepcopy(owner)
        settings_dict["NAME"] = name
        settings_dict["OPTIONS"].pop("assume_role", None)  # the owner itself (tests)
        connections.settings[OWNER] = settings_dict
        if stdout is not None:
            stdout.write(f"Migrating the throwaway database {name} ...")
        call_command("migrate", database=OWNER, verbosity=0)
        with _default_database(name):
            yield name
    finally:
        connections[OWNER].close()
        if not keep:
            run_as_owner(f'DROP DATABASE IF EXISTS "{name}"')


def run_as_owner(sql: str) -> None:
    """One statement as the owner on the server's `postgres` database (CREATE/DROP DATABASE)."""
    params = connections[owner_alias()].get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("assume_role", None)
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def _default_database(name: str):
    """Point the application's connection (every thread's) at the throwaway database."""
    original = connections.settings[DEFAULT_DB_ALIAS]
    moved = copy.deepcopy(original)
    moved["NAME"] = name
    connections.close_all()
    connections.settings[DEFAULT_DB_ALIAS] = moved
    with contextlib.suppress(AttributeError):
        del connections[DEFAULT_DB_ALIAS]
    try:
        yield
    finally:
        connections.close_all()
        connections.settings[DEFAULT_DB_ALIAS] = original
        with contextlib.suppress(AttributeError):
            del connections[DEFAULT_DB_ALIAS]
