"""Indexes for the bounded change history (docs/decisions/0026-bounded-history.md), as every
app's event tables have them: newest first by (pgh_created_at, pgh_id), a version's previous
one by (pgh_obj_id, pgh_id)."""

from django.db import migrations

EVENT_TABLES = [
    "safeguards_technologyitemevent",
    "safeguards_releasedecisionevent",
    "safeguards_endusecheckevent",
    "safeguards_endusecheckitemevent",
    "safeguards_transferevent",
    "safeguards_transferitemevent",
    "safeguards_violationevent",
    "safeguards_violationitemevent",
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
    dependencies = [("safeguards", "0001_initial")]

    operations = [operation for table in EVENT_TABLES for operation in _indexes(table)]
