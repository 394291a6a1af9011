"""Signed anchors outside the database catch what the database's owner can do to the ledger
(issue 13; docs/decisions/0017): delete its tail, forge a check, rewrite and re-hash it, move
or delete its evidence."""

import base64
import datetime
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from conditions.models import LedgerCheck, SourceDocument
from conditions.services import anchors, condition_review_record, waiver_record
from conditions.services.ledger import compute_hash, ledger_verify, verify_chain
from tests.factories import ConditionFactory, ProvisionFactory, waiver_fields
from tests.roles import as_owner

pytestmark = pytest.mark.django_db

SOURCE = {"url": "https://example.gov/pd-2025-1", "publisher": "State", "kind": "official"}


@pytest.fixture
def entries(editor):
    authority = ProvisionFactory(report_deadline_days=15)
    return [
        waiver_record(
            condition=ConditionFactory(),
            actor=editor,
            sources=[SOURCE],  # the same document behind every entry
            **waiver_fields(authority=authority, amount_usd=n * 1000),
        )
        for n in range(1, 5)
    ]


@pytest.fixture
def log(settings) -> Path:
    return Path(settings.LEDGER_ANCHOR_LOG)


def _verify(log):
    call_command("verify_ledger", "--anchors", str(log))


def _tamper(*statements) -> None:
    """What the database's owner can do: set the triggers aside, change rows, restore them."""
    tables = ("conditions_waiverentry", "conditions_sourcedocument", "conditions_conditionreview")
    with as_owner() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for sql, params in statements:
            cursor.execute(sql, params)
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _delete_entry(entry):
    return [
        ("DELETE FROM conditions_sourcedocument WHERE waiver_entry_id = %s", [entry.pk]),
        ("DELETE FROM conditions_waiverentry WHERE id = %s", [entry.pk]),
    ]


def test_every_passed_check_is_signed_and_chained_in_the_log(entries, log):
    _verify(log)
    _verify(log)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(lines) == 2
    first, second = lines
    checks = list(LedgerCheck.objects.order_by("pk"))
    assert [line["check_id"] for line in lines] == [c.pk for c in checks]
    assert first["head_sequence"] == entries[-1].sequence
    assert first["head_hash"] == entries[-1].entry_hash
    assert first["head_id"] == entries[-1].pk and first["entries_checked"] == 4
    assert second["checks_before"] == 1
    assert first["prev"] == "0" * 64 and second["prev"] != first["prev"]
    assert len(base64.b64decode(second["sig"])) == 64  # an Ed25519 signature


def test_deleted_tail_and_forged_check_are_named(entries, log):
    """The attack in issue 13: delete the newest entry with the triggers set aside, then add
    an "ok" check at the new head. The chain alone and the database's checks say intact."""
    _verify(log)
    last, new_head = entries[-1], entries[-2]
    _tamper(*_delete_entry(last))
    forged = LedgerCheck.objects.create(
        ok=True,
        entries_checked=3,
        head_sequence=new_head.sequence,
        head_hash=new_head.entry_hash,
        message="Intact: 3 entries.",
        checked_by="task:verify_ledger",
    )
    assert verify_chain() is None  # the chain alone cannot see a missing tail
    with pytest.raises(CommandError) as failure:
        _verify(log)
    message = str(failure.value)
    assert message.startswith(
        f"The ledger was altered: Entry #{last.pk} (sequence {last.sequence})"
    )
    assert "is missing: the ledger's tail was deleted" in message
    assert f"Ledger check #{forged.pk}" in message and "forged" in message
    check = LedgerCheck.objects.order_by("-pk").first()
    assert not check.ok and check.broken_entry_id == last.pk
    assert check.broken_sequence == last.sequence


def test_rewritten_and_rehashed_ledger_is_named(entries, log):
    """Change an amount and re-hash every later link: the chain holds, the signed head not."""
    _verify(log)
    previous = entries[0].entry_hash
    statements = []
    for entry in entries[1:]:
        if entry == entries[1]:
            entry.amount_usd = 1
        entry.previous_hash = previous
        entry.entry_hash = compute_hash(entry, list(entry.sources.all()), previous)
        statements.append(
            (
                "UPDATE conditions_waiverentry SET amount_usd = %s, previous_hash = %s,"
                " entry_hash = %s WHERE id = %s",
                [entry.amount_usd, entry.previous_hash, entry.entry_hash, entry.pk],
            )
        )
        previous = entry.entry_hash
    _tamper(*statements)
    assert verify_chain() is None
    head = entries[-1]
    with pytest.raises(CommandError, match=rf"Entry #{head.pk} \(sequence {head.sequence}\) no"):
        _verify(log)


