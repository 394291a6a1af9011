"""Lockout after 3 failed sign-ins in 15 minutes, every attempt logged, idle sessions expire,
Django's password validators."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery-staple"


def sign_in(client, username, password):
    # The sign-in form asks for the system-use notice's acceptance (core/web/signin.py).
    data = {"username": username, "password": password, "accept_notice": "on"}
    return client.post(reverse("login"), data)


@pytest.mark.django_db
def test_three_failures_lock_the_account_even_with_the_right_password(client, caplog):
    UserFactory(username="victim", role="editor")
    for _ in range(2):
        assert sign_in(client, "victim", "wrong").status_code == 200  # form error, not locked
    locked = sign_in(client, "victim", "wrong")
    assert locked.status_code == 429
    assert b"Account temporarily locked" in locked.content
    assert b"locked for 30 minutes" in locked.content and b"PT30M" not in locked.content

    again = sign_in(client, "victim", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username="victim")
    assert attempt.failures_since_start >= 3
    assert AccessFailureLog.objects.filter(username="victim").count() >= 3
    assert any("victim" in r.getMessage() for r in caplog.records if r.name.startswith("axes"))


@pytest.mark.django_db
def test_lockout_is_by_username_not_address(client):
    UserFactory(username="victim", role="editor")
    UserFactory(username="colleague", role="editor")
    for _ in range(3):
        sign_in(client, "victim", "wrong")
    response = sign_in(client, "colleague", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_lock_lifts_after_the_cool_off(client):
    UserFactory(username="victim", role="editor")
    for _ in range(3):
        sign_in(client, "victim", "wrong")
    assert settings.AXES_COOLOFF_TIME > 0
    past = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    AccessAttempt.objects.filter(username="victim").update(attempt_time=past)
    assert sign_in(client, "victim", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_successful_sign_in_is_logged(client):
    UserFactory(username="person", role="auditor")
    assert sign_in(client, "person", PASSWORD).status_code == 302
    assert AccessLog.objects.filter(username="person").exists()


@pytest.mark.django_db
def test_session_expires_after_inactivity_and_each_request_extends_it(client):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert "core.web.sessions.IdleSessionRefreshMiddleware" in settings.MIDDLEWARE
    user = UserFactory(username="person", role="auditor")
    client.force_login(user)
    client.get("/partners/")
    expiry = client.session.get_expiry_date()
    assert expiry - timezone.now() <= datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)

    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/partners/")
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901234"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)
