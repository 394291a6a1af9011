"""Playwright driving Debian's chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# for their fixtures are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# CI runs the suite with every clock shifted by libfaketime (.ci/clock-at). Chromium's zygote
# does not survive the preloaded library, so the browser keeps the real clock; only the
# server, whose clock is shifted, says what day it is (the session cookie has no Expires).
CHROMIUM_ENV = {
    name: value
    for name, value in os.environ.items()
    if name != "LD_PRELOAD" and not name.startswith("FAKETIME")
}
PASSWORD = "correct-horse-battery-staple"
ROOT = Path(__file__).resolve().parents[2]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API holds an event loop in this thread until it stops,
    # and other modules' browser tests start their own.
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _rows_made_by_migrations(transactional_db):
    """Live-server tests run on a flushed database: put back the roles and technology areas."""
    import importlib

    from django.contrib.auth.models import Group

    from agreements.models import TechnologyArea
    from core.roles import ROLES

    for role in ROLES:
        Group.objects.get_or_create(name=role)
    areas = importlib.import_module("agreements.migrations.0003_technology_areas").AREAS
    for slug, name in areas.items():
        TechnologyArea.objects.get_or_create(slug=slug, defaults={"name": name})


def sign_in(page, username):
    page.goto(page.base + "/accounts/login/")
    if page.locator("#id_accept_notice").count():  # once per session (core/web/signin.py)
        page.click("label[for=id_accept_notice]")  # USWDS hides the real checkbox
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(page.base + "/")


def screenshots_dir() -> Path:
    """var/screenshots/ (ignored by git) unless SCREENSHOTS_DIR says otherwise.

    Test runs never rewrite the tracked docs/screenshots/: `.ci/refresh-screenshots` sets
    SCREENSHOTS_DIR=docs/screenshots to refresh them on purpose (README "Screenshots").
    """
    configured = os.environ.get("SCREENSHOTS_DIR")
    return ROOT / configured if configured else ROOT / "var" / "screenshots"


def screenshot(page, name):
    folder = screenshots_dir()
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def assert_accessible(page):
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, results.generate_report()
