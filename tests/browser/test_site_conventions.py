"""In a real browser: the sign-in notice, the flag list, the error summary, screenshots' home."""

import os

import pytest
from playwright.sync_api import expect

from conditions.models import Flag
from tests.browser.conftest import (
    PASSWORD,
    ROOT,
    assert_accessible,
    screenshot,
    screenshots_dir,
    sign_in,
)
from tests.factories import ConditionFactory, CountryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BANNER = "An official website of the United States government"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_sign_in_asks_for_the_notice_once_per_session(page):
    UserFactory(username="editor", role="editor")
    page.goto(page.base + "/partners/")  # not signed in: sent to sign in, notice first
    expect(page.locator(".usa-banner")).to_contain_text(BANNER)
    expect(page.locator("#notice-heading")).to_have_text("System-use notice")
    assert_accessible(page)
    screenshot(page, "sign_in")

    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    summary = page.locator(".app-error-summary")
    expect(summary).to_contain_text("Accept the system-use notice to sign in.")
    expect(summary).to_be_focused()
    assert_accessible(page)

    page.click("label[for=id_accept_notice]")
    page.fill("#id_password", "wrong")
    page.click("button:has-text('Sign in')")
    expect(page.locator(".app-error-summary")).to_contain_text("did not match")
    assert page.locator("#id_accept_notice").count() == 0  # accepted for this session
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/partners/")
    expect(page.locator(".usa-identifier")).to_contain_text("official website of the")


def test_editor_works_the_flag_list_from_the_dashboard(page):
    UserFactory(username="editor", role="editor")
    egypt = CountryFactory(name="Egypt", iso3="EGY")
    overdue = ConditionFactory(partner=egypt, title="FMF certification", responsible_office="PM")
    Flag.objects.create(condition=overdue, kind=Flag.Kind.REVIEW_OVERDUE)
    for n in range(3):
        Flag.objects.create(condition=ConditionFactory(), kind=Flag.Kind.WAIVER_IN_EFFECT)
    sign_in(page, "editor")
    page.click("#flags-heading + p + table >> text=Review overdue")
    page.wait_for_url("**/flags/?kind=review_overdue&status=open")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("FMF certification")
    expect(page.locator("#id_kind")).to_have_value("review_overdue")
    assert_accessible(page)

    page.fill("#id_partner_name", "egy")
    page.click("button:has-text('Apply filters')")
    page.wait_for_url("**partner_name=egy*")
    expect(rows).to_have_count(1)
    rows.first.locator("button:has-text('Acknowledge')").click()
    expect(page.locator(".app-messages")).to_contain_text("acknowledged")
    assert "partner_name=egy" in page.url  # back on the same filtered list: open flags only
    expect(rows.first).to_contain_text("No flags match these filters.")
    page.select_option("#id_status", "acknowledged")
    page.click("button:has-text('Apply filters')")
    page.wait_for_url("**status=acknowledged*")
    expect(rows.first).to_contain_text("Acknowledged")
    expect(rows.first).to_contain_text("by editor")

    page.goto(page.base + "/flags/")
    expect(rows).to_have_count(4)
    assert_accessible(page)
    screenshot(page, "flag_list")
    page.set_viewport_size({"width": 375, "height": 800})
    assert no_sideways_scroll(page)
    assert_accessible(page)


def test_auditor_sees_flags_without_buttons(page):
    UserFactory(username="auditor", role="auditor")
    Flag.objects.create(condition=ConditionFactory(), kind=Flag.Kind.REVIEW_DUE_SOON)
    sign_in(page, "auditor")
    page.goto(page.base + "/flags/")
    expect(page.locator("tbody tr")).to_have_count(1)
    assert page.locator("main button:has-text('Acknowledge')").count() == 0
    assert page.locator("main button:has-text('Resolve')").count() == 0


def test_error_summary_links_to_each_field_and_takes_focus(page):
    UserFactory(username="editor", role="editor")
    sign_in(page, "editor")
    page.goto(page.base + "/agreements/new/")
    expect(page.locator(".usa-breadcrumb")).to_contain_text("New agreement")
    page.click("button:has-text('Save agreement')")
    summary = page.locator(".app-error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#id_reference']")).to_contain_text("Reference")
    summary.locator("a[href='#id_title']").click()
    assert page.url.endswith("#id_title")
    assert_accessible(page)


def test_screenshots_go_under_var_unless_refreshing_on_purpose(monkeypatch):
    monkeypatch.delenv("SCREENSHOTS_DIR", raising=False)
    assert screenshots_dir() == ROOT / "var" / "screenshots"
    monkeypatch.setenv("SCREENSHOTS_DIR", "docs/screenshots")
    assert screenshots_dir() == ROOT / "docs" / "screenshots"
    assert os.access(ROOT / ".ci" / "refresh-screenshots", os.X_OK)
