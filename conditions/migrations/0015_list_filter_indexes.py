"""The conditions list in its order within its partner and status filters (issue 14).

At 1,000,000 conditions `?status=` read the whole table (200 ms) and `?partner=` sorted a
partner's 5,000 conditions for every page; with these a page is an index range.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0012_filter_statistics"),
        ("conditions", "0014_dashboard_waiver_index"),
        ("partners", "0009_cui_markings"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="condition",
            index=models.Index(
                fields=["partner", "next_review_due", "id"], name="condition_partner_due"
            ),
        ),
        migrations.AddIndex(
            model_name="condition",
            index=models.Index(
                fields=["status", "next_review_due", "id"], name="condition_status_due"
            ),
        ),
    ]
