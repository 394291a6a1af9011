"""Issue 13: files an import must refuse with a plain message and a row, never a traceback."""

import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connections
from django.urls import reverse

from registry.importing.records import import_records
from tests.imports.test_importing import NOTHING, counts, good_rows, to_csv

HEADER = "record_type,name,kind,iso3\n"
HOSTILE_FILES = {
    "field.csv": (HEADER + "partner," + "x" * (129 * 1024) + ",company,\n", 2, "128 KiB"),
    "header.csv": ("record_type,name,name,kind\npartner,A,B,company\n", 1, "column twice: name"),
    "nested.json": ("[" * 50_000 + "]" * 50_000, 0, "nested too deeply"),
    "object.json": ('{"records": ' * 50_000 + "[]" + "}" * 50_000, 0, "nested too deeply"),
    "record.json": (
        json.dumps([{"record_type": "partner", "name": [[[[["x"]]]]]}]),
        1,
        "nested too deeply",
    ),
    "shape.json": ('{"partners": []}', 0, 'a list of records or {"records": [...]}'),
    "strings.json": ('[["partner", "Acme"], "x", 5]', 1, "Unknown record type"),
    "kind.json": (json.dumps([{"record_type": ["partner"], "name": "A"}]), 1, "record type"),
    "nan.csv": (
        "record_type,entry_key,amount_usd\nwaiver,k1,NaN\nwaiver,k2,Infinity\n",
        2,
        "“NaN” is not an amount",
    ),
    "nul.csv": (HEADER + "partner,Ac\x00me,company,\n", 2, "NUL character"),
    "dates.csv": (
        "record_type,entry_key,signed_on,effective_on\nwaiver,k,0001-01-01,2026-1-1\n",
        2,
        "between 1900-01-01 and 2200-12-31",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_a_hostile_file_is_refused_with_a_row_and_a_message(db, editor, name):
    content, row, words = HOSTILE_FILES[name]
    result = import_records(content, actor=editor, dry_run=True, filename=name)
    assert not result.ok
    assert any(e.row == row and words in e.message for e in result.errors), result.errors
    assert counts() == NOTHING


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_the_upload_page_answers_every_hostile_file(client, editor, name):
    client.force_login(editor)
    content, _row, words = HOSTILE_FILES[name]
    upload = SimpleUploadedFile(name, content.encode())
    response = client.post(reverse("imports:upload"), {"file": upload})
    assert response.status_code == 200
    assert words.replace('"', "&quot;") in response.content.decode()
    assert 'name="token"' not in response.content.decode()


@pytest.mark.parametrize("name", ["field.csv", "nested.json", "header.csv", "nan.csv"])
def test_the_command_answers_every_hostile_file_without_a_traceback(db, tmp_path, name, capsys):
    content, row, words = HOSTILE_FILES[name]
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_records", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert f"row {row}" in out and words in out


def test_a_database_refusal_is_told_in_plain_words(leahy, editor, monkeypatch):
    from django.db import DataError

    from registry.importing import records as importing

    def refuse(**kwargs):
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")

    monkeypatch.setattr(importing, "partner_create", refuse)
    result = import_records(to_csv(good_rows()), actor=editor, dry_run=True)
    messages = " ".join(e.message for e in result.errors)
    assert "The database refused this row" in messages
    assert "PostgreSQL" not in messages and "NUL" not in messages


@pytest.mark.django_db(transaction=True)
def test_an_import_dry_run_takes_no_ledger_lock(leahy, editor):
    from conditions.services.ledger import LEDGER_LOCK_KEY

    free = []

    def look_from_another_connection(rows):
        # Called inside the dry run's transaction after each record, waiver entries included.
        def probe():
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LEDGER_LOCK_KEY])
                free.append(cursor.fetchone()[0])
            connections["default"].close()

        thread = threading.Thread(target=probe)
        thread.start()
        thread.join()

    import_records(
        to_csv(good_rows()), actor=editor, dry_run=True, progress=look_from_another_connection
    )
    assert free and all(free)
