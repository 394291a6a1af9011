"""A local editor registers a passkey, then verifies with it, in Debian's chromium with a
virtual authenticator (Chrome DevTools' WebAuthn domain) standing in for the device."""

import pytest

from tests.browser.conftest import (  # noqa: F401 (fixtures)
    PASSWORD,
    _rows_made_by_migrations,
    browser,
    page,
    screenshot,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def authenticator(page, settings, live_server):  # noqa: F811 (fixture)
    settings.REQUIRE_SECOND_FACTOR_FOR = ["editor", "admin"]
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    devtools.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    return devtools


def password_sign_in(page, username):  # noqa: F811 (fixture)
    page.goto(page.base + "/accounts/login/")
    if page.locator("#id_accept_notice").count():
        page.click("label[for=id_accept_notice]")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")


def test_register_then_verify_a_passkey(page, authenticator):  # noqa: F811 (fixture)
    UserFactory(username="ed", role="editor")
    password_sign_in(page, "ed")
    page.wait_for_url(page.base + "/accounts/second-factor/**")
    page.click("#passkey-register-button")
    page.wait_for_url(page.base + "/")  # registered, verified for this session, sent on
    assert "ed (editor)" in page.inner_text(".app-user")

    page.click("button:has-text('Sign out')")
    password_sign_in(page, "ed")
    page.wait_for_url(page.base + "/accounts/second-factor/**")
    assert "Verify it is you" in page.inner_text("h1")
    screenshot(page, "passkey-verify")
    page.click("#passkey-verification-button")
    page.wait_for_url(page.base + "/")
    page.goto(page.base + "/partners/")
    assert page.url == page.base + "/partners/"
