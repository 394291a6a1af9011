"""bench_web's rows: each page of issue 14's table, timed against its floor, runs alternating."""

import csv
import io
import logging
import statistics
import time
from collections.abc import Iterator
from unittest import mock
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
import psycopg
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from psycopg import sql

from conditions.models import WaiverEntry
from conditions.views.waivers import CSV_HEADER as WAIVER_CSV_HEADER
from conditions.views.waivers import provision_citations
from core.api.pagination import encode_cursor
from core.management.commands.create_user import save_user_with_role
from core.roles import ADMIN
from core.web.csv import FORMULA_STARTS, batches, neutralise
from registry.management.bench_web.floors import api_floors
from registry.management.bench_web.orderings import ordering_rows
from registry.management.commands import bench_history
from registry.management.throwaway import OWNER

# The waiver CSV's floor is the same rows through raw psycopg and csv.writer: the same bytes as
# the export (29 columns, the same joins, rows and text; tests/registry/test_bench_web.py
# compares them). The floor it replaces read 9 of the 29 columns, a smaller job than the
# export's. What a spreadsheet-safe CSV needs beyond the columns is done as the database would
# do it: each label a CASE over the choices, the formula guard a CASE over each text column,
# the timestamp formatted as datetime.isoformat() writes it (the export has the database do
# that too: core/web/csv.py IsoTimestamp). One column needs the export's Python work: the
# authority's citation is a property of the provision (agreements/models/legislation.py) that
# SQL could only copy. The export computes it once per provision (a few dozen), and so does the
# floor, joining the citations as a VALUES list. Not in the floor: the export's one small
# query for its marking line (core/marked.py highest_marking).
#
# ascii() is the code of the first character: a cheaper test than comparing left(x, 1) as text.
_FORMULA_CODES = sql.SQL(", ").join(sql.Literal(ord(start)) for start in FORMULA_STARTS)
_TEXT = sql.SQL("CASE WHEN ascii({0}) IN ({1}) THEN '''' || {0} ELSE {0} END")


def _text(column: str) -> sql.Composable:
    """A text column with neutralise's leading apostrophe when it starts a formula."""
    return _TEXT.format(sql.SQL(column), _FORMULA_CODES)


def _choice(column: str, choices) -> list[sql.Composable]:
    """The code, then its label; an unknown code is shown as itself."""
    whens = sql.SQL(" ").join(
        sql.SQL("WHEN {} THEN {}").format(sql.Literal(code), sql.Literal(neutralise(name)))
        for code, name in choices
    )
    return [
        _text(column),
        sql.SQL("CASE {} {} ELSE {} END").format(sql.SQL(column), whens, _text(column)),
    ]


def waiver_csv_floor() -> sql.Composable:
    """The waiver export's rows in one statement, built per run as the export reads the
    citations per request."""
    citations = sql.SQL(", ").join(
        sql.SQL("({}, {})").format(sql.Literal(pk), sql.Literal(neutralise(citation)))
        for pk, citation in provision_citations().items()
    )
    columns = [
        sql.SQL("w.id, w.sequence, w.condition_id"),
        _text("c.title"),
        _text("p.name"),
        *_choice("w.action", WaiverEntry.Action.choices),
        sql.SQL("w.amends_id, cite.citation"),
        *_choice("w.standard", WaiverEntry.Standard.choices),
        _text("w.official_title"),
        _text("w.official_name"),
        _text("w.instrument"),
        sql.SQL("w.signed_on, w.effective_on, w.expires_on"),
        _text("array_to_string(w.requirements_waived, '; ')"),
        sql.SQL("w.amount_usd, w.fiscal_year, w.justification_classified"),
        _text("w.justification"),
        sql.SQL("w.congress_notified_on"),
        *_choice("w.publicity", WaiverEntry.Publicity.choices),
        _text("u.username"),
        sql.SQL(
            "replace(to_char(w.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'),"
            " '.000000', '') || '+00:00'"
        ),
        _text("w.entry_hash"),
        _text("w.previous_hash"),
    ]
    return sql.SQL(
        "SELECT {} FROM conditions_waiverentry w"
        " JOIN conditions_condition c ON c.id = w.condition_id"
        " JOIN partners_partner p ON p.id = c.partner_id"
        " JOIN (VALUES {}) AS cite (id, citation) ON cite.id = w.authority_id"
        " LEFT JOIN auth_user u ON u.id = w.recorded_by_id ORDER BY w.sequence"
    ).format(sql.SQL(", ").join(columns), citations)


