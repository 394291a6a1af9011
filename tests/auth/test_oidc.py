"""Agency sign-in against a real OpenID provider on loopback (oidc-provider-mock)."""

import base64
import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.auth.models import ExternalIdentity
from core.auth.oidc import AgencyOIDCBackend
from core.auth.views import AGENCY, SIGN_IN_METHOD
from core.roles import role_of
from core.web.signin import NOTICE_ACCEPTED
from tests.auth.conftest import (
    CLIENT_ID,
    SUB_FOR_ROLE,
    agency_sign_in,
    approve_at_provider,
    provider_running,
    query,
    set_agency_user,
    start,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


@pytest.mark.parametrize("role", ["editor", "auditor", "admin"])
def test_each_role_signs_in_through_the_provider(client, provider, role):
    response = agency_sign_in(client, SUB_FOR_ROLE[role])
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = signed_in_user(client)
    assert role_of(user) == role
    assert user.is_superuser == (role == "admin")
    assert not user.has_usable_password()
    assert client.session[SIGN_IN_METHOD] == AGENCY
    link = ExternalIdentity.objects.get(user=user)
    assert (link.issuer, link.subject) == (provider, SUB_FOR_ROLE[role])
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_authorization_request_carries_state_nonce_and_pkce(client, provider):
    started = start(client)
    assert started.url.startswith(provider + "/")
    params = query(started.url)
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) >= 43
    assert params["state"] and params["nonce"]
    assert "openid" in params["scope"].split()
    pending = client.session["oidc_states"][params["state"]]
    assert pending["nonce"] == params["nonce"] and pending["code_verifier"]


def test_the_next_page_survives_the_round_trip(client, provider):
    response = agency_sign_in(client, "sub-ed", next_url="/partners/")
    assert response.url == "/partners/"


def test_a_user_whose_groups_map_to_no_role_gets_none(client, provider):
    response = agency_sign_in(client, "sub-none")
    assert response.status_code == 302
    user = signed_in_user(client)
    assert user is not None and role_of(user) is None
    assert client.get(reverse("dashboard")).status_code == 403


def test_a_changed_group_changes_the_role_at_the_next_sign_in(client, provider):
    agency_sign_in(client, "sub-ed")
    user = signed_in_user(client)
    assert role_of(user) == "editor"
    client.post(reverse("logout"))

    set_agency_user(provider, "sub-ed", {"groups": ["auditors"], "preferred_username": "ed"})
    agency_sign_in(client, "sub-ed")
    assert signed_in_user(client).pk == user.pk
    assert role_of(signed_in_user(client)) == "auditor"
    client.post(reverse("logout"))

    set_agency_user(provider, "sub-ed", {"groups": [], "preferred_username": "ed"})
    agency_sign_in(client, "sub-ed")
    assert role_of(signed_in_user(client)) is None
    assert not signed_in_user(client).groups.exists()


def test_admin_removed_at_the_provider_loses_superuser(client, provider):
    agency_sign_in(client, "sub-ad")
    client.post(reverse("logout"))
    set_agency_user(provider, "sub-ad", {"groups": ["editors"]})
    agency_sign_in(client, "sub-ad")
    user = signed_in_user(client)
    assert role_of(user) == "editor" and not user.is_superuser and not user.is_staff


def test_a_local_account_of_the_same_name_and_email_is_never_taken_over(client, provider):
    local = UserFactory(username="ed", email="au@agency.gov", role="auditor")
    agency_sign_in(client, "sub-ed")  # preferred_username "ed"
    assert signed_in_user(client).pk != local.pk
    assert signed_in_user(client).username.startswith("ed-")
    client.post(reverse("logout"))
    agency_sign_in(client, "sub-au")  # email au@agency.gov
    assert signed_in_user(client).pk != local.pk
    local.refresh_from_db()
    assert role_of(local) == "auditor" and not local.external_identities.exists()


def test_a_tampered_id_token_is_refused(client, provider, monkeypatch):
    real_get_token = AgencyOIDCBackend.get_token

    def tampered(self, payload):
        tokens = real_get_token(self, payload)
        header, body, signature = tokens["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        claims["groups"] = ["admins"]  # a promotion the provider never signed
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return {**tokens, "id_token": f"{header}.{body}.{signature}"}

    monkeypatch.setattr(AgencyOIDCBackend, "get_token", tampered)
    response = agency_sign_in(client, "sub-ed")
    assert response.status_code == 403
    assert b"could not be accepted" in response.content
    assert signed_in_user(client) is None


def test_a_token_for_another_nonce_is_refused(client, provider):
    started = start(client)
    session = client.session
    for pending in session["oidc_states"].values():
        pending["nonce"] = "a-nonce-from-another-attempt"
    session.save()
    response = client.get(approve_at_provider(started.url, "sub-ed"))
    assert response.status_code == 403
    assert signed_in_user(client) is None


def test_an_unknown_state_is_refused(client, provider):
    started = start(client)
    callback = approve_at_provider(started.url, "sub-ed")
    forged = callback.replace(f"state={query(started.url)['state']}", "state=forged")
    response = client.get(forged)
    assert response.status_code == 403
    assert signed_in_user(client) is None


def test_an_expired_id_token_is_refused(client, settings, role_groups, caplog):
    settings.OIDC_LEEWAY_SECONDS = 30
    # The provider's tokens expired two minutes before they were issued: past the leeway.
    expired = datetime.timedelta(seconds=-120)
    with provider_running(settings, access_token_max_age=expired):
        response = agency_sign_in(client, "sub-ed")
    assert response.status_code == 403
    assert signed_in_user(client) is None
    assert "Signature has expired" in caplog.text


def test_nobody_reaches_the_provider_before_accepting_the_notice(client, provider):
    refused = start(client, accept=False)
    assert refused.status_code == 302
    assert refused.url == reverse("login") + "?notice=required"
    page = client.get(refused.url)
    assert b"Accept the system-use notice to sign in." in page.content
    assert client.get(reverse("agency_sign_in")).url == reverse("login")
    assert NOTICE_ACCEPTED not in client.session


def test_the_sign_in_page_offers_the_provider(client, provider, settings):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Test Agency ID" in page
    assert 'id="id_password"' in page
    settings.OIDC_ISSUER = ""
    assert "Sign in with" not in client.get(reverse("login")).content.decode()


def test_sign_out_ends_the_session_at_the_provider_too(client, provider):
    agency_sign_in(client, "sub-ed")
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url.startswith(provider + "/oauth2/end_session?")
    params = query(response.url)
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://testserver" + reverse("login")
    assert signed_in_user(client) is None


def test_sign_out_of_a_local_account_stays_here(client, provider):
    UserFactory(username="local", role="editor")
    client.post(
        reverse("login"),
        {"username": "local", "password": "correct-horse-battery-staple", "accept_notice": "on"},
    )
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
