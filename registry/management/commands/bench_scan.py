"""`manage.py bench_scan [--conditions N]`: the flag scan against its floor, at scale.

Creates a throwaway database next to the configured one (never the dev data), migrates it,
generates N conditions with waiver entries in bulk (INSERT ... SELECT generate_series, with
triggers set aside for generation only; the ledger hash columns are filled), then times:
the FLOOR, the scan's set-based statements computing and writing the same flags and
statuses over all conditions at once (rolled back), and the scan itself (chunked,
committed), with its statement count and peak memory, and a re-run on unchanged data that
must write nothing.
"""

import json
import resource
import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from tqdm import tqdm

from conditions.services.scan import DEFAULT_CHUNK_SIZE, scan_statements
from conditions.services.scan import scan_conditions as run_scan
from core.registry_day import registry_today
from registry.management.throwaway import OWNER, throwaway_database

ALIAS = OWNER  # the owner's connection to the throwaway database
SUFFIX = "_bench_scan"
BATCH = 50_000
GENESIS = "0" * 64

CONDITIONS_SQL = """
INSERT INTO conditions_condition (
    id, title, description, partner_id, legal_basis_id, review_interval_days, next_review_due,
    review_warning_days, status, responsible_office, responsible_email, leahy_applicable,
    version, created_at, updated_at, marking_categories, marking_dissemination, marking_rel_to)
SELECT g, 'Bench condition ' || g, '', %(partner)s, %(basis)s, 365,
       %(today)s::date + ((g * 7919) %% 730 - 365)::int, 30,
       CASE WHEN g %% 2 = 0 THEN 'waived' ELSE 'pending_review' END,
       'Office ' || (g %% 50), 'office' || (g %% 50) || '@example.gov', false, 1, now(), now(),
       '{}', '', '{}'
FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g
"""

# Even conditions get a grant (id g); every 6th an extension (id n + g), every 14th a
# revocation (id 2n + g), every 22nd a correction (id 3n + g); one in ten grants is
# open-ended, one in seven never notified. Each entry's chain is its grant (the insert
# trigger that fills `chain_id` and `effect` is set aside with the others for generation).
ENTRIES_SQL = """
WITH grants AS (
    SELECT g, %(today)s::date - ((g * 31) %% 400)::int AS starts,
           CASE WHEN g %% 10 = 0 THEN NULL ELSE ((g * 17) %% 500 + 1)::int END AS length
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g WHERE g %% 2 = 0
), rows AS (
    SELECT g AS id, g AS condition_id, 'granted' AS action, NULL::bigint AS amends_id,
           starts AS effective_on, starts + length AS expires_on,
           CASE WHEN g %% 7 = 0 THEN NULL ELSE starts + 3 END AS notified
    FROM grants
    UNION ALL
    SELECT %(n)s + g, g, 'extended', g, starts + 30, starts + length + 200, starts + 33
    FROM grants WHERE g %% 6 = 0 AND length IS NOT NULL
    UNION ALL
    SELECT 2 * %(n)s + g, g, 'revoked', g, starts + 60, NULL, starts + 61
    FROM grants WHERE g %% 14 = 0 AND g %% 6 <> 0
    UNION ALL
    SELECT 3 * %(n)s + g, g, 'corrected', g, starts + 5, starts + length + 10, starts + 6
    FROM grants WHERE g %% 22 = 0 AND g %% 6 <> 0 AND g %% 14 <> 0
)
INSERT INTO conditions_waiverentry (
    id, condition_id, action, amends_id, authority_id, standard, official_title, official_name,
    instrument, signed_on, effective_on, expires_on, requirements_waived, justification,
    justification_classified, congress_notified_on, publicity, recorded_at, sequence,
    previous_hash, entry_hash, chain_id, effect, marking_categories, marking_dissemination,
    marking_rel_to)
SELECT id, condition_id, action, amends_id, %(authority)s, 'national_security_interest',
       'Secretary of State', '', '', effective_on, effective_on, expires_on, '{}',
       'Generated for the scan benchmark.', false, notified, 'published_official', now(), id,
       CASE WHEN id = 2 THEN %(genesis)s ELSE encode(sha256(('bench:' || id - 1)::bytea), 'hex')
       END,
       encode(sha256(('bench:' || id)::bytea), 'hex'),
       condition_id, CASE WHEN action = 'corrected' THEN 'granted' ELSE action END,
       '{}', '', '{}'
FROM rows
"""


