"""bench_web's data set, built set-based as the owner: every generated row is a clone of a
seeded row (all its columns, so a column added later needs no change here) with the columns
that must differ computed from the series number `g`."""

from django.db import connections

from core.registry_day import registry_today
from registry.management.commands import bench_history
from registry.management.throwaway import OWNER

PARTNERS = 200


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
        " AND is_generated = 'NEVER' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def _clone(cursor, table: str, count: int, overrides: dict, where: str = "TRUE") -> int:
    """Insert `count` copies of `table`'s first row, `overrides` giving column -> SQL on g."""
    cursor.execute(f'SELECT min(id), max(id) FROM "{table}"')  # noqa: S608  # nosec B608
    template, top = cursor.fetchone()
    chosen = ", ".join(overrides.get(c, f"src.{c}") for c in _columns(cursor, table))
    # Modulo signs are literal to psycopg; only %(top)s is a parameter.
    chosen, where = (t.replace("%", "%%").replace("%%(top)s", "%(top)s") for t in (chosen, where))
    cursor.execute(
        f'INSERT INTO "{table}" ({", ".join(_columns(cursor, table))})'  # noqa: S608  # nosec B608
        f" SELECT {chosen} FROM generate_series(1, %(count)s::bigint) g,"
        f' (SELECT * FROM "{table}" WHERE id = %(template)s) src WHERE {where}',
        {"count": count, "template": template, "top": top},
    )
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608  # nosec B608
    )
    return top


def make_data(connection, scale: float, conditions: int | None = None) -> dict:
    """Partners, agreements with 2-4 participants, conditions and their waiver entries.

    `conditions` (default 20,000 x scale) may exceed the agreements: they then share them. The
    waiver chains stay at 20,000 x scale, on the first conditions."""
    agreements, waived = round(100_000 * scale), round(20_000 * scale)
    conditions = waived if conditions is None else conditions
    waived = min(waived, conditions)
    today = registry_today()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # generation only
        partner_top = _clone(
            cursor,
            "partners_partner",
            PARTNERS,
            {"id": "%(top)s + g", "name": "'Bench partner ' || g", "iso3": "NULL"}
            | {"parent_id": "NULL", "kind": "'company'"},
        )
        agreement_top = _clone(cursor, "agreements_agreement", agreements, _agreement_columns())
        _participants(cursor, agreements, agreement_top, partner_top)
        condition_top = _clone(
            cursor,
            "conditions_condition",
            conditions,
            {
                "id": "%(top)s + g",
                "title": "'Bench condition ' || g",
                "partner_id": f"{partner_top} + 1 + g % {PARTNERS}",
                "agreement_id": f"{agreement_top} + 1 + (g - 1) % {agreements}",
                "next_review_due": f"DATE '{today}' + ((g * 7919) % 730 - 365)::int",
            },
        )
        _waivers(cursor, waived, condition_top)
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("VACUUM ANALYZE")
    return {"agreements": agreements, "conditions": conditions, "waiver_entries": 2 * waived}


def _agreement_columns() -> dict:
    return {
        "id": "%(top)s + g",
        "reference": "'BENCH-' || lpad(g::text, 7, '0')",
        "title": "'Bench agreement ' || ((g * 7919) % 100003)",
        "summary": "'Cooperation on '"
        " || (ARRAY['radar', 'hypersonics', 'munitions', 'space', 'cyber'])[g % 5 + 1]"
        " || ' number ' || g",
        "signed_on": "DATE '2000-01-01' + ((g * 37) % 9000)::int",
        "parent_id": "NULL",
        "supersedes_id": "NULL",
        "fms_cases": "'{}'",
    }


def _participants(cursor, agreements: int, agreement_top: int, partner_top: int) -> None:
    for k in range(4):  # 2, 3 or 4 participants each, distinct partners
        _clone(
            cursor,
            "agreements_agreementparticipant",
            agreements,
            {
                "id": f"%(top)s + g * 4 + {k}",
                "agreement_id": f"{agreement_top} + g",
                "partner_id": f"{partner_top} + 1 + (g * 31 + {k * 7}) % {PARTNERS}",
                "cost_share_percent": "NULL",
            },
            where=f"{k} < 2 + g % 3",
        )


def _waivers(cursor, conditions: int, condition_top: int) -> None:
    """A grant and an extension of it per condition; each its own chain, sequence after the
    seeded ledger's."""
    cursor.execute("SELECT coalesce(max(sequence), 0), max(id) FROM conditions_waiverentry")
    sequence, top = cursor.fetchone()
    common = {
        "condition_id": f"{condition_top} + g",
        "entry_hash": "encode(sha256(('bench:' || g)::bytea), 'hex')",
        "signed_on": "DATE '2015-01-01' + ((g * 31) % 3600)::int",
        "effective_on": "DATE '2015-01-01' + ((g * 31) % 3600)::int",
        "expires_on": "DATE '2015-01-01' + ((g * 31) % 3600 + 365)::int",
    }
    grant = {"id": f"{top} + g", "sequence": f"{sequence} + g", "action": "'granted'"}
    grant |= {"amends_id": "NULL", "chain_id": f"{top} + g", "effect": "'granted'"}
    grant |= {"previous_hash": "encode(sha256(('bench-previous:' || g)::bytea), 'hex')"}
    _clone(cursor, "conditions_waiverentry", conditions, common | grant)
    extend = {"id": f"{top} + {conditions} + g", "sequence": f"{sequence} + {conditions} + g"}
    extend |= {"action": "'extended'", "amends_id": f"{top} + g", "chain_id": f"{top} + g"}
    extend |= {"effect": "'extended'", "expires_on": "DATE '2030-01-01' + (g % 365)::int"}
    extend |= {"entry_hash": "encode(sha256(('bench-extension:' || g)::bytea), 'hex')"}
    extend |= {"previous_hash": "encode(sha256(('bench:' || g)::bytea), 'hex')"}
    _clone(cursor, "conditions_waiverentry", conditions, common | extend)
    cursor.execute(
        "SELECT setval('conditions_waiver_ledger_seq', (SELECT max(sequence) FROM"
        " conditions_waiverentry))"
    )


def grow_history(target: int) -> int:
    """bench_history's generator: seeded event rows copied, one a minute back, to `target`."""
    runner = bench_history.Command()
    with connections[OWNER].cursor() as cursor:
        cursor.execute("SELECT now()")
        base = cursor.fetchone()[0]
    runner._grow(target, base, runner._sources())
    with connections[OWNER].cursor() as cursor:
        return bench_history._count_events(cursor)
