"""A person signs in through the provider's own page in Debian's chromium, and signs out."""

import copy

import pytest

from core.roles import ROLES
from tests.auth.conftest import provider_running
from tests.browser.conftest import (  # noqa: F401 (fixtures)
    _rows_made_by_migrations,
    browser,
    page,
    screenshot,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def agency(settings):
    with provider_running(settings) as issuer:
        # base.py adds the provider to form-action when OIDC_ISSUER is set at start-up.
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(issuer)
        settings.CONTENT_SECURITY_POLICY = policy
        yield issuer


def test_sign_in_and_out_through_the_providers_page(page, agency):  # noqa: F811 (fixture)
    assert ROLES  # the role groups exist (tests/browser/conftest.py)
    page.goto(page.base + "/accounts/login/")
    page.click("label[for=id_accept_notice]")  # USWDS hides the real checkbox
    page.click("button:has-text('Sign in with Test Agency ID')")

    page.wait_for_url(agency + "/oauth2/authorize*")  # the provider's own page
    page.fill("input[name=sub]", "sub-ed")
    page.click("button:has-text('Authorize')")

    page.wait_for_url(page.base + "/")
    assert "ed (editor)" in page.inner_text(".app-user")
    screenshot(page, "agency-sign-in")

    page.click("button:has-text('Sign out')")
    page.wait_for_url(agency + "/oauth2/end_session*")  # RP-initiated logout
    page.click("button[type=submit]")
    page.wait_for_url(page.base + "/accounts/login/")
    page.goto(page.base + "/")
    assert "/accounts/login/" in page.url  # signed out here too
