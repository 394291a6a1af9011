"""The pieces of `manage.py bench_webhooks` (decision 0021): loopback receivers, timed
writes, and a fan-out of N changes to several subscriptions delivered by parallel workers."""

import http.server
import statistics
import threading
import time
import uuid

from django.db import connections

from partners.services import partner_create
from registry.webhooks.delivery import deliver_subscription


class BenchReceiver:
    """A loopback receiver answering 204 at once and noting when each change arrived."""

    def __init__(self):
        arrivals = self.arrivals = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                arrivals.setdefault(self.headers["webhook-id"], (time.time(), body))
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(values: list[float]) -> dict:
    """Median and p99 in milliseconds."""
    return {
        "median_ms": round(statistics.median(values) * 1000, 3),
        "p99_ms": round(percentile(values, 0.99) * 1000, 3),
    }


def timed_writes(count: int, *, actor) -> list[float]:
    """Seconds per write: one partner created through its service (its own transaction)."""
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        partner_create(actor=actor, name=f"Bench {uuid.uuid4().hex}", kind="company")
        timings.append(time.perf_counter() - started)
    return timings


def write_changes(count: int, *, actor, per_transaction: int = 10) -> dict[int, float]:
    """`count` partner creations, committed in small transactions; id → commit time."""
    from django.db import transaction

    committed = {}
    for start in range(0, count, per_transaction):
        ids = []
        with transaction.atomic():
            for _ in range(min(per_transaction, count - start)):
                ids.append(
                    partner_create(actor=actor, name=f"Fan {uuid.uuid4().hex}", kind="company").pk
                )
        now = time.time()
        committed.update(dict.fromkeys(ids, now))
    return committed


def deliver_until(subscription_id: int, receiver: BenchReceiver, expected: int, stop) -> None:
    """A worker's loop for one subscription, in its own thread and connection."""
    try:
        while len(receiver.arrivals) < expected and not stop.is_set():
            if deliver_subscription(subscription_id, budget_seconds=5) in ("idle", "busy"):
                time.sleep(0.01)
    finally:
        connections.close_all()
