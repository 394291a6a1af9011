"""A real Celery worker and beat, as separate processes, against the test database.

Beat runs with SCAN_EVERY_SECONDS so the scheduled scan and digest entries fire within
seconds; the worker runs them, and the flags and sent notifications appear in PostgreSQL.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from conditions.models import Flag, Notification
from core.registry_day import registry_today
from tests.factories import ConditionFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
TODAY = registry_today()


def _database_url() -> str:
    """The test database's URL for a subprocess: TCP, or the embedded server's socket folder."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    socket_folder = (db.get("OPTIONS") or {}).get("host")
    if socket_folder:
        return f"postgres://{db['USER']}{password}@/{db['NAME']}?host={socket_folder}"
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def _start(args, env, log):
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for(predicate, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def _run_scheduled_tasks(tmp_path, broker_url):
    overdue = ConditionFactory(
        next_review_due=TODAY - datetime.timedelta(days=2), responsible_email="drl@example.gov"
    )
    soon = ConditionFactory(
        next_review_due=TODAY + datetime.timedelta(days=3), responsible_email="dsca@example.gov"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
        "SCAN_EVERY_SECONDS": "2",
        # A queue of our own, so messages of other runs on a shared Redis never reach us.
        "CELERY_TASK_DEFAULT_QUEUE": f"test-{uuid.uuid4().hex[:8]}",
    }
    for folder in ("queue", "processed"):
        (tmp_path / "broker" / folder).mkdir(parents=True)
    log_path = tmp_path / "celery.log"
    with open(log_path, "wb") as log:
        worker = _start(["worker", "--loglevel=INFO", "--concurrency=1"], env, log)
        beat = _start(
            ["beat", "--loglevel=INFO", "--schedule", str(tmp_path / "beat-schedule")], env, log
        )
        try:
            flagged = _wait_for(
                lambda: (
                    Flag.objects.count() == 2
                    and not Notification.objects.filter(sent_at__isnull=True).exists()
                )
            )
        finally:
            _stop(beat)
            _stop(worker)
    output = log_path.read_text()
    assert flagged, output[-4000:]
    assert set(Flag.objects.values_list("condition_id", "kind")) == {
        (overdue.pk, "review_overdue"),
        (soon.pk, "review_due_soon"),
    }
    assert "conditions.tasks.scan_conditions" in output
    assert Flag.objects.count() == 2  # later scheduled runs added nothing


def test_scheduled_scan_on_a_real_worker_with_redis(tmp_path):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    _run_scheduled_tasks(tmp_path, REDIS_URL)


def test_scheduled_scan_on_the_embedded_filesystem_transport(tmp_path):
    _run_scheduled_tasks(tmp_path, "filesystem://")
