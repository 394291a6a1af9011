"""PostgreSQL stops under a running gunicorn: 503 without traceback within 5 s, then recovery
without restarting anything once it is back."""

import time

import pytest

from tests.faults.harness import Browser, Gunicorn, wait_until

pytestmark = pytest.mark.faults


@pytest.fixture
def server(stack):
    gunicorn = Gunicorn(stack.env)
    yield gunicorn
    gunicorn.close()


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_database_outage_answers_503_and_recovers(stack, server):
    api = Browser(server.base)
    api.session.headers["Authorization"] = f"Token {stack.token}"
    person = Browser(server.base)
    assert person.login(stack.username, stack.password).status_code == 302
    assert api.get("/api/v1/partners/").status_code == 200
    assert person.get("/partners/").status_code == 200
    workers_before = server.process.pid

    stack.postgres.stop()
    try:
        for _ in range(3):  # each gunicorn worker and thread meets the outage
            page, page_seconds = timed(lambda: person.get("/partners/"))
            assert page.status_code == 503, page.text[:500]
            assert page_seconds < 5
            assert "temporarily unavailable" in page.text
            assert "Traceback" not in page.text and "OperationalError" not in page.text
            assert page.headers["Retry-After"] == "30"

            answer, api_seconds = timed(lambda: api.get("/api/v1/partners/"))
            assert answer.status_code == 503
            assert api_seconds < 5
            assert "unavailable" in answer.json()["detail"]
            assert "Traceback" not in answer.text
    finally:
        stack.postgres.start()

    # Back without restarting gunicorn: the health-checked connections reconnect.
    wait_until(
        lambda: api.get("/api/v1/partners/").status_code == 200,
        timeout=15,
        what="the API to recover",
    )
    assert person.get("/partners/").status_code == 200
    assert server.process.pid == workers_before and server.process.poll() is None
    assert "Worker exiting" not in server.output()  # no worker died on the way
