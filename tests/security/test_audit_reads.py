"""Reads of the waiver ledger and the change history are logged with user, time and object."""

import logging

import pytest

from conditions.services.waivers import waiver_record
from tests.factories import ConditionFactory, waiver_fields


def audit_lines(caplog):
    return [r for r in caplog.records if r.name == "registry.audit"]


@pytest.fixture
def entry(editor):
    return waiver_record(condition=ConditionFactory(), actor=editor, **waiver_fields())


@pytest.mark.django_db
def test_ledger_list_and_entry_reads_are_logged(client, auditor, entry, caplog):
    client.force_login(auditor)
    caplog.set_level(logging.INFO, logger="registry.audit")
    assert client.get("/api/v1/waivers/").status_code == 200
    assert client.get(f"/api/v1/waivers/{entry.pk}/").status_code == 200
    lines = audit_lines(caplog)
    assert len(lines) == 2
    assert all("user=auditor" in r.getMessage() for r in lines)
    assert f"object=pk={entry.pk}" in lines[1].getMessage()
    assert lines[1].created  # the record's time; the formatter prints it


@pytest.mark.django_db
def test_waiver_history_and_change_history_reads_are_logged(client, auditor, entry, caplog):
    client.force_login(auditor)
    caplog.set_level(logging.INFO, logger="registry.audit")
    path = f"/api/v1/conditions/{entry.condition_id}/waiver-history/"
    assert client.get(path).status_code == 200
    assert client.get("/history/").status_code == 200
    messages = [r.getMessage() for r in audit_lines(caplog)]
    assert any(f"path={path}" in m for m in messages)
    assert any("path=/history/" in m for m in messages)


@pytest.mark.django_db
def test_other_reads_and_refused_reads_are_not_logged(client, auditor, caplog):
    caplog.set_level(logging.INFO, logger="registry.audit")
    assert client.get("/api/v1/waivers/").status_code in (401, 403)  # anonymous
    client.force_login(auditor)
    assert client.get("/api/v1/partners/").status_code == 200
    assert audit_lines(caplog) == []
