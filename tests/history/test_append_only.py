"""The ledger, reviews, their sources and every history table refuse change in the database."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from conditions.models import SourceDocument
from conditions.services import condition_review_record, waiver_record
from core.registry_day import registry_today
from tests.factories import AgreementFactory, ConditionFactory, PartnerFactory, waiver_fields

pytestmark = pytest.mark.django_db

SOURCE = {"url": "https://example.gov/doc", "publisher": "State", "kind": "official"}


def _refused(sql: str, params=()) -> None:
    """Refused to the runtime role the tests run as (by its privileges or a trigger), and by
    the triggers to the tables' owner too (docs/decisions/0017)."""
    for role, refusal in (
        ("", "pgtrigger: Cannot|permission denied"),
        ("NONE", "pgtrigger: Cannot"),
    ):
        with (
            pytest.raises(DatabaseError, match=refusal),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            # The test's own transaction holds deferred FK checks; TRUNCATE needs them settled.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if role:
                cursor.execute("SET LOCAL ROLE NONE")  # undone with the failed savepoint
            cursor.execute(sql, params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == settings.DATABASE_RUNTIME_ROLE


@pytest.fixture
def entry(editor):
    condition = ConditionFactory()
    return waiver_record(condition=condition, actor=editor, sources=[SOURCE], **waiver_fields())


def test_ledger_row_refuses_raw_update_and_delete(entry):
    _refused("UPDATE conditions_waiverentry SET justification = 'x' WHERE id = %s", [entry.pk])
    _refused("DELETE FROM conditions_waiverentry WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.justification == waiver_fields()["justification"]


def test_ledger_refuses_truncate(entry):
    _refused("TRUNCATE conditions_waiverentry CASCADE")


def test_orm_update_of_ledger_is_refused_too(entry):
    from conditions.models import WaiverEntry

    with pytest.raises(DatabaseError), transaction.atomic():
        WaiverEntry.objects.filter(pk=entry.pk).update(official_name="Someone else")


def test_ledger_sources_refuse_update_and_delete(entry):
    source = SourceDocument.objects.get(waiver_entry=entry)
    _refused(
        "UPDATE conditions_sourcedocument SET url = 'https://x.test' WHERE id = %s", [source.pk]
    )
    _refused("DELETE FROM conditions_sourcedocument WHERE id = %s", [source.pk])


def test_review_and_its_sources_refuse_update_and_delete(editor):
    review = condition_review_record(
        condition=ConditionFactory(),
        actor=editor,
        reviewed_on=registry_today(),
        outcome="met",
        sources=[SOURCE],
    )
    _refused("UPDATE conditions_conditionreview SET notes = 'x' WHERE id = %s", [review.pk])
    _refused("DELETE FROM conditions_conditionreview WHERE id = %s", [review.pk])
    _refused("TRUNCATE conditions_conditionreview CASCADE")
    source = SourceDocument.objects.get(review=review)
    _refused("DELETE FROM conditions_sourcedocument WHERE id = %s", [source.pk])


def test_condition_sources_stay_editable():
    condition = ConditionFactory()
    source = SourceDocument.objects.create(condition=condition, **SOURCE)
    SourceDocument.objects.filter(pk=source.pk).update(publisher="GAO")
    source.delete()


@pytest.mark.parametrize(
    "table",
    ["partners_partnerevent", "conditions_waiverentryevent", "agreements_agreementevent"],
)
def test_history_tables_refuse_update_delete_and_truncate(table, entry):
    AgreementFactory()
    _refused(f"UPDATE {table} SET pgh_label = 'x'")  # noqa: S608 (fixed table names)
    _refused(f"DELETE FROM {table}")  # noqa: S608
    _refused(f"TRUNCATE {table}")


def test_every_history_table_refuses_truncate():
    from django.apps import apps
    from pghistory.models import Event

    tables = [
        m._meta.db_table for m in apps.get_models() if issubclass(m, Event) and not m._meta.proxy
    ]
    assert len(tables) >= 15
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
            "WHERE tgname LIKE 'pgtrigger_no_truncate%%'"
        )
        guarded = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= guarded


def test_history_context_rows_cannot_be_deleted(editor):
    PartnerFactory()
    from partners.services import partner_create

    partner_create(actor=editor, name="Ctx Corp", kind="company")
    _refused("DELETE FROM pghistory_context")
    _refused("TRUNCATE pghistory_context CASCADE")
