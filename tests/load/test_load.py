"""Bounded load test on loopback: 50 locust users for 2 minutes against a gunicorn server this
test starts on 127.0.0.1 with a throwaway embedded PostgreSQL. 0 server errors, and the change
history holds exactly one event per successful write.

Not in the default run (`-m load`): `.venv/bin/pytest -m load tests/load -s`.
LOAD_USERS / LOAD_DURATION shorten it for a quick look.
"""

import csv
import json
import os
import subprocess

import pytest

from tests.faults.harness import (
    PYTHON,
    ROOT,
    EmbeddedPostgres,
    Gunicorn,
    app_env,
    prepare_database,
    shell,
)

pytestmark = [pytest.mark.load, pytest.mark.timeout(900)]

USERS = int(os.environ.get("LOAD_USERS", "50"))
DURATION = os.environ.get("LOAD_DURATION", "2m")
REPORT = ROOT / "var" / "load-report.json"

MAKE_TOKENS = """
from django.contrib.auth.models import Group
from knox.models import AuthToken
from tests.factories import UserFactory
group = Group.objects.get(name="editor")
for i in range({users}):
    user = UserFactory(username=f"load{{i}}", role="editor")
    print(AuthToken.objects.create(user)[1])
"""

EVENTS = """
from partners.models import Partner
events = Partner.pgh_event_model.objects
print(events.filter(pgh_label="insert").count(), events.filter(pgh_label="update").count())
"""


def _run_locust(env, base: str, tokens, stats):
    """Locust, headless, against the server; its statistics go to `<stats>_stats.csv`."""
    return subprocess.run(  # noqa: S603
        [
            PYTHON,
            "-m",
            "locust",
            "-f",
            str(ROOT / "tests/load/locustfile.py"),
            "--headless",
            "-u",
            str(USERS),
            "-r",
            "10",
            "-t",
            DURATION,
            "--host",
            base,
            "--csv",
            str(stats),
            "--only-summary",
            "--stop-timeout",
            "10",
        ],
        cwd=ROOT,
        env={**env, "LOAD_TOKENS_FILE": str(tokens)},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _summary(env, server, stats) -> tuple[dict, dict]:
    """What locust counted, what the server logged and what the history holds."""
    with open(f"{stats}_stats.csv") as table:
        rows = {row["Name"]: row for row in csv.DictReader(table)}
    total = rows["Aggregated"]
    inserts, updates = map(int, shell(env, EVENTS).split()[-2:])
    created = int(rows["POST partner"]["Request Count"]) - int(
        rows["POST partner"]["Failure Count"]
    )
    patch = rows.get("PATCH partner", {"Request Count": "0", "Failure Count": "0"})
    renamed = int(patch["Request Count"]) - int(patch["Failure Count"])
    access = [line for line in server.output().splitlines() if "HTTP/1" in line]
    server_errors = sum(1 for line in access if '" 5' in line)
    # Successful writes as the server answered them (a request in flight when locust
    # stops is done by the server but may never reach locust's tally).
    served_creates = sum(
        1 for line in access if '"POST /api/v1/partners/' in line and '" 201 ' in line
    )
    served_renames = sum(
        1 for line in access if '"PATCH /api/v1/partners/' in line and '" 200 ' in line
    )
    report = {
        "users": USERS,
        "duration": DURATION,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "server_errors": server_errors,
        "rps": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "writes_seen_by_locust": created + renamed,
        "writes_served": served_creates + served_renames,
        "history_events": inserts + updates,
    }
    counted = {"created": created, "renamed": renamed, "inserts": inserts, "updates": updates}
    counted.update(served_creates=served_creates, served_renames=served_renames)
    return report, counted


def test_fifty_users_for_two_minutes(tmp_path):
    postgres = EmbeddedPostgres()
    server = None
    try:
        env = app_env(
            postgres.url(),
            THROTTLE_RATE_USER="100000/minute",
            THROTTLE_RATE_ADDRESS="1000000/minute",
            LOG_LEVEL="WARNING",
        )
        prepare_database(env)
        tokens = tmp_path / "tokens.txt"
        tokens.write_text(shell(env, MAKE_TOKENS.format(users=USERS)))
        server = Gunicorn(env, workers=3, threads=4)
        stats = tmp_path / "run"
        locust = _run_locust(env, server.base, tokens, stats)
        report, n = _summary(env, server, stats)
        REPORT.parent.mkdir(exist_ok=True)
        REPORT.write_text(json.dumps(report, indent=2))
        print("\nload test:", json.dumps(report))
        assert locust.returncode == 0 or report["failures"] == 0, locust.stderr[-3000:]
        assert report["requests"] > 0
        assert report["failures"] == 0, locust.stdout[-3000:]
        assert report["server_errors"] == 0
        assert n["inserts"] == n["served_creates"] and n["updates"] == n["served_renames"]
        assert n["served_creates"] >= n["created"] and n["served_renames"] >= n["renamed"]
    finally:
        if server is not None:
            server.close()
        postgres.close()
