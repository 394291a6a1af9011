"""Every hour is a registry hour (issue 23): a registry day becomes UTC instants in one place,
and "as recorded on D" means the end of D in Washington, whatever the server's clock says."""

import datetime
import pathlib
import re

import pytest
import time_machine
from rest_framework.test import APIClient

from core.registry_day import day_bounds, registry_today
from partners.services import partner_update
from tests.factories import PartnerFactory
from tests.roles import as_owner

UTC = datetime.UTC
DAY = datetime.date(2026, 12, 7)
# 00:37 UTC on December 8 is 19:37 on December 7 in Washington.
JUST_AFTER_UTC_MIDNIGHT = datetime.datetime(2026, 12, 8, 0, 37, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "start", "hours"),
    [
        (DAY, datetime.datetime(2026, 12, 7, 5, tzinfo=UTC), 24),  # EST, UTC-5
        (datetime.date(2026, 7, 4), datetime.datetime(2026, 7, 4, 4, tzinfo=UTC), 24),  # EDT
        (datetime.date(2026, 3, 8), datetime.datetime(2026, 3, 8, 5, tzinfo=UTC), 23),  # spring
        (datetime.date(2026, 11, 1), datetime.datetime(2026, 11, 1, 4, tzinfo=UTC), 25),  # fall
    ],
)
def test_a_registry_day_is_its_time_zone_day(day, start, hours):
    begins, ends = day_bounds(day)
    assert begins == start
    assert ends - begins == datetime.timedelta(hours=hours)
    assert day_bounds(day + datetime.timedelta(days=1))[0] == ends  # days tile the timeline


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        (datetime.datetime(2026, 12, 8, 13, 0, tzinfo=UTC), datetime.date(2026, 12, 8)),
        (datetime.datetime(2026, 12, 8, 0, 30, tzinfo=UTC), datetime.date(2026, 12, 7)),
        (datetime.datetime(2026, 12, 8, 4, 59, tzinfo=UTC), datetime.date(2026, 12, 7)),
        (datetime.datetime(2026, 12, 8, 5, 0, tzinfo=UTC), datetime.date(2026, 12, 8)),
    ],
)
def test_today_is_the_registry_day_at_every_hour(instant, day):
    with time_machine.travel(instant, tick=False):
        assert registry_today() == day


def _record_everything_at(instant: datetime.datetime) -> None:
    """Pretend the partner's history was written at `instant` (a superuser rewriting test
    data): the database stamps events with its own clock, which no test can freeze."""
    with as_owner() as cursor:
        for table in ("partners_partnerevent", "partners_partnerdesignationevent"):
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(f"UPDATE {table} SET pgh_created_at = %s", [instant])  # noqa: S608
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "now", [JUST_AFTER_UTC_MIDNIGHT, datetime.datetime(2026, 12, 8, 13, tzinfo=UTC)]
)
def test_recorded_just_after_utc_midnight_is_recorded_on_the_registry_day(
    client, auditor, editor, now
):
    partner = PartnerFactory(name="Utopia")
    _record_everything_at(JUST_AFTER_UTC_MIDNIGHT)
    later = datetime.datetime(2026, 12, 8, 13, 30, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        partner_update(partner=partner, actor=editor, name="Utopia Renamed")
    with as_owner() as cursor:  # the edit, recorded on December 8 in Washington too
        cursor.execute("ALTER TABLE partners_partnerevent DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE partners_partnerevent SET pgh_created_at = %s WHERE pgh_label = 'update'",
            [later],
        )
        cursor.execute("ALTER TABLE partners_partnerevent ENABLE TRIGGER USER")

    api = APIClient()
    api.force_authenticate(auditor)
    url = f"/api/v1/partners/{partner.pk}/"
    with time_machine.travel(now, tick=True):
        client.force_login(auditor)  # signed in on the frozen clock, as its sessions expire
        on_the_day = api.get(url, {"as_of": "2026-12-07"})
        assert on_the_day.status_code == 200, on_the_day.content
        assert on_the_day.json()["name"] == "Utopia"
        assert api.get(url, {"as_of": "2026-12-08"}).json()["name"] == "Utopia Renamed"
        assert api.get(url, {"as_of": "2026-12-06"}).status_code == 404

        page = client.get(f"/partners/{partner.pk}/", {"as_of": "2026-12-07"})
        assert page.status_code == 200
        text = page.content.decode()
        assert "as recorded on December 7, 2026" in text and "(UTC)" not in text
        before = client.get(f"/partners/{partner.pk}/", {"as_of": "2026-12-06"}).content.decode()
        assert "first recorded on December 7, 2026" in before

        log = client.get(
            "/history/",
            {"object_type": "partners.Partner", "date_after": DAY, "date_before": DAY},
        ).content.decode()
        assert "<span>created</span> by" in log and "<span>changed</span> by" not in log
        assert "Dec 7, 2026, 7:37 p.m. EST" in log  # the registry's clock, in words
        next_day = client.get(
            "/history/", {"object_type": "partners.Partner", "date_after": "2026-12-08"}
        ).content.decode()
        assert "<span>changed</span> by" in next_day and "<span>created</span> by" not in next_day


# What turns a clock or a day into dates or UTC instants; only core/registry_day.py may.
CLOCK_TO_DATE = re.compile(
    r"date\.today\(|datetime\.now\(|datetime\.utcnow\(|timezone\.now\(\)\.date\(|"
    r"localdate\(|now\(\)::date|CURRENT_DATE|datetime\.time\.min|time\.min\b"
)
APPLICATION = ["config", "core", "partners", "agreements", "conditions", "registry"]
ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_no_date_is_computed_from_the_clock_outside_the_registry_day():
    found = []
    for package in APPLICATION:
        for path in (ROOT / package).rglob("*.py"):
            if path.name == "registry_day.py" or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if CLOCK_TO_DATE.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
