"""Error pages without tracebacks; a lost database answers 503, never 500."""

import subprocess
import sys

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from core import security

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_unknown_page_is_a_plain_404(client, auditor):
    client.force_login(auditor)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Traceback" not in response.content


def raise_and_handle(error, path="/partners/"):
    request = RequestFactory().get(path)
    try:
        raise error
    except Exception:
        return security.server_error(request)


def test_database_error_outside_a_view_is_a_503_page():
    response = raise_and_handle(OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"temporarily unavailable" in response.content
    assert b"connection refused" not in response.content


def test_database_error_on_the_api_is_a_json_503():
    response = raise_and_handle(OperationalError("gone"), path="/api/v1/partners/")
    assert response.status_code == 503
    assert b"unavailable" in response.content


def test_other_errors_stay_a_plain_500():
    response = raise_and_handle(ValueError("secret detail"))
    assert response.status_code == 500
    assert b"secret detail" not in response.content
    assert b"could not complete this request" in response.content


def test_view_raising_a_database_error_is_turned_into_503():
    middleware = security.DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/conditions/")
    assert middleware.process_exception(request, OperationalError("x")).status_code == 503
    assert middleware.process_exception(request, ValueError("x")) is None


def deploy_check(**env):
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    done = deploy_check(
        SECRET_KEY="k" * 20 + "-random-enough-for-this-check-0123456789",
        ALLOWED_HOSTS="registry.example.gov",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "registry.example.gov"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "too-short", "ALLOWED_HOSTS": "registry.example.gov"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_secret_or_hosts(env, message):
    done = deploy_check(**env)
    assert done.returncode != 0
    assert message in done.stderr
