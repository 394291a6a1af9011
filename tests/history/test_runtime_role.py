"""The application's database role cannot rewrite the record, whatever it sets or tries
(issue 13; docs/decisions/0017). These log in as the runtime role itself, on committed data."""

import datetime

import psycopg
import pytest
from django.apps import apps
from pghistory.models import Event

from conditions.models import SourceDocument
from conditions.services import condition_review_record, waiver_record
from conditions.services.ledger import ledger_verify
from core.db_roles import APPEND_ONLY_TABLES, CONTEXT_TABLE
from tests.factories import ConditionFactory, UserFactory, waiver_fields
from tests.roles import owner_login, runtime_login

pytestmark = pytest.mark.django_db(transaction=True)

SOURCE = {"url": "https://example.gov/doc", "publisher": "State", "kind": "official"}
HISTORY_TABLES = sorted(
    m._meta.db_table for m in apps.get_models() if issubclass(m, Event) and not m._meta.proxy
)


@pytest.fixture
def record():
    """A ledger entry and a review, each with a source, and their history, all committed."""
    editor = UserFactory()  # transactional tests flush the role groups; services need none
    condition = ConditionFactory()
    entry = waiver_record(condition=condition, actor=editor, sources=[SOURCE], **waiver_fields())
    review = condition_review_record(
        condition=condition,
        actor=editor,
        reviewed_on=datetime.date(2026, 1, 5),
        outcome="met",
        sources=[SOURCE],
    )
    kept = SourceDocument.objects.create(condition=condition, **SOURCE)
    assert ledger_verify(actor="test").ok
    return {
        "entry": entry.pk,
        "entry_source": SourceDocument.objects.get(waiver_entry=entry).pk,
        "review": review.pk,
        "review_source": SourceDocument.objects.get(review=review).pk,
        "condition_source": kept.pk,
    }


def _every_trigger_ignored(cursor) -> None:
    """What `pgtrigger.ignore` would need to switch every trigger of the database off."""
    cursor.execute("SELECT string_agg(tgname, ',') FROM pg_trigger WHERE NOT tgisinternal")
    (names,) = cursor.fetchone()
    cursor.execute("SELECT set_config('pgtrigger.ignore', %s, false)", ["{" + names + "}"])


def _refusal(conn, sql: str, params=()) -> str:
    """Run one statement in its own transaction; the error PostgreSQL refuses it with."""
    try:
        with conn.transaction(), conn.cursor() as cursor:
            _every_trigger_ignored(cursor)
            cursor.execute(sql, params)
            return f"ALLOWED ({cursor.rowcount} rows)"
    except psycopg.Error as error:
        return str(error).splitlines()[0]


def test_runtime_role_is_refused_every_bypass(record):
    tried = {
        "SET session_replication_role = replica": "permission denied to set parameter",
        "ALTER TABLE conditions_waiverentry DISABLE TRIGGER USER": "must be owner",
        "ALTER TABLE conditions_sourcedocument DISABLE TRIGGER USER": "must be owner",
        "ALTER TABLE conditions_waiverentryevent DISABLE TRIGGER USER": "must be owner",
        f"UPDATE conditions_waiverentry SET amount_usd = 1 WHERE id = {record['entry']}": (
            "permission denied"
        ),
        f"DELETE FROM conditions_waiverentry WHERE id = {record['entry']}": "permission denied",
        "TRUNCATE conditions_waiverentry CASCADE": "permission denied",
        f"UPDATE conditions_conditionreview SET notes = 'x' WHERE id = {record['review']}": (
            "permission denied"
        ),
        "UPDATE conditions_waiverentryevent SET justification = 'x'": "permission denied",
        "DELETE FROM conditions_waiverentryevent": "permission denied",
        "UPDATE conditions_conditionevent SET title = 'x'": "permission denied",
        "DELETE FROM partners_partnerevent": "permission denied",
        "DELETE FROM conditions_ledgercheck": "permission denied",
        f"DELETE FROM {CONTEXT_TABLE}": "permission denied",
        # Evidence: the table stays writable for a condition's own sources, so the triggers
        # (which ignore pgtrigger.ignore) refuse these.
        f"UPDATE conditions_sourcedocument SET url = 'https://x.test' "
        f"WHERE id = {record['entry_source']}": "pgtrigger: Cannot",
        f"DELETE FROM conditions_sourcedocument WHERE id = {record['entry_source']}": (
            "pgtrigger: Cannot"
        ),
        f"UPDATE conditions_sourcedocument SET review_id = NULL, condition_id = "
        f"(SELECT condition_id FROM conditions_conditionreview WHERE id = {record['review']}) "
        f"WHERE id = {record['review_source']}": "pgtrigger: Cannot",
        f"DELETE FROM conditions_sourcedocument WHERE id = {record['review_source']}": (
            "pgtrigger: Cannot"
        ),
        # A condition's source moved onto a ledger entry would change the entry's evidence.
        f"UPDATE conditions_sourcedocument SET condition_id = NULL, "
        f"waiver_entry_id = {record['entry']} WHERE id = {record['condition_source']}": (
            "pgtrigger: Cannot"
        ),
    }
    with runtime_login() as conn:
        outcomes = {sql: _refusal(conn, sql) for sql in tried}
    wrong = {sql: got for sql, got in outcomes.items() if tried[sql] not in got}
    assert not wrong, wrong


