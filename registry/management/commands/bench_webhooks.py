"""`manage.py bench_webhooks [--changes N] [--subscriptions S] [--writes W]` (decision 0021).

In a throwaway database next to the configured one (never the dev data), migrated by the
owner, with the application's own connection (the runtime role where there is one):

1. the extra latency the feed (the outbox) adds to a write: W partner creations through
   their service with the feed trigger set aside, then with it, then with S subscriptions
   (median and p99 of each, one run);
2. N changes fanned out to S subscriptions on loopback receivers while S delivery loops
   (one per subscription, as S workers would) send them: p99 latency from commit to arrival,
   and the deliveries per second sustained;
3. the same N × S deliveries replayed from the subscriptions' earlier cursors with nothing
   else running: the deliveries per second when draining a backlog.
"""

import json
import threading
import time

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.test.utils import override_settings

from registry.changes import feed_head
from registry.management.throwaway import OWNER, throwaway_database
from registry.models import WebhookSubscription
from registry.webhooks import bench
from registry.webhooks.services import subscription_create


class Command(BaseCommand):
    help = "Benchmark webhook fan-out and the outbox's cost to a write, in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--changes", type=int, default=10_000)
        parser.add_argument("--subscriptions", type=int, default=5)
        parser.add_argument("--writes", type=int, default=1_000)
        parser.add_argument(
            "--database-name", default=None, help="default: <current>_bench_webhooks"
        )
        parser.add_argument("--keep", action="store_true", help="keep the database afterwards")

    def handle(self, *args, changes, subscriptions, writes, database_name, keep, **options):
        if min(changes, subscriptions, writes) < 1:
            raise CommandError("--changes, --subscriptions and --writes must be at least 1.")
        # Its receivers listen on loopback over http: the one target the registry refuses
        # outside tests and this benchmark (registry/webhooks/targets.py).
        with (
            override_settings(WEBHOOK_ALLOW_LOOPBACK=True),
            throwaway_database("_bench_webhooks", database_name, keep=keep, stdout=self.stdout),
        ):
            report = self._run(changes, subscriptions, writes)
        self.stdout.write(json.dumps(report))

    def _feed_trigger(self, enabled: bool) -> None:
        verb = "ENABLE" if enabled else "DISABLE"
        with connections[OWNER].cursor() as cursor:
            cursor.execute(f"ALTER TABLE partners_partnerevent {verb} TRIGGER registry_feed")

    def _run(self, changes: int, count: int, writes: int) -> dict:
        actor = User.objects.create(username="bench-admin", email="bench@example.gov")
        self.stdout.write(f"Timing {writes} writes without the feed, with it, with {count} ...")
        self._feed_trigger(False)
        without_feed = bench.timed_writes(writes, actor=actor)
        self._feed_trigger(True)
        with_feed = bench.timed_writes(writes, actor=actor)
        receivers = [bench.BenchReceiver() for _ in range(count)]
        try:
            subscriptions = [
                subscription_create(actor=actor, url=r.url, kinds=["partners"])[0]
                for r in receivers
            ]
            with_subscriptions = bench.timed_writes(writes, actor=actor)
            start = feed_head()
            WebhookSubscription.objects.update(cursor_position=start[0], cursor_id=start[1])
            live = self._fan_out(changes, subscriptions, receivers, actor)
            drain = self._replay(changes, subscriptions, receivers, start)
        finally:
            for receiver in receivers:
                receiver.close()
        baseline = bench.summary(without_feed)
        report = {
            "changes": changes,
            "subscriptions": count,
            "writes": writes,
            "write_without_feed": baseline,
            "write_with_feed": bench.summary(with_feed),
            "write_with_subscriptions": bench.summary(with_subscriptions),
            # What the outbox adds to a write: with the feed, and with subscriptions too.
            "outbox_extra_ms": _extra(bench.summary(with_feed), baseline),
            "outbox_extra_with_subscriptions_ms": _extra(
                bench.summary(with_subscriptions), baseline
            ),
            **live,
            **drain,
        }
        self._print(report)
        return report

    def _deliverers(self, subscriptions, receivers, expected, stop):
        threads = [
            threading.Thread(target=bench.deliver_until, args=(s.pk, r, expected, stop))
            for s, r in zip(subscriptions, receivers, strict=True)
        ]
        for thread in threads:
            thread.start()
        return threads

    def _fan_out(self, changes, subscriptions, receivers, actor) -> dict:
        self.stdout.write(f"Fanning {changes} changes out to {len(subscriptions)} receivers ...")
        stop = threading.Event()
        threads = self._deliverers(subscriptions, receivers, changes, stop)
        committed = bench.write_changes(changes, actor=actor)
        for thread in threads:
            thread.join(timeout=max(120, changes / 10))
        stop.set()
        latencies, last = [], 0.0
        for receiver in receivers:
            for arrived, body in receiver.arrivals.values():
                object_id = json.loads(body)["data"]["id"]
                latencies.append(arrived - committed[object_id])
                last = max(last, arrived)
        delivered = len(latencies)
        elapsed = last - min(committed.values())
        return {
            "delivered": delivered,
            "expected": changes * len(subscriptions),
            "live_deliveries_per_second": round(delivered / elapsed, 1),
            "delivery_latency": bench.summary(latencies),
        }

    def _replay(self, changes, subscriptions, receivers, start) -> dict:
        self.stdout.write("Replaying the same deliveries from the earlier cursors ...")
        for receiver in receivers:
            receiver.arrivals.clear()
        WebhookSubscription.objects.update(cursor_position=start[0], cursor_id=start[1])
        stop = threading.Event()
        started = time.monotonic()
        threads = self._deliverers(subscriptions, receivers, changes, stop)
        for thread in threads:
            thread.join(timeout=max(120, changes / 10))
        stop.set()
        elapsed = time.monotonic() - started
        delivered = sum(len(r.arrivals) for r in receivers)
        return {"drain_deliveries_per_second": round(delivered / elapsed, 1)}

    def _print(self, report: dict) -> None:
        write = self.stdout.write
        for key in ("write_without_feed", "write_with_feed", "write_with_subscriptions"):
            values = report[key]
            write(f"{key}: median {values['median_ms']} ms, p99 {values['p99_ms']} ms")
        for key in ("outbox_extra_ms", "outbox_extra_with_subscriptions_ms"):
            extra = report[key]
            write(f"{key}: median {extra['median_ms']} ms, p99 {extra['p99_ms']} ms")
        write(
            f"fan-out: {report['delivered']}/{report['expected']} delivered, "
            f"{report['live_deliveries_per_second']} per second while writing, "
            f"latency median {report['delivery_latency']['median_ms']} ms, "
            f"p99 {report['delivery_latency']['p99_ms']} ms"
        )
        write(f"backlog drain: {report['drain_deliveries_per_second']} deliveries per second")


def _extra(measured: dict, baseline: dict) -> dict:
    return {key: round(measured[key] - baseline[key], 3) for key in baseline}