class Command(BaseCommand):
    help = "Benchmark the flag scan against the single-statement floor in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--conditions", type=int, default=1_000_000)
        parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE)
        parser.add_argument("--database-name", default=None, help=f"default: <current>{SUFFIX}")
        parser.add_argument("--keep", action="store_true", help="keep the database afterwards")

    def handle(self, *args, conditions, chunk_size, database_name, keep, **options):
        if conditions < 1:
            raise CommandError("--conditions must be at least 1.")
        with throwaway_database(SUFFIX, database_name, keep=keep, stdout=self.stdout):
            self._run(conditions, chunk_size)

    def _run(self, n, chunk_size):
        today = registry_today()
        self._generate(n, today)
        conn = connections[ALIAS]
        floor_seconds, floor_counts = self._floor(conn, today, n)
        statements = []

        def count(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        tracemalloc.start()
        started = time.perf_counter()
        with conn.execute_wrapper(count):
            result = run_scan(today=today, chunk_size=chunk_size, using=ALIAS)
        scan_seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        before = self._write_state(conn)
        started = time.perf_counter()
        again = run_scan(today=today, chunk_size=chunk_size, using=ALIAS)
        rerun_seconds = time.perf_counter() - started
        after = self._write_state(conn)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ratio = scan_seconds / floor_seconds
        out = self.stdout.write
        out(f"conditions: {n:,}  waiver entries: {before['entries']:,}  chunk size: {chunk_size:,}")
        out(f"floor (one chunk, rolled back):     {floor_seconds:8.2f} s  raised {floor_counts}")
        out(f"scan  ({len(statements)} SQL statements):  {scan_seconds:8.2f} s  {result}")
        out(f"ratio scan/floor: {ratio:.2f}x (target <= 1.2x, limit 3x)")
        out(f"peak Python memory during scan: {peak / 1e6:.1f} MB; process max RSS {rss:.0f} MB")
        written = {k: after[k] - before[k] for k in before}
        out(f"re-run on unchanged data: {rerun_seconds:.2f} s, {again}, rows written {written}")
        if result.raised != floor_counts or any(written.values()) or again.raised:
            raise CommandError("The scan disagrees with the floor or the re-run wrote rows.")
        summary = {
            "conditions": n,
            "entries": before["entries"],
            "statements": len(statements),
            "floor_seconds": floor_seconds,
            "scan_seconds": scan_seconds,
            "raised": result.raised,
            "floor_raised": floor_counts,
            "rerun_written": written,
        }
        out(json.dumps(summary))  # the last line, for scripts (tests/bench.py)

    def _generate(self, n, today):
        from agreements.models import Act, Provision
        from partners.models import Partner

        partner = Partner.objects.using(ALIAS).create(name="Bench partner", kind="company")
        act = Act.objects.using(ALIAS).create(title="Bench Act", status="enacted")
        basis = Provision.objects.using(ALIAS).create(
            act=act, section="362", heading="Leahy", status="in_force", report_deadline_days=15
        )
        conn = connections[ALIAS]
        with conn.cursor() as cursor, tqdm(total=n, unit="conditions", desc="generating") as bar:
            # Generation only: no history rows, no FK triggers (the data is consistent).
            cursor.execute("SET session_replication_role = replica")
            for lo in range(1, n + 1, BATCH):
                hi = min(lo + BATCH - 1, n)
                params = {
                    "today": today,
                    "lo": lo,
                    "hi": hi,
                    "n": n,
                    "partner": partner.pk,
                    "basis": basis.pk,
                    "authority": basis.pk,
                    "genesis": GENESIS,
                }
                cursor.execute(CONDITIONS_SQL, params)
                cursor.execute(ENTRIES_SQL, params)
                bar.update(hi - lo + 1)
            cursor.execute("SET session_replication_role = DEFAULT")
            for table in ("conditions_condition", "conditions_waiverentry"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  # nosec B608
                    f"(SELECT max(id) FROM {table}))"
                )
            cursor.execute("SELECT setval('conditions_waiver_ledger_seq', 4 * %s)", [n])
            cursor.execute("VACUUM ANALYZE")

    def _floor(self, conn, today, n):
        """The scan's statements over every condition at once (one chunk), rolled back."""
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM conditions_condition")  # warm the cache
            cursor.execute("SELECT count(*) FROM conditions_waiverentry")
            cursor.execute("BEGIN")
            started = time.perf_counter()
            raised = scan_statements(cursor, today=today, lo=1, hi=n).raised
            seconds = time.perf_counter() - started
            cursor.execute("ROLLBACK")
            cursor.execute("VACUUM ANALYZE")
        return seconds, raised

    def _write_state(self, conn):
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM conditions_flag),"
                " (SELECT count(*) FROM conditions_flag WHERE status = 'resolved'),"
                " (SELECT count(*) FROM conditions_notification),"
                " (SELECT count(*) FROM conditions_flagevent),"
                " (SELECT count(*) FROM conditions_conditionevent),"
                " (SELECT sum(version) FROM conditions_condition),"
                " (SELECT count(*) FROM conditions_waiverentry)"
            )
            row = cursor.fetchone()
        names = (
            "flags",
            "resolved",
            "notifications",
            "flag_events",
            "condition_events",
            "condition_versions",
            "entries",
        )
        return dict(zip(names, row, strict=True))
