"""The two questions of time in a real browser: the control on a condition page leads from
"as recorded" (not yet recorded then) to "in effect" (the waiver that held), axe-clean."""

import datetime

import pytest

from conditions.services import waiver_record
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    CountryFactory,
    ParticipantFactory,
    UserFactory,
    waiver_fields,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def test_auditor_asks_both_questions_of_time_on_a_condition(page):
    editor = UserFactory(username="editor", role="editor")
    UserFactory(username="auditor", role="auditor")
    condition = ConditionFactory(title="Unit review recorded late")
    waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(
            signed_on=D(2024, 12, 20), effective_on=D(2024, 12, 20), expires_on=D(2025, 6, 30)
        ),
    )
    sign_in(page, "auditor")
    page.goto(f"{page.base}/conditions/{condition.pk}/")
    page.click("summary:has-text('Show this record on another day')")
    page.click("label[for=time-mode-recorded]")  # USWDS hides the real radio button
    page.fill("#time-day", "2025-01-01")
    page.click("button:has-text('Show')")
    page.wait_for_selector("text=Not yet recorded on January 1, 2025")
    assert page.url.endswith(f"/conditions/{condition.pk}/?as_of=2025-01-01")
    assert_accessible(page)

    page.click("text=see this condition in effect on January 1, 2025")
    page.wait_for_selector("text=In effect on Jan 1, 2025")
    assert "Yes, by 1 waiver chain in effect" in page.content()
    assert_accessible(page)
    screenshot(page, "condition_in_effect_on_a_day")

    page.click("text=Back to today")
    assert page.url.endswith(f"/conditions/{condition.pk}/")
    assert "No waiver in effect" in page.content()  # it expired on June 30, 2025


def test_an_agreement_as_recorded_and_in_effect_is_axe_clean(page):
    UserFactory(username="auditor", role="auditor")
    participant = ParticipantFactory(
        agreement=AgreementFactory(title="Counter-drone co-development"),
        partner=CountryFactory(name="Republic of Korea", iso3="KOR"),
        joined_on=D(2020, 1, 1),
    )
    url = f"{page.base}/agreements/{participant.agreement_id}/"
    sign_in(page, "auditor")
    today = datetime.date.today().isoformat()
    page.goto(f"{url}?as_of={today}")
    page.wait_for_selector("text=as recorded on")
    assert "Republic of Korea" in page.content() and "Co-development" in page.content()
    assert_accessible(page)
    screenshot(page, "agreement_as_recorded")
    page.goto(f"{url}?on=2019-06-01")
    page.wait_for_selector("text=Not yet joined")
    assert_accessible(page)
