"""Issue 13 item 4 on the wire: body size, 500s under /api/, one 401, no Server header,
a throttle keyed on the address the proxies report and shared by every worker."""

import datetime
import json
import time

import pytest
from django.core.cache import caches
from django.urls import path
from knox.models import AuthToken

from conditions.models import WaiverEntry
from tests.factories import ConditionFactory, UserFactory, waiver_fields

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


# This module is also the URLconf of the 500 tests (@pytest.mark.urls).
urlpatterns = [path("api/v1/boom/", boom), path("boom/", boom)]
handler500 = "core.security.server_error"


def _token(role="editor", **user) -> str:
    return AuthToken.objects.create(UserFactory(role=role, **user))[1]


# ----- request bodies ----------------------------------------------------------------


def test_an_api_body_over_the_limit_is_a_413_and_nothing_is_recorded(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024 * 1024
    condition = ConditionFactory()
    fields = waiver_fields(authority=condition.legal_basis)
    body = {
        **{k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in fields.items()},
        "authority": condition.legal_basis_id,
        "condition": condition.pk,
        "padding": "x" * (2 * 1024 * 1024),  # an unknown field, larger than the limit
    }
    response = client.post(
        "/api/v1/waivers/",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {_token()}",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "larger than 1 MB" in response.json()["detail"]
    assert not WaiverEntry.objects.exists()


def test_the_default_limit_is_ten_megabytes(client, editor):
    client.force_login(editor)
    response = client.post("/partners/new/", CONTENT_LENGTH=str(10 * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert client.post("/partners/new/", {"name": ""}).status_code == 200


def test_an_html_form_over_the_limit_is_a_413(client, editor, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024
    client.force_login(editor)
    response = client.post("/partners/new/", {"name": "x" * 4096, "kind": "company"})
    assert response.status_code == 413
    assert b"larger than" in response.content


def test_the_import_upload_takes_files_up_to_its_own_setting(client, editor, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.REQUEST_BODY_MAX_BYTES = 1024
    settings.IMPORT_UPLOAD_MAX_BYTES = 64 * 1024
    client.force_login(editor)
    header = "record_type,name,kind\n"
    small = SimpleUploadedFile("a.csv", (header + "partner,Acme,company\n" * 100).encode())
    assert client.post("/import/", {"file": small}).status_code == 200
    big = SimpleUploadedFile("b.csv", (header + "partner,Acme,company\n" * 60000).encode())
    assert client.post("/import/", {"file": big}).status_code == 413


# ----- errors ------------------------------------------------------------------------


@pytest.mark.urls("tests.security.test_request_limits")
def test_an_api_500_answers_json(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Server error. The error has been logged."}
    page = client.get("/boom/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_every_bad_token_gets_the_same_401(client):
    expired_key = _token(username="expired")
    AuthToken.objects.filter(user__username="expired").update(
        expiry=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    inactive_key = _token(username="inactive")
    UserFactory._meta.model.objects.filter(username="inactive").update(is_active=False)
    revoked_key = _token(username="revoked")
    AuthToken.objects.filter(user__username="revoked").delete()
    headers = [
        f"Token {expired_key}",
        f"Token {inactive_key}",
        f"Token {revoked_key}",
        "Token 0123456789abcdef0123456789abcdef",
        "Token",
        "Token a b",
        "Token ab\x00cd",
        "Token é",
        "Token " + "a" * 5000,
    ]
    answers = set()
    for header in headers:
        response = client.get("/api/v1/partners/", HTTP_AUTHORIZATION=header)
        answers.add((response.status_code, response.content))
    assert answers == {(401, b'{"detail":"Invalid token."}')}


def test_responses_name_no_server_product(client, editor):
    client.force_login(editor)
    assert "Server" not in client.get("/partners/")


def test_gunicorn_names_no_server_product():
    from gunicorn.http.wsgi import Response

    import config.gunicorn  # noqa: F401 (installs the hook, as `gunicorn -c` does)

    class Request:
        version = (1, 1)

        def should_close(self):
            return False

    response = Response(Request(), sock=None, cfg=None)
    response.status = "200 OK"
    response.req = Request()
    response.should_close = lambda: False
    headers = response.default_headers()
    assert headers[0].startswith("HTTP/1.1 200")
    assert not any(line.lower().startswith("server:") for line in headers)


def test_gunicorn_run_with_its_config_sends_no_server_header(tmp_path):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "-c",
            "python:config.gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "tests.security.wsgi_hello:app",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
        assert response.read() == b"hello"
        assert response.headers.get("Server") is None
    finally:
        server.terminate()
        server.wait(timeout=10)


# ----- the throttle --------------------------------------------------------------------


@pytest.fixture
def address_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1000/minute", "address": "3/minute"},
    }
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_the_throttle_ignores_x_forwarded_for_without_proxies(client, address_rate, settings):
    settings.NUM_PROXIES = 0
    auth = f"Token {_token()}"
    codes = [
        client.get(
            "/api/v1/partners/", HTTP_AUTHORIZATION=auth, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        ).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_behind_one_proxy_the_throttle_keys_on_the_address_it_saw(client, address_rate, settings):
    settings.NUM_PROXIES = 1
    auth = f"Token {_token()}"

    def get(forwarded):
        return client.get(
            "/api/v1/partners/", HTTP_AUTHORIZATION=auth, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    # A client that writes its own header cannot choose the address the proxy appends.
    assert [get(f"10.0.0.{n}, 198.51.100.7") for n in range(4)] == [200, 200, 200, 429]
    assert get("198.51.100.8") == 200


def test_the_default_cache_is_shared_by_every_worker(settings):
    from config.settings import base

    assert base.CACHES["default"]["BACKEND"] == "core.caching.RegistryDatabaseCache"


def test_the_database_cache_table_is_unlogged(settings):
    """A counter written on every API request waits for no WAL flush."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s",
            [settings.CACHES["database"]["LOCATION"]],
        )
        assert cursor.fetchone() == ("u",)


def test_the_database_cache_writes_with_one_statement(settings, django_assert_num_queries):
    from core.caching import RegistryDatabaseCache

    cache = RegistryDatabaseCache(settings.CACHES["database"]["LOCATION"], {})
    cache.CULL_EVERY = 10**9  # no counting in this test
    with django_assert_num_queries(1):
        cache.set("k", [1, 2], 60)
    with django_assert_num_queries(1):
        cache.set("k", [1, 2, 3], 60)  # the same key: replaced
    assert cache.get("k") == [1, 2, 3]
    cache.set("gone", "x", -1)
    assert cache.get("gone") is None
    cache.set("kept", "y", None)
    assert cache.get("kept") == "y"
    with django_assert_num_queries(1):  # the throttle's two counters: one upsert
        cache.set_many({"k": 4, "other": 1}, 60)
    assert cache.get_many(["k", "other", "kept"]) == {"k": 4, "other": 1, "kept": "y"}


def test_the_database_cache_culls_past_its_size(settings):
    from core.caching import RegistryDatabaseCache

    cache = RegistryDatabaseCache(
        settings.CACHES["database"]["LOCATION"], {"OPTIONS": {"MAX_ENTRIES": 10}}
    )
    cache.CULL_EVERY = 1  # count on every write
    for n in range(30):
        cache.set(f"key{n}", n, 60)
    stored = sum(cache.get(f"key{n}") is not None for n in range(30))
    assert stored <= 11


def test_throttle_counts_live_in_the_database_where_every_worker_reads_them(client, settings):
    from core.caching import RegistryDatabaseCache

    settings.CACHES = {"default": settings.CACHES["database"]}  # as deployed without CACHE_URL
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "address": "1000/minute"},
    }
    user = UserFactory(role="auditor")
    auth = f"Token {AuthToken.objects.create(user)[1]}"
    codes = [client.get("/api/v1/partners/", HTTP_AUTHORIZATION=auth).status_code for _ in "abc"]
    assert codes == [200, 200, 200]
    # Another worker process: its own cache object over the same table sees the count.
    other_worker = RegistryDatabaseCache(settings.CACHES["default"]["LOCATION"], {})
    window = int(time.time() // 60)  # the counters of this minute and the last
    keys = [f"throttle:user:{user.pk}:{w}" for w in (window, window - 1)]
    assert sum(other_worker.add_to_counters([], keys, timeout=60).values()) == 3
    assert client.get("/api/v1/partners/", HTTP_AUTHORIZATION=auth).status_code == 429
