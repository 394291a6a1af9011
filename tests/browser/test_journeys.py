"""What a new user does, in a real browser: editors enter records, auditors read and export."""

import csv
import datetime

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement, Provision
from conditions.models import WaiverEntry
from core.registry_day import registry_today
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.factories import (
    ConditionFactory,
    CountryFactory,
    ProvisionFactory,
    RequirementFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = registry_today()


def pick(page, selector: str, typed: str, label: str) -> None:
    """Choose a record in a type-ahead box with the keyboard, as a person would."""
    page.fill(selector, typed)
    option = page.locator(f"{selector}_listbox [role=option]", has_text=label).first
    option.wait_for()
    page.press(selector, "ArrowDown")
    while page.get_attribute(selector, "aria-activedescendant") != option.get_attribute("id"):
        page.press(selector, "ArrowDown")
    page.press(selector, "Enter")
    expect(page.locator(selector)).to_have_value(label)


def test_editor_creates_an_agreement_and_finds_it_through_a_filter(page):
    UserFactory(username="editor", role="editor")
    japan = CountryFactory(name="Japan", iso3="JPN")
    CountryFactory(name="Israel", iso3="ISR")
    ProvisionFactory(section="2350a", heading="Cooperative research and development")
    sign_in(page, "editor")
    assert_accessible(page)
    screenshot(page, "dashboard")

    page.click("text=Agreements")
    page.click("text=New agreement")
    page.fill("#id_reference", "DTC-2026-0042")
    page.fill("#id_title", "Glide Phase Interceptor co-development")
    page.select_option("#id_agreement_type", "co_development")
    page.select_option("#id_status", "signed")
    page.fill("#id_signed_on", "2024-05-01")
    page.select_option("#id_technology_transfer_risk", "high")
    page.click("label:has-text('Missile defense')")  # USWDS hides the real checkbox
    pick(page, "#id_participants-0-partner", "Jap", "Japan")
    page.select_option("#id_participants-0-role", "lead")
    page.fill("#id_participants-0-cost_share_percent", "60")
    pick(page, "#id_participants-1-partner", "Isr", "Israel")
    page.select_option("#id_participants-1-role", "participant")
    page.fill("#id_participants-1-cost_share_percent", "50")
    provision = Provision.objects.get(section="2350a")
    pick(page, "#id_legal_bases-0-provision", "2350a", provision.citation)
    page.select_option("#id_legal_bases-0-role", "authorizes")
    assert_accessible(page)
    screenshot(page, "agreement_form")

    page.click("button:has-text('Save agreement')")  # 110% in shares: refused
    page.wait_for_selector("text=more than 100%")
    assert_accessible(page)
    screenshot(page, "agreement_form_errors")
    assert page.input_value("#id_title") == "Glide Phase Interceptor co-development"

    page.fill("#id_participants-1-cost_share_percent", "40")
    page.click("button:has-text('Save agreement')")
    page.wait_for_selector("text=Agreement DTC-2026-0042")
    agreement = Agreement.objects.get(reference="DTC-2026-0042")
    assert agreement.participants.count() == 2 and agreement.legal_bases.count() == 1
    assert_accessible(page)
    screenshot(page, "agreement_detail")

    page.click("nav >> text=Agreements")
    pick(page, "#id_partner", "Japan", "Japan")
    assert page.input_value("#id_partner_value") == str(japan.pk)
    page.click("button:has-text('Apply filters')")
    page.wait_for_url("**partner=*")
    expect(page.locator("tbody tr", has_text="DTC-2026-0042")).to_have_count(1)
    assert_accessible(page)
    screenshot(page, "agreement_list")


def test_editor_records_a_waiver_and_sees_it_on_the_timeline(page):
    UserFactory(username="editor", role="editor")
    condition = ConditionFactory(title="Leahy vetting, unit X")
    RequirementFactory(condition=condition, label="(a)(1)")
    sign_in(page, "editor")
    page.goto(page.base + f"/conditions/{condition.pk}/")
    page.click("text=Record a waiver entry")
    page.select_option("#id_action", "granted")
    page.select_option("#id_standard", "national_security_interest")
    page.fill("#id_official_title", "Secretary of State")
    page.fill("#id_official_name", "A. Official")
    page.fill("#id_signed_on", (TODAY - datetime.timedelta(days=2)).isoformat())
    page.fill("#id_effective_on", (TODAY - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_expires_on", (TODAY + datetime.timedelta(days=20)).isoformat())
    page.click("label:has-text('(a)(1)')")
    page.fill("#id_justification", "Important to the national security interest.")
    page.select_option("#id_publicity", "published_official")
    screenshot(page, "waiver_form")
    page.click("button:has-text('Record waiver entry')")
    entry = WaiverEntry.objects.get(condition=condition)
    timeline_entry = page.locator(f"#waiver-{entry.pk}")
    timeline_entry.wait_for()
    assert "Granted" in timeline_entry.text_content()
    assert "In effect" in timeline_entry.text_content()

    # Extend it: the new entry links back to the one it amends.
    timeline_entry.locator("text=Extend").click()
    page.select_option("#id_standard", "national_security_interest")
    page.fill("#id_official_title", "Secretary of State")
    page.fill("#id_signed_on", TODAY.isoformat())
    page.fill("#id_effective_on", TODAY.isoformat())
    page.fill("#id_expires_on", (TODAY + datetime.timedelta(days=200)).isoformat())
    page.fill("#id_justification", "Extended for another period.")
    page.select_option("#id_publicity", "notified_only")
    page.click("button:has-text('Record waiver entry')")
    extension = WaiverEntry.objects.get(action="extended")
    page.locator(f"#waiver-{extension.pk} a[href='#waiver-{entry.pk}']").wait_for()
    assert_accessible(page)
    screenshot(page, "condition_detail")


def test_auditor_filters_exports_and_cannot_edit(page, tmp_path):
    from conditions.services import waiver_record
    from tests.factories import waiver_fields

    editor = UserFactory(username="editor", role="editor")
    UserFactory(username="auditor", role="auditor")
    egypt = CountryFactory(name="Egypt", iso3="EGY")
    israel = CountryFactory(name="Israel", iso3="ISR")
    for partner in (egypt, israel):
        condition = ConditionFactory(partner=partner, title=f"FMF condition, {partner.name}")
        waiver_record(
            condition=condition, actor=editor, **waiver_fields(authority=condition.legal_basis)
        )
    sign_in(page, "auditor")
    page.click("nav >> text=Waiver history")
    pick(page, "#id_partner", "Egy", "Egypt")
    page.select_option("#id_action", "granted")
    page.click("button:has-text('Apply filters')")
    page.wait_for_url("**partner=*")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr").first).to_contain_text("Egypt")
    assert_accessible(page)
    screenshot(page, "waiver_history")

    with page.expect_download() as download_info:
        page.click("text=Download CSV")
    path = tmp_path / "waivers.csv"
    download_info.value.save_as(path)
    with path.open(newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert [r["partner"] for r in exported] == ["Egypt"]

    # No edit controls anywhere an editor would have them.
    page.goto(page.base + f"/conditions/{condition.pk}/")
    assert_accessible(page)
    for control in ("Edit", "Record a waiver entry", "Record a review", "Acknowledge"):
        assert page.locator(f"main >> text='{control}'").count() == 0
    page.goto(page.base + "/agreements/")
    assert page.locator("text=New agreement").count() == 0
    response = page.goto(page.base + "/agreements/new/")
    assert response.status == 403


def test_phone_width_shows_the_menu_button(page):
    UserFactory(username="auditor", role="auditor")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "auditor")
    page.click("button.usa-menu-btn")
    page.locator("nav.usa-nav >> text=Waiver history").click()
    page.wait_for_url("**/waivers/")
    screenshot(page, "phone_waiver_history")