def test_source_reattached_to_another_entry_is_caught(entries, log):
    """Two entries cite the same document; swapping their source rows leaves every entry
    hash intact (they hash the content), but not the signed evidence digest."""
    _verify(log)
    one, two = (SourceDocument.objects.get(waiver_entry=e) for e in entries[:2])
    # The first entry's source row goes to the second entry, and the other way round.
    _tamper(
        (
            "UPDATE conditions_sourcedocument SET waiver_entry_id = %s WHERE id = %s",
            [entries[1].pk, one.pk],
        ),
        (
            "UPDATE conditions_sourcedocument SET waiver_entry_id = %s WHERE id = %s",
            [entries[0].pk, two.pk],
        ),
    )
    assert verify_chain() is None
    with pytest.raises(CommandError, match="re-attached"):
        _verify(log)


def test_deleted_source_is_named_at_its_entry(entries, log):
    _verify(log)
    target = entries[1]
    _tamper(("DELETE FROM conditions_sourcedocument WHERE waiver_entry_id = %s", [target.pk]))
    with pytest.raises(CommandError, match=rf"Entry #{target.pk} \(sequence {target.sequence}\)"):
        _verify(log)


def test_review_evidence_moved_or_deleted_is_caught(editor, log):
    condition = ConditionFactory()
    reviews = [
        condition_review_record(
            condition=condition,
            actor=editor,
            reviewed_on=datetime.date(2026, 1, day),
            outcome="met",
            sources=[SOURCE],
        )
        for day in (5, 6)
    ]
    _verify(log)
    source = SourceDocument.objects.get(review=reviews[0])
    _tamper(
        (
            "UPDATE conditions_sourcedocument SET review_id = %s WHERE id = %s",
            [reviews[1].pk, source.pk],
        )
    )
    with pytest.raises(CommandError, match="review was changed, deleted or re-attached"):
        _verify(log)


def test_removed_or_edited_anchor_lines_are_named(entries, log):
    for _ in range(3):
        _verify(log)
    lines = log.read_text().splitlines()
    log.write_text("\n".join([lines[0], lines[2]]) + "\n")
    with pytest.raises(CommandError, match="line 2 does not follow the line before it"):
        _verify(log)
    edited = json.loads(lines[1])
    edited["head_sequence"] = 1
    log.write_text("\n".join([lines[0], json.dumps(edited), lines[2]]) + "\n")
    with pytest.raises(CommandError, match="line 2 has a signature that does not match"):
        _verify(log)


def test_anchors_signed_with_another_key_are_refused(entries, log, tmp_path):
    _verify(log)
    other = tmp_path / "other.pub"
    other.write_text(anchors.public_key_text(Ed25519PrivateKey.generate().public_key()))
    with pytest.raises(CommandError, match="signed with another key"):
        call_command("verify_ledger", "--anchors", str(log), "--public-key", str(other))


def test_public_key_printed_verifies_the_anchors(entries, log, tmp_path, capsys):
    call_command("verify_ledger", "--print-public-key")
    public = tmp_path / "registry.pub"
    public.write_text(capsys.readouterr().out)
    _verify(log)
    call_command("verify_ledger", "--anchors", str(log), "--public-key", str(public))
    assert "intact" in capsys.readouterr().out


def test_checks_missing_from_a_named_log_are_unsigned(entries, log, tmp_path):
    _verify(log)
    check = LedgerCheck.objects.get()
    with pytest.raises(CommandError, match=rf"Ledger check #{check.pk} .* has no signed anchor"):
        call_command("verify_ledger", "--anchors", str(tmp_path / "elsewhere.jsonl"))


def test_production_never_makes_up_a_signing_key(entries, settings, tmp_path):
    settings.LEDGER_ANCHOR_KEY_CREATE = False
    settings.LEDGER_ANCHOR_KEY_FILE = str(tmp_path / "absent.pem")
    with pytest.raises(ImproperlyConfigured, match="No ledger anchor key"):
        ledger_verify(actor="test")
    assert not LedgerCheck.objects.exists()  # no check is recorded without its anchor


def test_key_from_the_environment_signs(entries, settings, log):
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    settings.LEDGER_ANCHOR_KEY = base64.b64encode(raw).decode()
    _verify(log)
    assert json.loads(log.read_text())["key"] == anchors.public_key_text(key.public_key())


def test_each_signed_line_also_goes_to_a_remote_syslog(entries, log, settings):
    import socket

    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    settings.LEDGER_ANCHOR_SYSLOG = f"127.0.0.1:{receiver.getsockname()[1]}"
    try:
        _verify(log)
        datagram = receiver.recv(65536).decode()
    finally:
        receiver.close()
    line = log.read_text().splitlines()[-1]
    assert datagram.startswith("<") and datagram.rstrip("\x00").endswith(line)  # a syslog PRI
    assert "registry-ledger-anchor " in datagram
