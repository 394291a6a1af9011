"""`manage.py bench_history [--small N] [--large M]`: history reads against their floor, at scale.

In a throwaway database next to the configured one (never the dev data), migrated by the
owner: the demo data set is loaded through the services, then its event rows are copied, as
the owner and set-based (INSERT ... SELECT generate_series), until the history holds N events,
each older than the last, with one context per three events; the reads are timed; the
history grows to M events and they are timed again; then `--writes` changes are made through
the services, as people make them (each in its own transaction and context: one partner
created and then edited in turn, a tenth of them new partners), and the reads are timed a
third time (docs/decisions/0026-bounded-history.md, 0042-previous-version-by-index.md):

- the dashboard's recent changes (`recent_changes()`), and the whole dashboard page;
- the change log's first page, and a page nine tenths of the way down (a keyset cursor);
- `/api/v1/history/`'s first page;
- one partner's history page, and the change log filtered to one user (`?user=`);
- the FLOOR: the first page's rows (time, id, row data) through one raw SQL statement, a
  newest-first scan of each event table merged, with no context, diff or rendering.

Each timing is the median of `--repeat` runs after one warm-up. The last line of output is
the report as JSON.
"""

import datetime
import json
import statistics
import time

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.history.context import history_context
from core.history.events import decode_cursor, encode_cursor, load_events
from core.history.slice import Position, event_models
from core.management.commands.create_user import save_user_with_role
from core.roles import AUDITOR
from partners.models import Partner
from partners.services import partner_create, partner_update
from registry.dashboard import recent_changes
from registry.management.throwaway import OWNER, throwaway_database

SUFFIX = "_bench_history"
AFTER_WRITES = "after_writes"
SPACING_SECONDS = 60  # one generated event a minute, going back in time

CONTEXTS_SQL = """
INSERT INTO pghistory_context (id, metadata, created_at, updated_at)
SELECT md5('bench-context:' || c)::uuid,
       jsonb_build_object('actor', 'bench' || (c %% 40), 'user', c %% 40,
                          'channel', (ARRAY['web', 'api', 'admin', 'task', 'shell'])[c %% 5 + 1],
                          'request_id', md5(c::text)),
       %(base)s - make_interval(secs => 3 * c * %(spacing)s),
       %(base)s - make_interval(secs => 3 * c * %(spacing)s)
FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) c
ON CONFLICT (id) DO NOTHING
"""


