"""The system-use notice (AC-8) comes before every sign-in, the admin's included, and only
an explicit acceptance counts (issue 25, item 6)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


@pytest.mark.parametrize("value", ["off", "0", "false", "no", "", " "])
def test_only_an_explicit_acceptance_counts(client, value):
    UserFactory(username="someone", role="editor")
    data = {"username": "someone", "password": PASSWORD, "accept_notice": value}
    response = client.post(reverse("login"), data)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert b"Accept the system-use notice to sign in." in response.content


def test_a_ticked_box_is_an_acceptance(client):
    UserFactory(username="someone", role="editor")
    data = {"username": "someone", "password": PASSWORD, "accept_notice": "on"}
    assert client.post(reverse("login"), data).status_code == 302
    assert "_auth_user_id" in client.session


def test_admin_sign_in_cannot_skip_the_notice(client):
    UserFactory(username="boss", role="admin")
    posted = client.post(
        "/admin/login/?next=/admin/", {"username": "boss", "password": PASSWORD, "next": "/admin/"}
    )
    assert "_auth_user_id" not in client.session
    assert posted.status_code == 302
    assert posted["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    page = client.get(posted["Location"])
    assert b'name="accept_notice"' in page.content
    signed_in = client.post(
        posted["Location"], {"username": "boss", "password": PASSWORD, "accept_notice": "on"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_asks_for_sign_in_through_the_notice(client):
    response = client.get("/admin/partners/partner/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert b'name="accept_notice"' in response.content
