"""Complete statistics for the columns the agreement filters start from.

`?partner=`, `?technology_area=` and `?provision=` are semi-joins from the link tables. With
the default statistics target PostgreSQL keeps the 100 most common partners and guesses the
rest at the average (about 1,300 participations at 100,000 agreements), so for a partner with
few or no agreements it walked the whole ordering index looking for them (130 ms). A target
that holds every value (a registry has hundreds of partners and areas, not thousands) lets
the planner see a rare one is rare and start from the link table (0.1 ms).
"""

from django.db import migrations

COLUMNS = (
    ("agreements_agreementparticipant", "partner_id"),
    ("agreements_agreementtechnologyarea", "technology_area_id"),
    ("agreements_legalbasis", "provision_id"),
)


def _statements(target: int) -> list[str]:
    return [
        f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {target}; ANALYZE {table};"
        for table, column in COLUMNS
    ]


class Migration(migrations.Migration):
    dependencies = [("agreements", "0011_cui_markings")]

    operations = [
        migrations.RunSQL(forward, backward)
        for forward, backward in zip(_statements(1000), _statements(-1), strict=True)
    ]
