"""An index that covers the dashboard's reads of the whole waiver ledger (issue 14).

The chart counts every entry a user may see per fiscal year signed and partner, and the banner
reads the distinct markings of those entries. Both read only the condition, the date signed and
the marking, so an index holding just those is read instead of the ledger's wide rows (their
hashes and justifications): about a tenth of the pages at 40,000 entries. The table is
append-only, so the index stays all-visible and the reads are index-only.

Raw SQL, so the model's state is unchanged (`WaiverEntry.Meta.indexes` can take it over later);
a plain CREATE INDEX, a short write lock on the ledger while it builds.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("conditions", "0013_waiver_expires_index")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS waiver_dashboard ON conditions_waiverentry"
            " (condition_id, signed_on)"
            " INCLUDE (marking_categories, marking_dissemination, marking_rel_to)",
            reverse_sql="DROP INDEX IF EXISTS waiver_dashboard",
        ),
    ]
