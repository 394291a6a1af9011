from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("conditions", "0002_initial")]
    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS conditions_waiver_ledger_seq",
            "DROP SEQUENCE IF EXISTS conditions_waiver_ledger_seq",
        )
    ]
