"""Indexes for the bounded change history (docs/decisions/0026-bounded-history.md).

Each event table is read newest first by (pgh_created_at, pgh_id), one page at a time; an
event's previous version (its diff) is found by (pgh_obj_id, pgh_id). Indexes only: the
tables stay append-only (their triggers refuse UPDATE, DELETE and TRUNCATE, not this).
"""

from django.db import migrations

EVENT_TABLES = [
    "partners_partnerdesignationevent",
    "partners_partnerevent",
]


def _indexes(table: str) -> list:
    return [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {table}_pgh_slice ON {table} (pgh_created_at, pgh_id)",
            reverse_sql=f"DROP INDEX IF EXISTS {table}_pgh_slice",
        ),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {table}_pgh_obj_seq ON {table} (pgh_obj_id, pgh_id)",
            reverse_sql=f"DROP INDEX IF EXISTS {table}_pgh_obj_seq",
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [("partners", "0007_free_text_limits")]

    operations = [
        operation for table in EVENT_TABLES for operation in _indexes(table)
    ]
