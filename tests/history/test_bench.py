"""`manage.py bench_history` works end to end at a small size (the full size is in decision
0026). It runs as an operator runs it, in its own process, and makes and drops its own
throwaway database next to the configured one."""

import json
import os
import subprocess
import sys
import uuid

from django.conf import settings


def test_bench_history_runs_small():
    name = f"bench_{uuid.uuid4().hex[:8]}_bench_history"
    command = ["manage.py", "bench_history", "--small", "400", "--large", "2000"]
    done = subprocess.run(  # noqa: S603
        [sys.executable, *command, "--repeat", "1", "--database-name", name],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["400"]["events"] >= 400 and report["2000"]["events"] == 2000
    for size in ("400", "2000"):
        assert all(ms > 0 for key, ms in report[size].items() if key != "events")
    assert set(report["ratios_large_to_small"]) == set(report["2000"]) - {"events"}