def test_runtime_role_owns_nothing_and_may_only_add_to_the_record(record):
    with runtime_login() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication,"
            " (SELECT count(*) FROM pg_class WHERE relowner = r.oid),"
            " (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)"
            " FROM pg_roles r WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False, False, 0, 0)
        for table in [*APPEND_ONLY_TABLES, *HISTORY_TABLES]:
            cursor.execute(
                "SELECT has_table_privilege(%(t)s, 'SELECT'), has_table_privilege(%(t)s, 'INSERT'),"
                " has_table_privilege(%(t)s, 'UPDATE'), has_table_privilege(%(t)s, 'DELETE'),"
                " has_table_privilege(%(t)s, 'TRUNCATE')",
                {"t": table},
            )
            assert cursor.fetchone() == (True, True, False, False, False), table
        cursor.execute(
            "SELECT has_table_privilege(%(t)s, 'UPDATE'), has_table_privilege(%(t)s, 'DELETE')",
            {"t": CONTEXT_TABLE},
        )
        assert cursor.fetchone() == (True, False)  # pghistory upserts its context rows


def test_condition_sources_stay_editable_by_the_runtime_role(record):
    with runtime_login() as conn, conn.transaction(), conn.cursor() as cursor:
        cursor.execute(
            "UPDATE conditions_sourcedocument SET publisher = 'GAO' WHERE id = %s",
            [record["condition_source"]],
        )
        assert cursor.rowcount == 1


def test_append_only_triggers_ignore_pgtrigger_ignore_even_for_the_owner(record):
    """The owner can set triggers aside only in ways a superuser or owner has (ALTER TABLE,
    session_replication_role), never with the session setting any writer could use."""
    with owner_login() as conn:
        outcomes = {
            sql: _refusal(conn, sql)
            for sql in (
                f"UPDATE conditions_waiverentry SET amount_usd = 1 WHERE id = {record['entry']}",
                f"DELETE FROM conditions_conditionreview WHERE id = {record['review']}",
                "UPDATE conditions_waiverentryevent SET justification = 'x'",
                "DELETE FROM partners_partnerevent",
                f"DELETE FROM conditions_sourcedocument WHERE id = {record['entry_source']}",
                "DELETE FROM conditions_ledgercheck",
                f"DELETE FROM {CONTEXT_TABLE}",
            )
        }
    wrong = {sql: got for sql, got in outcomes.items() if "pgtrigger: Cannot" not in got}
    assert not wrong, wrong


def test_runtime_role_cannot_skip_history_with_pgtrigger_ignore(record):
    """pghistory's tracking triggers ask pgtrigger's switch, which says no to this role."""
    count = "SELECT count(*) FROM conditions_conditionevent WHERE pgh_label = 'update'"
    with runtime_login() as conn, conn.cursor() as cursor:
        cursor.execute(count)
        (before,) = cursor.fetchone()
        with conn.transaction():
            _every_trigger_ignored(cursor)
            cursor.execute("UPDATE conditions_condition SET title = 'Quietly renamed'")
            assert cursor.rowcount == 1
        cursor.execute(count)
        assert cursor.fetchone() == (before + 1,)


def test_runtime_role_cannot_relabel_who_made_a_past_change(record):
    """pghistory upserts a young context row; a day later nobody's session may change it."""
    with owner_login() as conn, conn.transaction(), conn.cursor() as cursor:
        cursor.execute("ALTER TABLE pghistory_context DISABLE TRIGGER USER")
        cursor.execute("UPDATE pghistory_context SET created_at = created_at - interval '2 days'")
        cursor.execute("ALTER TABLE pghistory_context ENABLE TRIGGER USER")
    with runtime_login() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT id::text FROM pghistory_context LIMIT 1")
        (old,) = cursor.fetchone()
        relabel = _refusal(
            conn,
            'UPDATE pghistory_context SET metadata = metadata || \'{"actor": "someone"}\''
            " WHERE id = %s",
            [old],
        )
        assert "Cannot change the context of past changes" in relabel
        with conn.transaction():  # what pghistory does for a context that is still open
            cursor.execute(
                "INSERT INTO pghistory_context (id, metadata, created_at, updated_at)"
                ' VALUES (gen_random_uuid(), \'{"actor": "a"}\', now(), now())'
                " RETURNING id::text"
            )
            (young,) = cursor.fetchone()
        with conn.transaction():
            cursor.execute(
                'UPDATE pghistory_context SET metadata = \'{"actor": "b"}\' WHERE id = %s',
                [young],
            )
            assert cursor.rowcount == 1
