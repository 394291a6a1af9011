"""`manage.py bench_history` works end to end at a small size (the full size is in decision
0026). It runs as an operator runs it, in its own process, and makes and drops its own
throwaway database next to the configured one."""

from tests.bench import run_bench


def test_bench_history_runs_small():
    report, _ = run_bench("bench_history", "--small", "400", "--large", "2000", "--repeat", "1")
    assert report["400"]["events"] >= 400 and report["2000"]["events"] == 2000
    for size in ("400", "2000"):
        assert all(ms > 0 for key, ms in report[size].items() if key != "events")
    assert set(report["ratios_large_to_small"]) == set(report["2000"]) - {"events"}
