"""`manage.py bench_web` works end to end at a tiny size (the committed run is in
docs/benchmarks/bench_web.md). It runs as an operator runs it, in its own process, and makes
and drops its own throwaway database next to the configured one."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from conditions.services import waiver_record
from registry.management.bench_web import rows
from registry.management.bench_web.floors import api_floors
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
    assert pages["API partners/ 100"]["one_row_ms"] > 0
    orderings = [row for row in report["rows"] if "orderings" in row["page"]]
    assert [row["page"].split(" slowest")[0] for row in orderings] == [
        "API agreements/",
        "API conditions/",
        "API waivers/",
        "/agreements/",
        "/conditions/",
        "/waivers/",
    ]
    assert all(row["ratio"] > 0 for row in orderings)
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


def test_each_api_floor_returns_the_api_pages_rows(client, admin_user):
    """A floor is the API page's own rows, in its order and filter, nested lists included."""
    call_command("seed_demo", verbosity=0)
    client.force_login(admin_user)
    connection.ensure_connection()
    area = next(slug for (slug,) in connection.cursor().execute(_AREA_WITH_AGREEMENTS))
    for label, url, statement, params in api_floors(area, term="fighter"):
        page = client.get(url).json()["results"]
        assert page, label  # nothing compared otherwise
        # Django's connection leaves jsonb as text (its fields decode it); the bench's does not.
        floor = [json.loads(row) for (row,) in connection.connection.execute(statement, params)]
        assert [row["id"] for row in floor] == [row["id"] for row in page], label
        for api_row, floor_row in zip(page, floor, strict=True):
            for key, value in api_row.items():
                if isinstance(value, list) and key in floor_row:
                    assert len(floor_row[key]) == len(value), (label, key)
    nested = {"participants", "technology_areas", "legal_bases", "industrial_participants"}
    agreement_floor = api_floors(area)[0][2]
    assert all(f"'{key}'" in agreement_floor for key in nested)


_AREA_WITH_AGREEMENTS = (
    "SELECT a.slug FROM agreements_technologyarea a JOIN agreements_agreementtechnologyarea x"
    " ON x.technology_area_id = a.id GROUP BY a.slug ORDER BY count(*) DESC LIMIT 1"
)