def _rows(ids: dict) -> list[tuple]:
    """(label, url, compare, goal): compare is ("sql", statement, params), ("page", url),
    ("history",) or ("csv", statement builder); goal is ("ratio", x) or ("ms", y)."""
    api, history = "/api/v1/", ("history",)
    api_x, html_x, ms = ("ratio", 2.5), ("ratio", 3), lambda n: ("ms", n)
    return [
        ("dashboard /", "/", None, ms(150)),
        ("/history/", "/history/", ("page", f"{api}history/"), html_x),
        ("api/v1/history/", f"{api}history/", history, api_x),
        ("/agreements/new/", "/agreements/new/", None, ms(300)),
        ("/agreements/N/edit/", f"/agreements/{ids['agreement']}/edit/", None, ms(300)),
        ("/conditions/new/", "/conditions/new/", None, ms(300)),
        ("/conditions/ (25)", "/conditions/", ("page", f"{api}conditions/?page_size=25"), html_x),
        ("/conditions/?partner= (25)", f"/conditions/?partner={ids['condition_partner']}",
         ("page", f"{api}conditions/?page_size=25&partner={ids['condition_partner']}"), html_x),
        ("API conditions/?partner=", f"{api}conditions/?partner={ids['condition_partner']}",
         None, ms(50)),
        ("API conditions/?status=waived", f"{api}conditions/?status=waived", None, ms(50)),
        ("/waivers/ (25)", "/waivers/", ("page", f"{api}waivers/?page_size=25"), html_x),
        ("/agreements/ (25)", "/agreements/", ("page", f"{api}agreements/?page_size=25"), html_x),
        ("/waivers/ deep page", f"/waivers/?cursor={ids['deep']}", ("page", "/waivers/"), html_x),
        *(
            (label, url, ("sql", statement, params), api_x)
            for label, url, statement, params in api_floors(ids["area"])
        ),
        ("API agreements/?partner= (none)", f"{api}agreements/?partner={ids['lonely']}",
         None, ms(50)),
        ("enforcement report", "/reports/enforcement/", None, ms(1000)),
        ("access report", "/reports/access/", None, ms(1000)),
        ("industrial-base report", "/reports/industrial-base/", None, ms(1000)),
        ("case-act report", "/reports/case-act/", None, ms(1000)),
        ("waiver CSV", "/waivers/export.csv", ("csv", waiver_csv_floor), ("ratio", 2)),
    ]  # fmt: skip


