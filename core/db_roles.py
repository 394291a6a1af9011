"""Two database roles, always (docs/decisions/0017).

The **owner** owns the schema and runs `migrate`; the application connects as the **runtime**
role, which owns nothing, is not a superuser, and may only add to (never change or remove) the
waiver ledger, reviews, ledger checks and every history table. So a leaked application
password, or SQL run through the application, cannot rewrite the record: the runtime role
cannot ALTER a table, disable a trigger or set `session_replication_role`, and the
append-only triggers ignore `pgtrigger.ignore` (core/triggers.py).

- `DATABASE_URL` names the owner (the embedded server's superuser when unset).
- `DATABASE_RUNTIME_URL` names the runtime role; by default the same server and database
  as the owner with the user `registry_runtime` (password `DATABASE_RUNTIME_PASSWORD`).
  An application host that must not hold the owner's password sets only this one.
"""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

logger = logging.getLogger(__name__)

OWNER_ALIAS = "owner"
RUNTIME_ROLE = "registry_runtime"

# Written once, never changed or removed by the application (the rest of their guard is in
# the tables' triggers). SourceDocument is not here: a condition's sources stay editable, and
# triggers refuse changes to the sources of reviews and ledger entries.
APPEND_ONLY_TABLES = (
    "conditions_waiverentry",
    "conditions_conditionreview",
    "conditions_ledgercheck",
)
# pghistory upserts a request's context row as it learns more: insert and update, no delete.
CONTEXT_TABLE = "pghistory_context"


# Where every function of ours looks up names: the catalog, then public, and the session's
# temporary schema last. PostgreSQL searches pg_temp FIRST for tables unless the path names it,
# so a path of "pg_catalog, public" alone would still let a temporary table shadow a history
# table (issue 25; docs/decisions/0035-trigger-search-path.md).
SAFE_SEARCH_PATH = "pg_catalog, public, pg_temp"

# pgtrigger's switch, read by every pgtrigger trigger (pghistory's tracking ones included),
# rewritten to answer "no" to the runtime role: it cannot skip a history row either. Each
# migration that installs a trigger puts pgtrigger's version back; `migrate` then runs this.
IGNORE_FUNCTION = """
CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME)
RETURNS BOOLEAN AS $$
    DECLARE
        _pgtrigger_ignore TEXT[];
    BEGIN
        IF pg_has_role(current_user, '{role}', 'MEMBER')
           AND NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
            RETURN FALSE;
        END IF;
        BEGIN
            SELECT INTO _pgtrigger_ignore CURRENT_SETTING('pgtrigger.ignore');
            EXCEPTION WHEN OTHERS THEN
        END;
        RETURN COALESCE(trigger_name = ANY(_pgtrigger_ignore), FALSE);
    END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
"""

# pghistory's context function (installed after each `migrate` by pghistory, replaced here),
# with one change: a context row is fixed once the transaction that created it has committed
# (the `context_closes` trigger refuses any later UPDATE). A request or task whose context
# spans several transactions, and whose labels change after the first, records the later
# transactions' changes under a row of their own (an id derived from the context's and the
# transaction's), with the same request or task id in its metadata.
CONTEXT_FUNCTION = """
CREATE OR REPLACE FUNCTION public._pgh_attach_context()
RETURNS uuid AS $$
    DECLARE
        _pgh_context_id UUID;
        _pgh_context_metadata JSONB;
        _closed_metadata JSONB;
    BEGIN
        BEGIN
            SELECT INTO _pgh_context_id CURRENT_SETTING('pghistory.context_id');
            SELECT INTO _pgh_context_metadata CURRENT_SETTING('pghistory.context_metadata');
            EXCEPTION WHEN OTHERS THEN
        END;
        IF _pgh_context_id IS NULL OR _pgh_context_metadata IS NULL THEN
            RETURN NULL;
        END IF;
        SELECT c.metadata INTO _closed_metadata FROM public.pghistory_context c
         WHERE c.id = _pgh_context_id AND c.created_at <> NOW();
        IF FOUND THEN
            IF _closed_metadata = _pgh_context_metadata THEN
                RETURN _pgh_context_id;
            END IF;
            _pgh_context_id :=
                md5(_pgh_context_id::text || ':' || pg_current_xact_id()::text)::uuid;
        END IF;
        INSERT INTO public.pghistory_context AS c (id, metadata, created_at, updated_at)
            VALUES (_pgh_context_id, _pgh_context_metadata, NOW(), NOW())
            ON CONFLICT (id) DO UPDATE
                SET metadata = EXCLUDED.metadata, updated_at = EXCLUDED.updated_at
                WHERE c.metadata != EXCLUDED.metadata;
        RETURN _pgh_context_id;
    END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
"""

