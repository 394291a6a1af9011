"""A provider that does not answer, and local passwords turned off (LOCAL_LOGIN=false)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from core.roles import role_of
from tests.auth.conftest import (
    agency_sign_in,
    approve_at_provider,
    closed_port,
    configure,
    provider_running,
    start,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"
UNAVAILABLE = b"Your agency sign-in is not answering"


def password_sign_in(client, username="local"):
    data = {"username": username, "password": PASSWORD, "accept_notice": "on"}
    return client.post(reverse("login"), data)


def test_a_provider_that_does_not_answer_gets_a_clear_page(client, settings, role_groups):
    configure(settings, f"http://127.0.0.1:{closed_port()}")
    settings.OIDC_TIMEOUT = 2
    response = start(client)
    assert response.status_code == 503
    assert UNAVAILABLE in response.content
    assert b"use a local account if you have one" in response.content
    assert "_auth_user_id" not in client.session


def test_local_sign_in_works_while_the_provider_is_down(client, settings, role_groups):
    configure(settings, f"http://127.0.0.1:{closed_port()}")
    UserFactory(username="local", role="editor")
    assert b"Sign in with Test Agency ID" in client.get(reverse("login")).content
    response = password_sign_in(client)
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_provider_that_goes_down_mid_sign_in_gets_the_same_page(client, settings, role_groups):
    with provider_running(settings):
        callback = approve_at_provider(start(client).url, "sub-ed")
    # The provider stopped between sending the browser back and the token request.
    response = client.get(callback)
    assert response.status_code == 503
    assert UNAVAILABLE in response.content


def test_sign_out_does_not_wait_for_a_provider_that_is_down(client, settings, role_groups):
    with provider_running(settings):
        agency_sign_in(client, "sub-ed")
    response = client.post(reverse("logout"))
    # The end-session address was discovered before, so the browser is sent there; the
    # registry itself made no call and the session here has ended.
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_local_login_off_removes_the_form_and_refuses_its_post(client, settings, provider):
    settings.LOCAL_LOGIN = False
    UserFactory(username="local", role="editor")
    page = client.get(reverse("login")).content.decode()
    assert 'id="id_password"' not in page and 'id="id_username"' not in page
    assert "Sign in with Test Agency ID" in page
    assert 'id="id_accept_notice"' in page  # the notice still comes first
    assert password_sign_in(client).status_code == 403
    assert "_auth_user_id" not in client.session
    # The admin's own form goes through the same backends.
    admin = client.post(
        "/admin/login/", {"username": "local", "password": PASSWORD, "next": "/admin/"}
    )
    assert "_auth_user_id" not in client.session, admin.status_code
    # Agency sign-in is unaffected.
    assert agency_sign_in(client, "sub-ed").status_code == 302
    assert role_of(get_user_model().objects.get(pk=client.session["_auth_user_id"])) == "editor"


def test_create_user_still_works_with_local_login_off(settings, role_groups):
    settings.LOCAL_LOGIN = False
    out = io.StringIO()
    stdin = io.StringIO("a-long-passphrase-for-operators\n")
    arguments = ["operator", "--role", "auditor", "--password-stdin"]
    call_command("create_user", *arguments, stdin=stdin, stdout=out)
    user = get_user_model().objects.get(username="operator")
    assert role_of(user) == "auditor" and user.check_password("a-long-passphrase-for-operators")


def test_no_way_in_is_said_plainly(client, settings):
    settings.LOCAL_LOGIN = False
    settings.OIDC_ISSUER = ""
    page = client.get(reverse("login")).content.decode()
    assert "Sign-in is not available" in page
