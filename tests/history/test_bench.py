"""`manage.py bench_history` works end to end at a small size (the full size is in decision
0026). It runs as an operator runs it, in its own process, and makes and drops its own
throwaway database next to the configured one."""

from tests.bench import run_bench


def test_bench_history_runs_small():
    report, _ = run_bench(
        "bench_history", "--small", "400", "--large", "2000", "--repeat", "1", "--writes", "30"
    )
    assert report["400"]["events"] >= 400 and report["2000"]["events"] == 2000
    # The writes went through the services: each wrote at least one event.
    assert report["after_writes"]["events"] >= 2030 and report["after_writes"]["writes"] == 30
    timed = set(report["2000"]) - {"events", "queries"}
    for size in ("400", "2000", "after_writes"):
        assert all(report[size][key] > 0 for key in timed)
        assert set(report[size]["queries"]) == timed
        assert all(n > 0 for n in report[size]["queries"].values())
    assert set(report["ratios_large_to_small"]) == timed
    assert set(report["ratios_after_writes_to_small"]) == timed
