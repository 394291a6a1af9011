"""`manage.py bench_web` works end to end at a tiny size (the committed run is in
docs/benchmarks/bench_web.md). It runs as an operator runs it, in its own process, and makes
and drops its own throwaway database next to the configured one."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from conditions.services import waiver_record
from registry.management.bench_web import rows
from tests.bench import run_bench
from tests.factories import ConditionFactory, RequirementFactory, waiver_fields

# The database fixtures of tests/registry/conftest.py need the test database set up.
pytestmark = pytest.mark.django_db


def test_bench_web_runs_tiny():
    report, output = run_bench("bench_web", "--scale", "0.001", "--repeat", "1")
    assert report["sizes"]["agreements"] == 100
    pages = {row["page"]: row for row in report["rows"]}
    assert len(pages) >= 25
    assert pages["every GET: session writes"]["met"] is True
    assert pages["/waivers/ deep page"]["queries"] > 0
    assert pages["API agreements/ 100"]["ratio"] > 0
    assert "| page | ms | floor ms | ratio |" in output and "Its plan:" in output


def test_the_waiver_csv_floor_writes_the_exports_bytes(client, auditor, editor):
    """The floor is the same rows through raw psycopg and csv.writer, not a smaller job."""
    condition = ConditionFactory(title="=Condition")
    RequirementFactory(condition=condition, label="(a)(1)")
    waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(
            authority=condition.legal_basis,
            official_title="@Secretary",
            requirements_waived=["(a)(1)"],
            amount_usd=Decimal("5.00"),
            justification="-1, with a comma",
        ),
    )
    client.force_login(auditor)
    export = b"".join(client.get(reverse("conditions:waiver_export")).streaming_content)
    connection.ensure_connection()
    floor = "".join(rows.csv_floor_chunks(connection.connection, rows.waiver_csv_floor))
    assert floor.encode() == export
    assert "'@Secretary" in floor and "'=Condition" in floor