# pghistory's and pgtrigger's trigger functions name their tables unqualified, and each
# migration that installs one replaces it (CREATE OR REPLACE resets its settings): after every
# `migrate`, every PL/pgSQL function of the public schema gets the safe search_path.
PIN_SEARCH_PATHS = """
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
          JOIN pg_catalog.pg_language l ON l.oid = p.prolang
         WHERE n.nspname = 'public' AND l.lanname = 'plpgsql'
           AND pg_catalog.pg_has_role(current_user, p.proowner, 'USAGE')
    LOOP
        EXECUTE pg_catalog.format(
            'ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', f
        );
    END LOOP;
END $$
"""


def database_settings(env, embedded_urls) -> dict:
    """DATABASES: `default` is the runtime role; `owner` (when known) runs migrations.

    `embedded_urls` is called only when neither URL is set; it returns (owner, runtime) URLs.
    """
    owner_url = env("DATABASE_URL", default=None)
    runtime_url = env("DATABASE_RUNTIME_URL", default=None)
    if not owner_url and not runtime_url:
        owner_url, runtime_url = embedded_urls()
    databases = {}
    if owner_url:
        databases[OWNER_ALIAS] = env.db_url_config(owner_url)
    if runtime_url:
        databases["default"] = env.db_url_config(runtime_url)
    else:
        databases["default"] = {
            **databases[OWNER_ALIAS],
            "USER": env("DATABASE_RUNTIME_USER", default=RUNTIME_ROLE),
            "PASSWORD": env("DATABASE_RUNTIME_PASSWORD", default=""),
        }
    for options in databases.values():
        options["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        options["CONN_HEALTH_CHECKS"] = True
        # A database that does not answer fails the request fast (a 503, core/security.py).
        options.setdefault("OPTIONS", {})["connect_timeout"] = env.int(
            "DATABASE_CONNECT_TIMEOUT", default=3
        )
    return databases


def owner_alias() -> str:
    """The connection that owns the schema: `owner`, or `default` where only one is set."""
    return OWNER_ALIAS if OWNER_ALIAS in settings.DATABASES else "default"


def runtime_role() -> str:
    return settings.DATABASE_RUNTIME_ROLE


def grant_runtime_privileges(*, using: str) -> None:
    """Create the runtime role when missing, and give it exactly what the application needs.

    Run by `migrate` (post_migrate) as the owner; every statement is idempotent.
    """
    connection = connections[using]
    role = runtime_role()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
        if owner == role:
            # Not `migrate` (which could not have run as this role): a flush, e.g. after a
            # transactional test, sends post_migrate too. Nothing to grant.
            return
        _ensure_role(cursor, role)
        ident = connection.ops.quote_name(role)
        for statement in _grant_statements(role, ident, connection.ops.quote_name(owner)):
            cursor.execute(statement)
    logger.debug("Granted the runtime role %s its privileges.", role)


def _ensure_role(cursor, role: str) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone():
        return
    cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
    (may_create,) = cursor.fetchone()
    if not may_create:
        raise ImproperlyConfigured(
            f"The runtime role {role!r} does not exist; create it (README, Running in "
            "production) or run `migrate` as a role that may create roles."
        )
    password = settings.DATABASE_RUNTIME_PASSWORD or None
    # Two processes may race to create it (the role is cluster-wide): the loser carries on.
    cursor.execute(
        "DO $$ BEGIN EXECUTE format('CREATE ROLE %%I LOGIN NOSUPERUSER NOCREATEDB "
        "NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %%L', %s, %s); "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$",
        [role, password],
    )


def _grant_statements(role_name: str, role: str, owner: str) -> list[str]:
    from django.apps import apps
    from pghistory.models import Event

    history = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, Event) and not model._meta.proxy
    )
    append_only = ", ".join([*APPEND_ONLY_TABLES, *history])
    role_literal = role_name.replace("'", "''")
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # Tables the owner makes later (a cache table, the next migration) work at once; the
        # next `migrate` narrows them again.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
        f"REVOKE UPDATE, DELETE ON {append_only} FROM {role}",
        f"REVOKE DELETE ON {CONTEXT_TABLE} FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {role}",
        # No temporary tables, functions or operators to shadow the record with. PostgreSQL
        # grants TEMPORARY to PUBLIC by default; the database's owner keeps it.
        "DO $$ BEGIN EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', "
        "current_database()); END $$",
        "DO $$ BEGIN EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM %I', "
        f"current_database(), '{role_literal}'); END $$",
        IGNORE_FUNCTION.replace("{role}", role_literal),
        CONTEXT_FUNCTION,
        PIN_SEARCH_PATHS,
    ]


def grant_after_migrate(sender, using, **kwargs) -> None:
    """post_migrate receiver: after `migrate` as the owner, grant the runtime role."""
    grant_runtime_privileges(using=using)
