"""`manage.py bench_web [--scale S]`: every page and endpoint of issue 14 against its floor.

In a throwaway database next to the configured one (never the dev data), migrated by the
owner: the demo data set is loaded through the services; then, as the owner and set-based
(INSERT ... SELECT generate_series, triggers set aside for generation only), 100,000 x S
agreements with 2-4 participants, 20,000 x S conditions, 40,000 x S waiver entries (a grant
and an extension each) and about 950,000 x S change-history events are cloned from the
seeded rows (registry/management/bench_web/data.py: every column a seeded row has, so a
new column needs no change there). Then every row of the issue's table is timed in-process, as a
signed-in admin: each page against its FLOOR (the same rows through raw psycopg and orjson,
or the API page for an HTML list), runs alternating, medians; with the page's query count,
its slowest query and, at the end, that query's plan. The report is Markdown; the last line
is the same as JSON (docs/benchmarks/bench_web.md).
"""

import json
import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from registry.management.bench_web.data import grow_history, make_data
from registry.management.bench_web.rows import measure_all, render_report
from registry.management.throwaway import OWNER, throwaway_database

SUFFIX = "_bench_web"
STATEMENT_TIMEOUT_MS = 30_000


class Command(BaseCommand):
    help = "Benchmark issue 14's pages and endpoints against their floors in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0: 100,000 agreements")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--conditions", type=int, default=None, help="default 20,000 x scale")
        parser.add_argument(
            "--events", type=int, default=None, help="history events, default 950,000 x scale"
        )
        parser.add_argument(
            "--only",
            default="",
            help="comma-separated words: measure only the pages whose label holds one",
        )
        parser.add_argument("--database-name", default=None, help=f"default: <current>{SUFFIX}")
        parser.add_argument("--keep", action="store_true", help="keep the database afterwards")

    def handle(self, *args, scale, repeat, database_name, keep, **options):
        if scale <= 0 or repeat < 1:
            raise CommandError("Need --scale > 0 and --repeat >= 1.")
        sizes = {"conditions": options["conditions"], "events": options["events"]}
        if any(n is not None and n < 1 for n in sizes.values()):
            raise CommandError("Need --conditions and --events >= 1.")
        only = [word.strip() for word in options["only"].split(",") if word.strip()]
        with throwaway_database(SUFFIX, database_name, keep=keep, stdout=self.stdout):
            report = self._run(scale, repeat, sizes, only)
        self.stdout.write(report.pop("markdown"))
        for row in report["rows"]:
            row.pop("slowest_sql", None)
        self.stdout.write(json.dumps(report, default=str))

    def _run(self, scale: float, repeat: int, wanted: dict, only: list[str]) -> dict:
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        sizes = make_data(connections[OWNER], scale, conditions=wanted["conditions"])
        events = wanted["events"] or round(950_000 * scale)
        sizes["history_events"] = grow_history(events)
        built = time.perf_counter() - started
        self.stderr.write(f"built {sizes} in {built:.0f} s; measuring ...")
        # A statement still running after this is reported as a failure of its page, not
        # waited for; libpq reads PGOPTIONS when the measuring connections open.
        os.environ["PGOPTIONS"] = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
        connections.close_all()
        report = {"scale": scale, "sizes": sizes, "build_seconds": round(built, 1)}
        report["rows"] = measure_all(repeat=repeat, only=only)
        report["markdown"] = render_report(report)  # its plan runs on this database
        return report
