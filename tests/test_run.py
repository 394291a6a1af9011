"""The run command serves pages as a user is served: no debug pages, static files, a clear start."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connections

from config.run import CREATE_USER, ready_message, web_command
from core.db_roles import owner_alias

ROOT = Path(__file__).resolve().parents[1]


def _url(options: dict) -> str:
    password = f":{options['PASSWORD']}" if options.get("PASSWORD") else ""
    socket_dir = (options.get("OPTIONS") or {}).get("host")
    if socket_dir:  # the embedded server listens on a socket in its folder
        return f"postgres://{options['USER']}{password}@/{options['NAME']}?host={socket_dir}"
    host = f"{options.get('HOST') or '127.0.0.1'}:{options.get('PORT') or 5432}"
    return f"postgres://{options['USER']}{password}@{host}/{options['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def run_server(db):
    """The web server exactly as `config.run` starts it, on this test's database."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.run",
        "DATABASE_URL": _url(connections[owner_alias()].settings_dict),
        "DATABASE_RUNTIME_URL": _url(connections["default"].settings_dict),
    }
    env.pop("DEBUG", None)
    process = subprocess.Popen(  # noqa: S603
        web_command(f"127.0.0.1:{port}"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the web server exited:\n{process.stdout.read()}")
        try:
            requests.get(base + "/accounts/login/", timeout=10)
            break
        except requests.RequestException:  # not listening yet, or its workers still starting
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_a_bad_address_gets_the_registrys_404_page_not_the_debug_page(run_server):
    response = requests.get(run_server + "/no-such-page/", timeout=10)
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "An official website of the United States government" in response.text
    assert "Django tried these URL patterns" not in response.text
    assert "DEBUG = True" not in response.text


def test_static_files_are_served_by_whitenoise(run_server):
    for path in ("/static/css/app.css", "/static/vendor/uswds/css/uswds.min.css"):
        response = requests.get(run_server + path, timeout=10)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"].startswith("text/css")


def test_the_ready_line_names_the_address_and_how_to_create_the_first_user():
    message = ready_message("127.0.0.1:8000", users=0)
    assert "open http://127.0.0.1:8000/" in message
    assert "Nobody can sign in yet. Create the first user:" in message
    assert CREATE_USER in message and "manage.py create_user" in CREATE_USER
    assert "2 users can sign in" in ready_message("0.0.0.0:8080", users=2)


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [(None, "config.settings.run"), ("config.settings.local", "config.settings.local")],
)
def test_the_run_command_serves_with_the_run_settings_unless_told_otherwise(chosen, expected):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    if chosen:
        env["DJANGO_SETTINGS_MODULE"] = chosen
    code = "from config.run import choose_settings; print(choose_settings())"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip() == expected


def test_the_test_command_keeps_its_own_settings():
    from django.conf import settings

    assert os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings.test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_the_run_command_scans_for_flags_before_it_serves(capsys):
    """A fresh start shows the flags of reviews due, not 0 until the next 00:05."""
    import datetime

    from conditions.models import Flag
    from config.run import catch_up_scan
    from core.registry_day import registry_today
    from tests.factories import ConditionFactory

    ConditionFactory(next_review_due=registry_today() - datetime.timedelta(days=1))
    catch_up_scan()
    catch_up_scan()  # idempotent
    assert list(Flag.objects.values_list("kind", flat=True)) == ["review_overdue"]
