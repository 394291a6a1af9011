"""Indexes for the bounded change history (docs/decisions/0026-bounded-history.md).

Each event table is read newest first by (pgh_created_at, pgh_id), one page at a time; an
event's previous version (its diff) is found by (pgh_obj_id, pgh_id). Indexes only: the
tables stay append-only (their triggers refuse UPDATE, DELETE and TRUNCATE, not this).
"""

from django.db import migrations

EVENT_TABLES = [
    "conditions_conditionevent",
    "conditions_conditionrequirementevent",
    "conditions_conditionreviewevent",
    "conditions_flagevent",
    "conditions_ledgercheckevent",
    "conditions_notificationevent",
    "conditions_sourcedocumentevent",
    "conditions_waiverentryevent",
]

# The change log's user and channel filters find their contexts by these (pghistory's context
# table has no app of ours; conditions already guards it, migration 0006).
CONTEXT_INDEXES = [
    ("pghistory_context_actor", "((metadata->>'actor'))"),
    ("pghistory_context_channel", "((metadata->>'channel'))"),
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
    dependencies = [("conditions", "0010_sentence_case_labels")]

    operations = [
        operation for table in EVENT_TABLES for operation in _indexes(table)
    ] + [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON pghistory_context {expression}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, expression in CONTEXT_INDEXES
    ]
