"""The hash chain: verify_ledger finds tampering at exactly the altered entry."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory

from conditions.models import LedgerCheck, WaiverEntry
from conditions.services import waiver_record
from conditions.services.ledger import ledger_verify, lock_ledger, verify_chain
from tests.factories import ConditionFactory, ProvisionFactory, waiver_fields
from tests.roles import as_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(editor):
    authority = ProvisionFactory(report_deadline_days=15)
    return [
        waiver_record(
            condition=ConditionFactory(),
            actor=editor,
            sources=[{"url": f"https://example.gov/{n}", "kind": "press"}],
            **waiver_fields(authority=authority, amount_usd=n * 1000),
        )
        for n in range(1, 5)
    ]


def _tamper(sql: str, params) -> None:
    """What a database superuser could do: switch the guards off, change a row, switch back."""
    with as_owner() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in ("conditions_waiverentry", "conditions_sourcedocument"):
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        for table in ("conditions_waiverentry", "conditions_sourcedocument"):
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def test_intact_ledger_passes(entries, capsys):
    call_command("verify_ledger")
    assert "intact" in capsys.readouterr().out
    check = LedgerCheck.objects.first()
    assert check.ok and check.entries_checked == 4
    assert check.head_sequence == entries[-1].sequence


def test_altered_amount_is_reported_at_exactly_that_entry(entries):
    altered = entries[2]
    _tamper("UPDATE conditions_waiverentry SET amount_usd = 1 WHERE id = %s", [altered.pk])
    with pytest.raises(CommandError, match=rf"Entry #{altered.pk} \(sequence {altered.sequence}\)"):
        call_command("verify_ledger")
    check = LedgerCheck.objects.first()
    assert not check.ok and check.broken_entry_id == altered.pk


def test_altered_source_is_reported_at_its_entry(entries):
    target = entries[1]
    _tamper(
        "UPDATE conditions_sourcedocument SET url = 'https://forged.test' "
        "WHERE waiver_entry_id = %s",
        [target.pk],
    )
    assert verify_chain() == target


def test_removed_middle_entry_breaks_the_next_link(entries):
    _tamper("DELETE FROM conditions_sourcedocument WHERE waiver_entry_id = %s", [entries[1].pk])
    _tamper("DELETE FROM conditions_waiverentry WHERE id = %s", [entries[1].pk])
    assert verify_chain() == entries[2]


def test_removed_newest_entry_is_caught_by_the_last_good_check(entries):
    assert ledger_verify(actor="test").ok
    last = entries[-1]
    _tamper("DELETE FROM conditions_sourcedocument WHERE waiver_entry_id = %s", [last.pk])
    _tamper("DELETE FROM conditions_waiverentry WHERE id = %s", [last.pk])
    assert verify_chain() is None  # the chain alone cannot see a missing tail
    check = ledger_verify(actor="test")
    assert not check.ok
    assert f"sequence {last.sequence}" in check.message


def test_chain_cannot_fork_in_the_database(entries):
    first = entries[0]
    clone = WaiverEntry.objects.values().get(pk=entries[1].pk)
    clone.update(id=None, sequence=first.sequence + 10_000, entry_hash="f" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        WaiverEntry.objects.create(**clone)


@pytest.mark.django_db(transaction=True)
def test_ledger_lock_outside_a_transaction_is_refused():
    # In autocommit the advisory lock would end with the statement: writers could fork.
    with pytest.raises(RuntimeError, match="inside a transaction"):
        lock_ledger()


def test_failed_check_shows_the_dashboard_alert(entries, auditor):
    request = RequestFactory().get("/")
    request.user = auditor
    assert "usa-alert" not in render_to_string("includes/ledger_alert.html", request=request)
    _tamper("UPDATE conditions_waiverentry SET justification = 'x' WHERE id = %s", [entries[0].pk])
    ledger_verify(actor="task:verify_ledger")
    html = render_to_string("includes/ledger_alert.html", request=request)
    assert "usa-alert--error" in html
    assert f"#{entries[0].pk}" in html
