"""The review periods in force, as data (DOMAIN.md §6; CONTRACT.md v1.2 `notifications/`).

A change in law is a new migration adding rows with a later `valid_from`; these rows stay,
so notifications received before the change keep the period that applied to them. The first
rows start at the statutes' enactment as the registry records them; the earlier history of
each period (e.g. NATO+5 partners added to the shorter period over the years) is a later
addition of rows, not of code.
"""

import datetime

from django.db import migrations

NATO_TIER = ["nato", "nato_member", "nato_plus5"]
AECA = datetime.date(1976, 6, 30)  # Arms Export Control Act (Pub. L. 94-329)

# kind, valid_from, review_days, shortened_review_days, shortened_for, report_within, citation
PERIODS = [
    ("aeca_36b", AECA, 30, 15, NATO_TIER, None, "22 U.S.C. 2776(b)"),
    ("aeca_36c", AECA, 30, 15, NATO_TIER, None, "22 U.S.C. 2776(c)"),
    ("aeca_36d", AECA, 30, 15, NATO_TIER, None, "22 U.S.C. 2776(d)"),
    ("aeca_3d", AECA, 30, 15, NATO_TIER, None, "22 U.S.C. 2753(d)"),
    ("aeca_27f", AECA, 30, None, [], None, "22 U.S.C. 2767(f)"),
    ("usc10_2350a", datetime.date(1986, 11, 14), 30, None, [], None, "10 U.S.C. 2350a"),
    ("mnna", datetime.date(1989, 11, 29), 30, None, [], None, "22 U.S.C. 2321k"),
    ("dod_leahy_362", datetime.date(2014, 12, 19), None, None, [], 15, "10 U.S.C. 362"),
    ("case_act", datetime.date(2022, 12, 23), None, None, [], 30, "1 U.S.C. 112b"),
]


def load(apps, schema_editor):
    ReviewPeriod = apps.get_model("notifications", "ReviewPeriod")
    for kind, valid_from, days, shortened, shortened_for, within, citation in PERIODS:
        ReviewPeriod.objects.using(schema_editor.connection.alias).update_or_create(
            kind=kind,
            valid_from=valid_from,
            defaults={
                "review_days": days,
                "shortened_review_days": shortened,
                "shortened_for": shortened_for,
                "report_within_days": within,
                "citation": citation,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
