"""No session write on a read, and still the 30-minute idle timeout (issue 14 item 5)."""

import datetime

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

PAGE = "/partners/"


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def test_a_read_does_not_write_the_session(client, auditor):
    client.force_login(auditor)
    assert client.get(PAGE).status_code == 200  # may stamp the new session once
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        assert _session_writes(queries) == []


def _clock(monkeypatch, start):
    moment = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    return moment


def test_an_active_user_stays_signed_in_past_the_idle_timeout(client, auditor, monkeypatch):
    clock = _clock(monkeypatch, timezone.now())
    client.force_login(auditor)
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = clock["now"]
    while clock["now"] - start < 2 * idle:  # an hour of reading, a page every five minutes
        clock["now"] += datetime.timedelta(minutes=5)
        assert client.get(PAGE).status_code == 200, clock["now"] - start


def test_an_idle_user_is_signed_out(client, auditor, monkeypatch):
    clock = _clock(monkeypatch, timezone.now())
    client.force_login(auditor)
    assert client.get(PAGE).status_code == 200
    clock["now"] += datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_reads_within_a_minute_write_at_most_once(client, auditor, monkeypatch):
    clock = _clock(monkeypatch, timezone.now())
    client.force_login(auditor)
    client.get(PAGE)
    writes = 0
    for _ in range(12):  # two minutes of a page every ten seconds
        clock["now"] += datetime.timedelta(seconds=10)
        with CaptureQueriesContext(connection) as queries:
            client.get(PAGE)
        writes += len(_session_writes(queries))
    assert 1 <= writes <= 2
