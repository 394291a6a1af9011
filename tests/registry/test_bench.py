"""`manage.py bench_webhooks` works end to end at a small size (the full size is in decision
0021). It runs as an operator runs it, in its own process, and makes and drops its own
throwaway database next to the configured one."""

from tests.bench import run_bench


def test_bench_webhooks_runs_small():
    options = ("--changes", "20", "--subscriptions", "2", "--writes", "10")
    report, _ = run_bench("bench_webhooks", *options)
    assert report["delivered"] == report["expected"] == 40
    assert report["drain_deliveries_per_second"] > 0
    assert set(report["outbox_extra_with_subscriptions_ms"]) == {"median_ms", "p99_ms"}
    assert report["delivery_latency"]["p99_ms"] >= report["delivery_latency"]["median_ms"] > 0
    for key in ("write_without_feed", "write_with_feed", "write_with_subscriptions"):
        assert report[key]["p99_ms"] >= report[key]["median_ms"] > 0
