"""REQUIRE_SECOND_FACTOR_FOR: local editors and admins need a verified passkey first."""

import hashlib

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from tests.auth.conftest import agency_sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"
PAGE = reverse("second_factor")


@pytest.fixture(autouse=True)
def _second_factor_for_editors_and_admins(settings):
    settings.REQUIRE_SECOND_FACTOR_FOR = ["editor", "admin"]


def password_sign_in(client, username):
    data = {"username": username, "password": PASSWORD, "accept_notice": "on"}
    assert client.post(reverse("login"), data).status_code == 302


def passkey_for(user) -> WebAuthnCredential:
    credential_id = f"credential-of-{user.username}".encode()
    return WebAuthnCredential.objects.create(
        user=user,
        name="Test key",
        confirmed=True,
        credential_id=credential_id,
        credential_id_sha256=hashlib.sha256(credential_id).hexdigest(),
        public_key=b"not-used-here",
        sign_count=0,
    )


def test_a_local_editor_without_a_passkey_is_sent_to_register_one(client):
    UserFactory(username="ed", role="editor")
    password_sign_in(client, "ed")
    response = client.get("/partners/")
    assert response.status_code == 302
    assert response.url == f"{PAGE}?next=/partners/"
    page = client.get(response.url)
    assert page.status_code == 200
    assert b"Register a passkey" in page.content and b"needs a second factor" in page.content
    assert b'id="otp_webauthn_config"' in page.content  # data for the library's own script
    assert b"<script>" not in page.content  # CSP: no inline script
    assert b'data-next="/partners/"' in page.content


def test_registration_can_begin_for_that_editor(client, settings):
    UserFactory(username="ed", role="editor")
    password_sign_in(client, "ed")
    begun = client.post(
        reverse("otp_webauthn:credential-registration-begin"), content_type="application/json"
    )
    assert begun.status_code == 200
    options = begun.json()
    assert options["rp"]["id"] == settings.OTP_WEBAUTHN_RP_ID
    assert options["challenge"] and options["user"]["name"] == "ed"


def test_the_api_in_the_browser_session_is_refused_too(client):
    UserFactory(username="ed", role="editor")
    password_sign_in(client, "ed")
    response = client.get("/api/v1/partners/")
    assert response.status_code == 403
    assert "second-factor" in response.json()["detail"]


def test_an_editor_with_a_passkey_is_asked_to_use_it(client):
    editor = UserFactory(username="ed", role="editor")
    passkey_for(editor)
    password_sign_in(client, "ed")
    page = client.get(client.get("/").url)
    assert b"Verify it is you" in page.content and b"passkey-verification-button" in page.content


def test_a_verified_editor_goes_everywhere(client):
    editor = UserFactory(username="ed", role="editor")
    device = passkey_for(editor)
    password_sign_in(client, "ed")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # what django_otp.login() records
    session.save()
    assert client.get("/partners/").status_code == 200


def test_admins_need_it_and_auditors_do_not(client):
    UserFactory(username="boss", role="admin")
    UserFactory(username="reader", role="auditor")
    password_sign_in(client, "boss")
    assert client.get("/").url.startswith(PAGE)
    client.post(reverse("logout"))
    password_sign_in(client, "reader")
    assert client.get("/").status_code == 200


def test_not_required_unless_configured(client, settings):
    settings.REQUIRE_SECOND_FACTOR_FOR = []
    UserFactory(username="ed", role="editor")
    password_sign_in(client, "ed")
    assert client.get("/").status_code == 200
    assert b"Register a passkey" in client.get(PAGE).content  # still offered


def test_agency_sign_ins_are_left_to_the_provider(client, provider):
    assert agency_sign_in(client, "sub-ed").status_code == 302
    assert client.get("/").status_code == 200
