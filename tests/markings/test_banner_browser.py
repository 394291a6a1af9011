"""In a real browser: the marking banner on a list, a detail page, the dashboard and a report,
each at its right level, and axe finds nothing on a marked page."""

import datetime

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from core.registry_day import registry_today
from tests.browser import conftest as browser_setup
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import ConditionFactory, CountryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BANNER = "CUI//SP-EXPT//NOFORN"

# The browser set-up lives in tests/browser/conftest.py; these names make its fixtures
# available here.
browser = browser_setup.browser
page = browser_setup.page
_rows_made_by_migrations = browser_setup._rows_made_by_migrations


def banner(page):
    return page.locator(".app-marking__line")


def test_banners_show_the_level_of_what_each_page_shows(page):
    user = UserFactory(username="cleared", role="editor")
    user.groups.add(Group.objects.get_or_create(name="cui:EXPT")[0])
    israel = CountryFactory(name="Israel", iso3="ISR")
    ConditionFactory(partner=israel, title="Open condition")
    secret = ConditionFactory(
        partner=israel,
        title="Export-controlled condition",
        marking_categories=["EXPT"],
        marking_dissemination="NOFORN",
        next_review_due=registry_today() + datetime.timedelta(days=10),  # on the dashboard
    )
    sign_in(page, "cleared")
    expect(banner(page)).to_have_count(2)  # the dashboard: top and bottom
    expect(banner(page).first).to_have_text(BANNER)

    page.goto(page.base + "/conditions/")
    expect(banner(page).first).to_have_text(BANNER)
    expect(page.locator(".app-marking-tag")).to_have_text([BANNER])  # only the marked row
    assert_accessible(page)

    page.goto(page.base + f"/conditions/{secret.pk}/")
    expect(banner(page).last).to_have_text(BANNER)
    assert_accessible(page)

    page.goto(page.base + f"/partners/{israel.pk}/")  # it lists the marked condition
    expect(banner(page).first).to_have_text(BANNER)

    page.goto(page.base + "/reports/access/")  # no agreements: nothing controlled
    expect(banner(page).first).to_have_text("UNCLASSIFIED")
    page.goto(page.base + "/reports/enforcement/")
    expect(banner(page).first).to_have_text(BANNER)
