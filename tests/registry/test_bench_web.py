"""`manage.py bench_web` works end to end at a tiny size (the committed run is in
docs/benchmarks/bench_web.md). It runs as an operator runs it, in its own process, and makes
and drops its own throwaway database next to the configured one."""

import pytest

from tests.bench import run_bench

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
