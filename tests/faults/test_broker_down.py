"""The Redis broker stops: pages and the API keep answering (p99 under 2 s), queuing work
gives up fast, and no notification is lost: the outbox is sent once the broker is back."""

import json
import statistics
import subprocess
import time

import pytest

from tests.faults.harness import (
    PYTHON,
    ROOT,
    Browser,
    Gunicorn,
    Redis,
    manage,
    shell,
    wait_until,
)

pytestmark = pytest.mark.faults

ENQUEUE_TIMED = """
import time
from django.db import transaction
from conditions.tasks import enqueue_after_commit, send_notification_digests
started = time.monotonic()
with transaction.atomic():
    enqueue_after_commit(send_notification_digests)
print(round(time.monotonic() - started, 3))
"""

OVERDUE = """
import datetime
from core.registry_day import registry_today
from tests.factories import ConditionFactory
past = registry_today() - datetime.timedelta(days=3)
ConditionFactory.create_batch(3, next_review_due=past, responsible_office="Broker test office")
"""

OUTBOX = """
import json
from conditions.models import Notification
rows = Notification.objects.filter(office="Broker test office")
print(json.dumps([rows.count(), rows.filter(sent_at__isnull=True).count()]))
"""

SEND = """
from conditions.tasks import send_notification_digests
from core.registry_day import registry_today
send_notification_digests.apply_async()
"""


def outbox(env):
    return json.loads(shell(env, OUTBOX).strip().splitlines()[-1])


@pytest.fixture
def redis():
    server = Redis(port=6390)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker_env(stack, redis):
    return {
        **stack.env,
        "CELERY_BROKER_URL": redis.url,
        "NOTIFICATIONS_FALLBACK_EMAIL": "office@example.gov",
    }


def test_pages_and_api_answer_and_nothing_is_lost_with_the_broker_down(stack, redis, broker_env):
    server = Gunicorn(broker_env)
    try:
        person, api = Browser(server.base), Browser(server.base)
        api.session.headers["Authorization"] = f"Token {stack.token}"
        assert person.login(stack.username, stack.password).status_code == 302
        redis.stop()

        timings, statuses = [], []
        for i in range(40):
            for call in (
                lambda: person.get("/partners/"),
                lambda: api.get("/api/v1/partners/"),
                lambda i=i: api.session.post(
                    server.base + "/api/v1/partners/",
                    json={"name": f"Broker-down partner {i}", "kind": "company"},
                    timeout=30,
                ),
            ):
                started = time.monotonic()
                statuses.append(call().status_code)
                timings.append(time.monotonic() - started)
        assert set(statuses) <= {200, 201}, statuses
        p99 = statistics.quantiles(timings, n=100)[98]
        assert p99 < 2.0, p99

        # Queuing background work gives up within the broker timeouts, never fails the caller.
        assert float(shell(broker_env, ENQUEUE_TIMED).strip().splitlines()[-1]) < 5.0

        # The scan writes flags and their outbox rows with the broker down ...
        shell(broker_env, OVERDUE)
        manage(broker_env, "scan_conditions")
        total, unsent = outbox(broker_env)
        assert total == unsent == 3
    finally:
        server.close()

    # ... and once the broker is back, a worker sends every one of them.
    redis.start()
    worker = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"],
        cwd=ROOT,
        env=broker_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        shell(broker_env, SEND)
        wait_until(
            lambda: outbox(broker_env) == [3, 0],
            timeout=90,
            interval=2,
            what="the outbox to be sent",
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
