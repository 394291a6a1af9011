"""`manage.py bench_webhooks` works end to end at a small size (the full size is in decision
0021). It runs as an operator runs it, in its own process, and makes and drops its own
throwaway database next to the configured one."""

import json
import os
import subprocess
import sys
import uuid

from django.conf import settings


def test_bench_webhooks_runs_small():
    name = f"bench_{uuid.uuid4().hex[:8]}_bench_webhooks"
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "bench_webhooks",
            "--changes",
            "20",
            "--subscriptions",
            "2",
            "--writes",
            "10",
            "--database-name",
            name,
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["delivered"] == report["expected"] == 40
    assert report["drain_deliveries_per_second"] > 0
    assert set(report["outbox_extra_with_subscriptions_ms"]) == {"median_ms", "p99_ms"}
    assert report["delivery_latency"]["p99_ms"] >= report["delivery_latency"]["median_ms"] > 0
    for key in ("write_without_feed", "write_with_feed", "write_with_subscriptions"):
        assert report[key]["p99_ms"] >= report[key]["median_ms"] > 0
