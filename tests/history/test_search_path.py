"""No session can write without its history and feed rows, and a past change's context is
fixed once its transaction is over (issue 25; docs/decisions/0035-trigger-search-path.md).
These log in as the runtime role, and as the owner (who may still make temporary tables), on
committed data."""

import pghistory
import psycopg
import pytest
from django.db import transaction

from partners.models import Partner
from tests.factories import PartnerFactory
from tests.roles import owner_login, runtime_login

pytestmark = pytest.mark.django_db(transaction=True)

# What the issue tried: tables of the same names in the session's temporary schema, and a
# search_path that puts that schema first.
SHADOW = [
    "CREATE TEMP TABLE partners_partnerevent ON COMMIT DROP"
    " AS SELECT * FROM public.partners_partnerevent WITH NO DATA",
    "CREATE TEMP TABLE registry_change ON COMMIT DROP"
    " AS SELECT * FROM public.registry_change WITH NO DATA",
    "CREATE TEMP TABLE pghistory_context ON COMMIT DROP"
    " AS SELECT * FROM public.pghistory_context WITH NO DATA",
    "CREATE TEMP TABLE conditions_waiverentry ON COMMIT DROP"
    " AS SELECT * FROM public.conditions_waiverentry WITH NO DATA",
    "SET LOCAL search_path = pg_temp, public, pg_catalog",
]


def _counts(cursor, partner_id: int) -> tuple[int, int]:
    cursor.execute(
        "SELECT (SELECT count(*) FROM public.partners_partnerevent WHERE pgh_obj_id = %(p)s),"
        " (SELECT count(*) FROM public.registry_change"
        "   WHERE resource = 'partners' AND object_id = %(p)s)",
        {"p": partner_id},
    )
    return cursor.fetchone()


def _refusal(conn, sql: str) -> str:
    try:
        with conn.transaction(), conn.cursor() as cursor:
            cursor.execute(sql)
            return "ALLOWED"
    except psycopg.Error as error:
        return str(error).splitlines()[0]


def test_runtime_role_may_not_create_temporary_objects():
    tried = [
        SHADOW[0],
        "CREATE FUNCTION pg_temp._pgh_attach_context() RETURNS uuid"
        " LANGUAGE sql AS 'SELECT NULL::uuid'",
        "CREATE FUNCTION pg_temp.shadow_eq(bigint, bigint) RETURNS boolean"
        " LANGUAGE sql AS 'SELECT false'",
    ]
    with runtime_login() as conn:
        outcomes = {sql: _refusal(conn, sql) for sql in tried}
    wrong = {sql: got for sql, got in outcomes.items() if "permission denied" not in got}
    assert not wrong, wrong
    with runtime_login() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT has_database_privilege(current_database(), 'TEMPORARY')")
        assert cursor.fetchone() == (False,)


@pytest.mark.parametrize("login", [runtime_login, owner_login], ids=["runtime", "owner"])
def test_a_temporary_shadow_does_not_swallow_history_or_the_feed(login):
    """The runtime role is refused the shadow; the owner (who may make temporary tables, and
    a shadowing operator in its temporary schema) still gets every history and feed row."""
    partner = PartnerFactory()
    with login() as conn, conn.cursor() as cursor:
        before = _counts(cursor, partner.pk)
        with conn.transaction():
            for sql in SHADOW:
                try:
                    with conn.transaction():
                        cursor.execute(sql)
                except psycopg.errors.InsufficientPrivilege:
                    pass  # the runtime role: no temporary schema at all
            if login is owner_login:
                cursor.execute(
                    "CREATE FUNCTION pg_temp.never_eq(bigint, bigint) RETURNS boolean"
                    " LANGUAGE sql AS 'SELECT false'"
                )
                cursor.execute(
                    "CREATE OPERATOR pg_temp.= (LEFTARG = bigint, RIGHTARG = bigint,"
                    " FUNCTION = pg_temp.never_eq)"
                )
            cursor.execute(
                "UPDATE public.partners_partner SET name = 'Quietly renamed' WHERE id = %s",
                [partner.pk],
            )
            assert cursor.rowcount == 1
        after = _counts(cursor, partner.pk)
    assert after == (before[0] + 1, before[1] + 1)


def test_every_function_of_ours_pins_its_search_path():
    with owner_login() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, p.proconfig FROM pg_proc p"
            " JOIN pg_namespace n ON n.oid = p.pronamespace"
            " JOIN pg_language l ON l.oid = p.prolang"
            " WHERE n.nspname = 'public' AND l.lanname = 'plpgsql'"
        )
        functions = dict(cursor.fetchall())
    assert len(functions) > 50  # every history, append-only and feed trigger
    wrong = {
        name: config
        for name, config in functions.items()
        if "search_path=pg_catalog, public, pg_temp" not in (config or [])
    }
    assert not wrong, wrong


def test_a_context_is_fixed_once_its_transaction_commits():
    with pghistory.context(actor="alice", channel="web"):
        PartnerFactory()
    with runtime_login() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT id::text FROM pghistory_context ORDER BY created_at DESC LIMIT 1")
        (closed,) = cursor.fetchone()
        refused = _refusal(
            conn,
            'UPDATE pghistory_context SET metadata = metadata || \'{"actor": "mallory"}\''
            f" WHERE id = '{closed}'",
        )
    assert "Cannot change the context of past changes" in refused


def test_a_context_spanning_transactions_labels_each_change_as_it_was():
    """A request or task whose labels change after its first transaction: the later
    changes get a context row of their own, with the request's other labels."""
    partner = PartnerFactory()
    with pghistory.context(channel="task", request_id="req-12345678"):
        with transaction.atomic(), pghistory.context(actor="alice"):
            Partner.objects.filter(pk=partner.pk).update(name="First")
        with transaction.atomic(), pghistory.context(actor="bob"):
            Partner.objects.filter(pk=partner.pk).update(name="Second")
        with transaction.atomic(), pghistory.context(actor="bob"):
            Partner.objects.filter(pk=partner.pk).update(name="Third")
    events = partner.events.order_by("pgh_id").filter(pgh_label="update")
    labels = [
        (e.name, e.pgh_context.metadata["actor"], e.pgh_context.metadata["request_id"])
        for e in events
    ]
    assert labels == [
        ("First", "alice", "req-12345678"),
        ("Second", "bob", "req-12345678"),
        ("Third", "bob", "req-12345678"),
    ]