def measure_all(*, repeat: int, only: list[str] = ()) -> list[dict]:
    for name in ("registry.audit", "axes", "django.request"):  # a line per request otherwise
        logging.getLogger(name).setLevel(logging.ERROR)
    # The throttles run and are timed, at rates a benchmark's thousands of requests a minute
    # never reach.
    rates = {"user": "10000000/minute", "address": "10000000/minute"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        return _measure_rows(repeat, only)


def _measure_rows(repeat: int, only: list[str]) -> list[dict]:
    client = _client()
    ids = _ids()
    rows = [row for row in _rows(ids) if not only or any(word in row[0] for word in only)]
    with psycopg.connect(**_params(), autocommit=True) as raw:
        measured = [_measure_or_fail(client, raw, row, repeat) for row in rows]
    if not only or "orderings" in only:
        measured += ordering_rows(lambda url: _get(client, url), repeat=repeat)
    if not only:
        measured.append(_session_writes(client))
        measured.append(_import_request(client, ids))
    return measured


def _client() -> Client:
    user = User(username="bench-web-admin")
    save_user_with_role(user=user, role=ADMIN, password=None)
    client = Client()
    client.force_login(user)
    return client


def _params() -> dict:
    params = connections[OWNER].get_connection_params()
    for name in ("cursor_factory", "context", "prepare_threshold", "assume_role"):
        params.pop(name, None)
    return params


def _ids() -> dict:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT max(id) FROM agreements_agreement")
        agreement = cursor.fetchone()[0]
        cursor.execute(
            "SELECT id FROM partners_partner p WHERE NOT EXISTS (SELECT 1 FROM"
            " agreements_agreementparticipant x WHERE x.partner_id = p.id) ORDER BY id LIMIT 1"
        )
        lonely = (cursor.fetchone() or [0])[0]
        cursor.execute("SELECT slug FROM agreements_technologyarea ORDER BY id LIMIT 1")
        area = cursor.fetchone()[0]
        cursor.execute("SELECT partner_id FROM conditions_condition ORDER BY id DESC LIMIT 1")
        condition_partner = cursor.fetchone()[0]
        cursor.execute(
            "SELECT signed_on, id FROM conditions_waiverentry ORDER BY signed_on DESC, id DESC"
            " OFFSET (SELECT count(*) * 9 / 10 FROM conditions_waiverentry) LIMIT 1"
        )
        deep = encode_cursor(list(cursor.fetchone()), reverse=False)
    return {
        "agreement": agreement,
        "lonely": lonely,
        "area": area,
        "deep": deep,
        "condition_partner": condition_partner,
    }


def _get(client, url) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(body)


def _floor(client, raw, compare):
    kind, target, params = (*compare, None, None)[:3]
    if kind == "page":
        return lambda: _get(client, target)
    if kind == "history":
        return lambda: bench_history._floor(None)
    if kind == "csv":
        return lambda: _csv_floor(raw, target)
    return lambda: len(orjson.dumps([r[0] for r in raw.execute(target, params).fetchall()]))


def _csv_floor(raw, statement) -> int:
    return sum(len(chunk) for chunk in csv_floor_chunks(raw, statement))


def csv_floor_chunks(raw, statement) -> Iterator[str]:
    """The export's header, then the rows of `statement()`, through csv.writer. The text is
    taken BATCH_ROWS lines at a time, as the export streams it: one 26 MB string would cost
    more than the chunks (a buffer growing and copied), and no export builds one."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(WAIVER_CSV_HEADER)
    with raw.transaction(), raw.cursor(name="bench_web_csv") as cursor:
        cursor.execute(statement())
        yield from batches(cursor, writer, out)


def _measure_or_fail(client, raw, row, repeat: int) -> dict:
    """A page that fails or passes the statement timeout is reported so; the rest still run."""
    try:
        return _measure(client, raw, row, repeat)
    except Exception as error:  # noqa: BLE001 (the report names it; the bench goes on)
        connections[DEFAULT_DB_ALIAS].close()
        return {"page": row[0], "url": row[1], "ms": "failed", "error": str(error)[:200]}


def _measure(client, raw, row, repeat: int) -> dict:
    label, url, compare, goal = row
    page = lambda: _get(client, url)  # noqa: E731
    floor = _floor(client, raw, compare) if compare else None
    # An API list's page of one row: what the request costs before its rows (authentication,
    # throttling, filtering, paging, rendering), the part of the page no floor has.
    one_row = (lambda: _get(client, one_row_url(url))) if compare and compare[0] == "sql" else None
    runs = [run for run in (page, floor, one_row) if run]
    for run in runs:
        run()
    timings = {run: [] for run in runs}
    for _ in range(repeat):  # alternating, so a busy moment hits each
        for run in runs:
            timings[run].append(_ms(run))
    size = page()
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
        page()
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
    median = lambda run: round(statistics.median(timings[run]), 1)  # noqa: E731
    result = {"page": label, "url": url, "ms": median(page)}
    result |= {"bytes": size, "queries": len(queries.captured_queries)}
    if slowest:
        result |= {
            "slowest_ms": round(float(slowest["time"]) * 1000, 1),
            "slowest_sql": slowest["sql"],
        }
    if one_row:
        result["one_row_ms"] = median(one_row)
    if floor:
        result["floor_ms"] = median(floor)
        result["ratio"] = round(result["ms"] / max(result["floor_ms"], 0.01), 2)
    if goal:
        value = result.get("ratio") if goal[0] == "ratio" else result["ms"]
        result["goal"] = f"<= {goal[1]}x" if goal[0] == "ratio" else f"<= {goal[1]} ms"
        result["met"] = value is not None and value <= goal[1]
    return result


def one_row_url(url: str) -> str:
    """The same API list with page_size=1."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page_size"] + [("page_size", "1")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _ms(run) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def _session_writes(client) -> dict:
    _get(client, "/partners/")
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
        _get(client, "/partners/")
    writes = [q for q in queries.captured_queries if 'UPDATE "django_session"' in q["sql"]]
    return {
        "page": "every GET: session writes",
        "url": "/partners/",
        "queries": len(writes),
        "goal": "0",
        "met": not writes,
    }


def _import_request(client, ids) -> dict:
    rows = ["record_type,name,kind"] + [f"partner,Bench import {i},company" for i in range(20_000)]
    upload = SimpleUploadedFile("partners.csv", "\n".join(rows).encode())
    with mock.patch("registry.importing.jobs._queue"):  # the bench runs no worker
        started = time.perf_counter()
        response = client.post("/import/", {"file": upload})
        ms = (time.perf_counter() - started) * 1000
    met = response.status_code == 302 and "/import/jobs/" in response["Location"]
    return {
        "page": "web import, 20,000 partner rows (request)",
        "url": "/import/",
        "ms": round(ms, 1),
        "goal": "returns at once, job queued",
        "met": met,
    }


def render_report(report: dict) -> str:
    lines = [
        f"scale {report['scale']}: {report['sizes']}, built in {report['build_seconds']} s",
        "",
    ]
    lines += [
        "| page | ms | floor ms | ratio | 1-row page ms | goal | met | queries | bytes"
        " | slowest query ms |"
    ]
    lines += ["|---|---|---|---|---|---|---|---|---|---|"]
    for r in report["rows"]:
        cells = [
            r["page"],
            r.get("ms", ""),
            r.get("floor_ms", ""),
            r.get("ratio", ""),
            r.get("one_row_ms", ""),
            r.get("goal", ""),
        ]
        cells += [
            "yes" if r.get("met") else "**no**",
            r.get("queries", ""),
            r.get("bytes", ""),
            r.get("slowest_ms", ""),
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    slowest = max((r for r in report["rows"] if "slowest_sql" in r), key=lambda r: r["slowest_ms"])
    lines += [
        "",
        f"Slowest query ({slowest['page']}, {slowest['slowest_ms']} ms):",
        "",
        "```sql",
        slowest["slowest_sql"][:2000],
        "```",
    ]
    lines += ["", "Its plan:", "", "```", _plan(slowest["slowest_sql"]), "```"]
    return "\n".join(lines)


def _plan(sql: str) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of a captured statement, without the history context's
    set_config prefix or a server-side cursor's DECLARE."""
    if sql.startswith("SELECT set_config("):
        sql = sql.split("; ", 1)[-1]
    if sql.startswith("DECLARE "):
        sql = sql.split(" FOR ", 1)[-1]
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
    except Exception as error:  # noqa: BLE001 (a statement that cannot be re-run on its own)
        return f"(no plan: {error})"
