"""Webhooks through real Celery workers (and their embedded beat) with faults: the receiver
down then up and answering 500, a worker killed mid-delivery, the broker down.

Each delivery must arrive once (the receiver drops repeats by `webhook-id`), in order.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from registry.models import WebhookDelivery
from registry.webhooks import services
from tests.factories import PartnerFactory
from tests.faults.harness import Redis, free_port
from tests.registry.receiver import Receiver, dumps, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    socket_folder = (db.get("OPTIONS") or {}).get("host")
    if socket_folder:
        return f"postgres://{db['USER']}{password}@/{db['NAME']}?host={socket_folder}"
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


class Worker:
    """`celery worker -B` (its beat dispatches every half second) in its own process group."""

    def __init__(self, tmp_path, broker_url: str, queue: str):
        self.log_path = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "WEBHOOK_DISPATCH_EVERY_SECONDS": "0.5",
            "WEBHOOK_BACKOFF_BASE_SECONDS": "0.2",
            "WEBHOOK_BACKOFF_CAP_SECONDS": "1",
            "WEBHOOK_READ_TIMEOUT_SECONDS": "30",
        }
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-B",
                    "--schedule",
                    str(tmp_path / f"beat-{uuid.uuid4().hex[:6]}"),
                    "--loglevel=INFO",
                    "--concurrency=2",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log_path.read_text()[-4000:]

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


@pytest.fixture
def redis_broker():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    return REDIS_URL


def _subscribe(admin_user, receiver):
    subscription, secret = services.subscription_create(
        actor=admin_user, url=receiver.url, kinds=["partners"]
    )
    receiver.secret = secret
    return subscription


def test_receiver_down_then_up_and_answering_500(tmp_path, admin_user, redis_broker):
    receiver = Receiver(port=free_port())  # not listening yet: the receiver is down
    subscription = _subscribe(admin_user, receiver)
    partners = [PartnerFactory() for _ in range(5)]
    worker = Worker(tmp_path, redis_broker, f"test-{uuid.uuid4().hex[:8]}")
    try:
        down = wait_for(
            lambda: WebhookDelivery.objects.filter(subscription=subscription).count() >= 2, 90
        )
        assert down, worker.output()
        receiver.fail_next = 2
        receiver.start()
        arrived = wait_for(lambda: len(receiver.accepted) == 5, 60)
        assert arrived, worker.output() + dumps(receiver.accepted)
        # The receiver has the fifth request before the worker records its answer.
        delivered = WebhookDelivery.objects.filter(subscription=subscription, status="delivered")
        assert wait_for(lambda: delivered.count() == 5, 30), worker.output()
    finally:
        worker.stop()
        receiver.stop()

    assert receiver.objects() == [("partners", p.pk, "created") for p in partners]
    log = WebhookDelivery.objects.filter(subscription=subscription)
    assert log.filter(response_code__isnull=True, error="no connection").exists()
    assert log.filter(response_code=500).count() == 2
    assert log.filter(status="delivered").count() == 5


def test_a_worker_killed_mid_delivery_leaves_nothing_lost_or_doubled(
    tmp_path, admin_user, redis_broker
):
    receiver = Receiver().start()
    subscription = _subscribe(admin_user, receiver)
    partners = [PartnerFactory() for _ in range(4)]
    receiver.hang_seconds = 4  # the first request waits; the worker dies waiting on it
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = Worker(tmp_path, redis_broker, queue)
    try:
        assert receiver.hanging.wait(90), worker.output()
        worker.kill()
        worker = Worker(tmp_path, redis_broker, queue)
        arrived = wait_for(lambda: len(receiver.accepted) == 4, 90)
        assert arrived, worker.output() + dumps(receiver.accepted)
    finally:
        worker.stop()
        receiver.stop()

    assert receiver.objects() == [("partners", p.pk, "created") for p in partners]
    first = receiver.accepted[0]["webhook_id"]
    assert receiver.attempts.count(first) >= 2  # sent again by the next worker, kept once
    assert len(receiver.attempts) - len(set(receiver.attempts)) >= 1
    assert subscription.deliveries.filter(status="delivered").count() == 4


def test_the_broker_down_holds_up_no_write_and_loses_nothing(tmp_path, admin_user, editor_api):
    broker = Redis(port=free_port())
    broker.start()
    receiver = Receiver().start()
    worker = None
    try:
        subscription = _subscribe(admin_user, receiver)
        queue = f"test-{uuid.uuid4().hex[:8]}"
        worker = Worker(tmp_path, broker.url, queue)
        PartnerFactory()
        assert wait_for(lambda: len(receiver.accepted) == 1, 90), worker.output()

        broker.stop()
        timings = []
        for i in range(5):
            started = time.monotonic()
            response = editor_api.post(
                "/api/v1/partners/", {"name": f"Broker down {i}", "kind": "company"}
            )
            timings.append(time.monotonic() - started)
            assert response.status_code == 201
        assert max(timings) < 2, timings
        time.sleep(2)
        assert len(receiver.accepted) == 1  # nothing can be dispatched without the broker

        broker.start()
        if not worker.alive:
            # kombu can take a worker down when the broker vanishes while a message awaits its
            # acknowledgement; a supervisor (systemd, Kubernetes) starts it again, as here.
            worker = Worker(tmp_path, broker.url, queue)
        # Accepted by the receiver, then recorded by the worker: wait for both before the
        # worker stops (stopping it between the two would lose only this test's view of it).
        delivered = subscription.deliveries.filter(status="delivered")
        arrived = wait_for(lambda: len(receiver.accepted) == 6 and delivered.count() == 6, 120)
        assert arrived, worker.output() + dumps(receiver.accepted)
    finally:
        if worker:
            worker.stop()
        receiver.stop()
        if broker.ping():
            broker.stop()
    names = [m["data"]["id"] for m in receiver.accepted]
    assert len(names) == len(set(names)) == 6
    assert subscription.deliveries.filter(status="delivered").count() == 6
