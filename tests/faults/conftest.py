"""One throwaway embedded PostgreSQL for the fault tests, migrated, with an editor and a token."""

import dataclasses

import pytest

from tests.faults.harness import EmbeddedPostgres, app_env, manage, prepare_database

PASSWORD = "fault-test-passphrase-1"


@dataclasses.dataclass
class Stack:
    postgres: EmbeddedPostgres
    env: dict
    username: str
    password: str
    token: str


@pytest.fixture(scope="session")
def stack():
    postgres = EmbeddedPostgres()
    try:
        env = app_env(postgres.url())
        prepare_database(env)
        manage(env, "create_user", "faulty", "--role", "editor", "--password-stdin", stdin=PASSWORD)
        token = manage(env, "issue_token", "faulty").strip().splitlines()[-1]
        yield Stack(postgres, env, "faulty", PASSWORD, token)
    finally:
        postgres.close()