class Command(BaseCommand):
    help = "Benchmark the change history's pages at two sizes against a raw SQL floor."

    def add_arguments(self, parser):
        parser.add_argument("--small", type=int, default=20_000)
        parser.add_argument("--large", type=int, default=1_000_000)
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument(
            "--writes", type=int, default=10_000, help="writes through the services at the end"
        )
        parser.add_argument("--database-name", default=None, help=f"default: <current>{SUFFIX}")
        parser.add_argument("--keep", action="store_true", help="keep the database afterwards")

    def handle(self, *args, small, large, repeat, writes, database_name, keep, **options):
        if not 0 < small < large or repeat < 1 or writes < 0:
            raise CommandError("Need 0 < --small < --large, --repeat >= 1 and --writes >= 0.")
        with throwaway_database(SUFFIX, database_name, keep=keep, stdout=self.stdout):
            report = self._run(small, large, repeat, writes)
        self.stdout.write(json.dumps(report))

    def _run(self, small, large, repeat, writes):
        call_command("seed_demo", stdout=self.stdout)
        auditor = User(username="bench-auditor")
        save_user_with_role(user=auditor, role=AUDITOR, password=None)
        client = Client()
        client.force_login(auditor)
        with connections[OWNER].cursor() as cursor:
            cursor.execute("SELECT now()")
            base = cursor.fetchone()[0]
        sources = self._sources()
        report = {}
        for size in (small, large):
            self._grow(size, base, sources)
            report[str(size)] = self._measure(client, size, base, repeat)
            self.stdout.write(f"{size:,} events: {json.dumps(report[str(size)])}")
        report["ratios_large_to_small"] = {
            key: round(report[str(large)][key] / report[str(small)][key], 2)
            for key in report[str(small)]
            if key not in ("events", "queries")
        }
        self._write(writes)
        after = report[AFTER_WRITES] = self._measure(client, large, base, repeat)
        after["writes"] = writes
        self.stdout.write(f"after {writes:,} writes: {json.dumps(after)}")
        report["ratios_after_writes_to_small"] = {
            key: round(after[key] / report[str(small)][key], 2)
            for key in report[str(small)]
            if key not in ("events", "queries")
        }
        return report

    def _write(self, writes: int):
        """`writes` changes through the services, each its own transaction and context, by
        one of 40 users over the API: a new partner every tenth write, else an edit of the
        partner made last, so the newest events (and each user's) are inserts and updates."""
        partner = None
        for n in range(writes):
            actor = f"bench{(n + n // 10) % 40}"  # each user both creates and edits
            with transaction.atomic(), history_context(actor=actor, channel="api"):
                if partner is None or n % 10 == 0:
                    partner = partner_create(
                        actor=actor, name=f"Bench partner {n}", kind=Partner.Kind.COMPANY
                    )
                else:
                    partner = partner_update(partner=partner, actor=actor, notes=f"Edit {n}")

    def _sources(self) -> list[tuple]:
        """Per event table that seeding wrote to: its name, columns and last seeded id."""
        sources = []
        with connections[OWNER].cursor() as cursor:
            for event_model in event_models():
                table = event_model._meta.db_table
                cursor.execute(f'SELECT max(pgh_id) FROM "{table}"')  # noqa: S608  # nosec B608
                last_seeded = cursor.fetchone()[0]
                if last_seeded:
                    columns = [f.column for f in event_model._meta.concrete_fields]
                    sources.append((table, [c for c in columns if c != "pgh_id"], last_seeded))
        return sources

    def _grow(self, target: int, base, sources):
        """Add generated events (and contexts) until the history holds `target` events."""
        with connections[OWNER].cursor() as cursor:
            have = _count_events(cursor)
            if have >= target:
                return
            lo, hi = have + 1, target
            contexts = {"lo": lo // 3 + 1, "hi": hi // 3 + 1}
            cursor.execute(CONTEXTS_SQL, {"base": base, "spacing": SPACING_SECONDS, **contexts})
            shared = {"lo": lo, "hi": hi, "tables": len(sources), "base": base}
            for rank, (table, columns, last_seeded) in enumerate(sources):
                # Event g (every len(sources)-th, from this table) copies a seeded row.
                chosen = ", ".join(_generated(c) for c in columns)
                cursor.execute(
                    f'INSERT INTO "{table}" ({", ".join(columns)})'  # noqa: S608  # nosec B608
                    f" SELECT {chosen} FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g"
                    f' JOIN (SELECT *, row_number() OVER (ORDER BY pgh_id) - 1 AS n FROM "{table}"'
                    "       WHERE pgh_id <= %(last)s) src"
                    " ON src.n = g %% (SELECT count(*) FROM"
                    f'     "{table}" WHERE pgh_id <= %(last)s)'
                    " WHERE g %% %(tables)s = %(rank)s",
                    {**shared, "last": last_seeded, "rank": rank, "spacing": SPACING_SECONDS},
                )
            cursor.execute("VACUUM ANALYZE")

    def _measure(self, client, size, base, repeat) -> dict:
        deep = _cursor_at(base - datetime.timedelta(seconds=int(size * 0.9) * SPACING_SECONDS))
        timings = {
            "recent_changes": lambda: recent_changes(),
            "dashboard_page": lambda: _get(client, "/"),
            "change_log_first_page": lambda: _get(client, "/history/"),
            "change_log_deep_page": lambda: _get(client, "/history/", {"cursor": deep}),
            "api_first_page": lambda: _get(client, "/api/v1/history/"),
            "change_log_user_filter": lambda: _get(client, "/history/", {"user": "bench7"}),
            "object_history_page": lambda: _get(client, "/history/partners.partner/1/"),
            "floor_first_page": lambda: _floor(None),
            "floor_deep_page": lambda: _floor(_position(deep)),
        }
        with connections[OWNER].cursor() as cursor:
            measured = {"events": _count_events(cursor)}
        queries = {}
        for name, run in timings.items():
            measured[name] = _median_ms(run, repeat)
            with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as captured:
                run()
            queries[name] = len(captured.captured_queries)
        measured["queries"] = queries
        return measured


def _generated(column: str) -> str:
    """The value a generated event takes in `column`: the seeded row's, except its time (one
    event a minute back from the start) and its context (one in three events share one)."""
    if column == "pgh_created_at":
        return "%(base)s - make_interval(secs => g * %(spacing)s)"
    if column == "pgh_context_id":
        return "md5('bench-context:' || (g / 3 + 1))::uuid"
    return f"src.{column}"


def _count_events(cursor) -> int:
    tables = [m._meta.db_table for m in event_models()]
    cursor.execute(
        "SELECT " + " + ".join(f'(SELECT count(*) FROM "{t}")' for t in tables)  # noqa: S608  # nosec B608
    )
    return cursor.fetchone()[0]


def _cursor_at(moment) -> str:
    """A change-log cursor just above the newest event at or before `moment`."""
    conn = connections[DEFAULT_DB_ALIAS]
    best = None
    with conn.cursor() as cursor:
        for event_model in event_models():
            cursor.execute(
                f'SELECT pgh_created_at, pgh_id FROM "{event_model._meta.db_table}"'  # noqa: S608  # nosec B608
                " WHERE pgh_created_at <= %s ORDER BY pgh_created_at DESC, pgh_id DESC LIMIT 1",
                [moment],
            )
            row = cursor.fetchone()
            if row and (best is None or row[0] > best.at):
                best = Position(row[0], event_model._meta.label, row[1])
    return encode_cursor(load_events([best])[0], newer=False)


def _position(cursor: str) -> Position:
    return decode_cursor(cursor)[0]


def _floor(start: Position | None, size: int = 50) -> list:
    """The page's rows through one raw statement: each table newest first, merged."""
    branches, params = [], []
    for event_model in event_models():
        where = "TRUE" if start is None else "pgh_created_at < %s"
        branches.append(
            f"(SELECT pgh_created_at, pgh_id, to_jsonb(e) FROM "  # noqa: S608  # nosec B608
            f'"{event_model._meta.db_table}" e WHERE {where}'
            " ORDER BY pgh_created_at DESC, pgh_id DESC LIMIT %s)"
        )
        params += ([] if start is None else [start.at]) + [size]
    sql = " UNION ALL ".join(branches) + " ORDER BY 1 DESC, 2 DESC LIMIT %s"
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, [*params, size])
        return cursor.fetchall()


def _get(client, url, query=None):
    response = client.get(url, query or {})
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")
    return response


def _median_ms(run, repeat: int) -> float:
    run()  # warm-up: plans, caches, the first connection
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)
