"""`manage.py bench_scan` works end to end at a tiny size (issue 29: it crashed as shipped and
no test ran it). It runs as an operator runs it, in its own process, and makes and drops its
own throwaway database next to the configured one."""

from tests.bench import run_bench


def test_bench_scan_runs_tiny():
    report, output = run_bench("bench_scan", "--conditions", "300")
    assert report["conditions"] == 300 and report["entries"] > 0
    assert report["raised"] == report["floor_raised"] > 0  # the scan agrees with its floor
    assert not any(report["rerun_written"].values())  # a re-run on unchanged data writes nothing
    assert report["scan_seconds"] > 0 and report["floor_seconds"] > 0
    assert "ratio scan/floor" in output
