"""A real browser loads the main pages and the API docs under the Content Security Policy and
reports no violation (Chromium logs each refused script, style or image to the console)."""

import os
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from tests.browser.conftest import CHROMIUM, CHROMIUM_ENV
from tests.browser.conftest import CHROMIUM_ARGS as ARGS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in the test thread

PAGES = [
    "dashboard",
    "partners:partner_list",
    "agreements:act_list",
    "agreements:agreement_list",
    "conditions:condition_list",
    "conditions:waiver_list",
    "history:changes",
    "api-docs",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def page_paths() -> list[str]:
    paths = []
    for name in PAGES:
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            continue  # a page not built yet; the static test checks the others' HTML too
    return paths


@pytest.fixture
def signed_in_context(live_server, client):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from django.contrib.auth.models import Group
    from playwright.sync_api import sync_playwright

    from tests.factories import UserFactory

    Group.objects.get_or_create(name="auditor")
    client.force_login(UserFactory(username="csp-reader", role="auditor"))
    cookie = client.cookies["sessionid"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=CHROMIUM_ENV)
        context = browser.new_context()
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        yield context, live_server.url
        browser.close()


def test_main_pages_and_api_docs_load_without_csp_violations(signed_in_context):
    context, base = signed_in_context
    paths = page_paths()
    assert "/api/docs/" in paths and len(paths) >= 3
    violations, failures = [], []
    page = context.new_page()
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: failures.append(str(error)))
    for path in paths:
        response = page.goto(base + path, wait_until="networkidle")
        assert response.status < 400, (path, response.status)
        assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.goto(base + "/api/docs/", wait_until="networkidle")
    page.wait_for_selector(".swagger-ui .information-container", timeout=15_000)
    assert violations == []
    assert failures == []
