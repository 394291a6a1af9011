"""Webhook subscriptions and deliveries, in process, to a real receiver on loopback."""

import datetime
import time

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from registry.models import WebhookDelivery, WebhookSubscription
from registry.webhooks import services
from registry.webhooks.delivery import backoff, deliver_subscription
from tests.factories import PartnerFactory
from tests.registry.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/webhook-subscriptions/"


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def subscribe(admin_user, receiver, kinds=("partners",)):
    subscription, secret = services.subscription_create(
        actor=admin_user, url=receiver.url, kinds=list(kinds)
    )
    receiver.secret = secret
    return subscription


def run_until_idle(subscription, tries=20):
    """Deliver as a worker would, skipping the backoff wait between tries."""
    for _ in range(tries):
        WebhookSubscription.objects.filter(pk=subscription.pk).update(next_attempt_at=None)
        if deliver_subscription(subscription.pk) == "idle":
            return
    raise AssertionError("deliveries never caught up")


def test_only_admins_manage_subscriptions_and_the_secret_is_shown_once(
    admin_api, editor_api, auditor_api, receiver
):
    body = {"url": receiver.url, "kinds": ["agreements", "flags.raised"]}
    assert APIClient().get(URL).status_code == 401
    assert editor_api.get(URL).status_code == 403
    assert auditor_api.get(URL).status_code == 403
    assert editor_api.post(URL, body).status_code == 403

    created = admin_api.post(URL, body)
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    assert secret.startswith("whsec_")
    pk = created.json()["id"]
    shown = admin_api.get(f"{URL}{pk}/").json()
    assert "secret" not in shown and shown["status"] == "active"
    assert secret not in WebhookSubscription.objects.get(pk=pk).secret_encrypted

    assert admin_api.delete(f"{URL}{pk}/").status_code == 405
    assert admin_api.post(URL, {**body, "kinds": ["users"]}).status_code == 400
    assert admin_api.patch(f"{URL}{pk}/", {"kinds": ["waivers.recorded"]}).status_code == 200
    rotated = admin_api.post(f"{URL}{pk}/rotate-secret/", {"overlap_hours": 2})
    assert rotated.status_code == 200 and rotated.json()["secret"] != secret
    assert admin_api.post(f"{URL}{pk}/pause/").json()["status"] == "paused"
    assert admin_api.post(f"{URL}{pk}/resume/").json()["status"] == "active"
    assert admin_api.get(f"{URL}{pk}/deliveries/").json()["results"] == []


def test_changes_arrive_signed_in_order_and_are_logged(admin_user, receiver):
    subscription = subscribe(admin_user, receiver)
    partners = [PartnerFactory() for _ in range(3)]
    assert deliver_subscription(subscription.pk) == "idle"

    assert receiver.rejected == 0
    assert receiver.objects() == [("partners", p.pk, "created") for p in partners]
    message = receiver.accepted[0]
    assert message["type"] == "partners.created"
    assert (
        message["webhook_id"] == f"msg_{subscription.pk}_{message['data']['cursor'].split('.')[1]}"
    )
    log = list(WebhookDelivery.objects.filter(subscription=subscription))
    assert [(d.status, d.response_code, d.attempt) for d in log] == [("delivered", 204, 1)] * 3
    subscription.refresh_from_db()
    assert subscription.cursor_id == int(receiver.accepted[-1]["data"]["cursor"].split(".")[1])


def test_a_receiver_answering_500_gets_each_change_once_in_order(admin_user, receiver):
    subscription = subscribe(admin_user, receiver)
    partners = [PartnerFactory() for _ in range(3)]
    receiver.fail_next = 2
    assert deliver_subscription(subscription.pk) == "failed"
    subscription.refresh_from_db()
    assert subscription.attempts == 1 and subscription.next_attempt_at > timezone.now()
    assert deliver_subscription(subscription.pk) == "waiting"  # backing off
    run_until_idle(subscription)

    assert receiver.objects() == [("partners", p.pk, "created") for p in partners]
    log = WebhookDelivery.objects.filter(subscription=subscription).order_by("id")
    assert [(d.status, d.response_code, d.attempt) for d in log][:3] == [
        ("failed", 500, 1),
        ("failed", 500, 2),
        ("delivered", 204, 3),
    ]


def test_a_receiver_that_is_down_then_up(admin_user):
    down = Receiver().start()
    port = down.port
    down.stop()  # nothing listens on the port now
    receiver = Receiver(port=port)
    subscription = subscribe(admin_user, receiver)
    partners = [PartnerFactory() for _ in range(2)]
    assert deliver_subscription(subscription.pk) == "failed"
    failed = WebhookDelivery.objects.get(subscription=subscription)
    assert failed.response_code is None and failed.error == "no connection"
    receiver.start()
    try:
        run_until_idle(subscription)
    finally:
        receiver.stop()
    assert receiver.objects() == [("partners", p.pk, "created") for p in partners]


def test_failing_for_a_day_pauses_tells_the_admin_and_resume_replays(
    admin_user, receiver, mailoutbox
):
    subscription = subscribe(admin_user, receiver)
    first = PartnerFactory()
    assert deliver_subscription(subscription.pk) == "idle"
    second, third = PartnerFactory(), PartnerFactory()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        failing_since=timezone.now() - datetime.timedelta(hours=24, minutes=1)
    )
    receiver.fail_next = 1
    assert deliver_subscription(subscription.pk) == "failed"
    subscription.refresh_from_db()
    assert subscription.status == "paused"
    assert "paused" in mailoutbox[0].subject and mailoutbox[0].to == [admin_user.email]
    assert deliver_subscription(subscription.pk) == "waiting"

    services.subscription_resume(subscription=subscription, actor=admin_user)
    run_until_idle(subscription)
    assert receiver.objects() == [("partners", p.pk, "created") for p in (first, second, third)]


def test_a_rotated_secret_overlaps_then_expires(admin_user, receiver):
    subscription = subscribe(admin_user, receiver)
    old_secret = receiver.secret
    subscription, new_secret = services.subscription_rotate_secret(
        subscription=subscription, actor=admin_user, overlap=datetime.timedelta(hours=1)
    )
    PartnerFactory()
    assert deliver_subscription(subscription.pk) == "idle"  # verified with the old secret
    receiver.secret = new_secret
    PartnerFactory()
    assert deliver_subscription(subscription.pk) == "idle"  # and with the new one
    assert len(receiver.accepted) == 2 and receiver.rejected == 0

    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        previous_secret_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    receiver.secret = old_secret
    PartnerFactory()
    assert deliver_subscription(subscription.pk) == "failed"
    assert receiver.rejected == 1  # the old secret no longer signs


def test_a_slow_receiver_times_out_without_holding_up_another_subscription(
    admin_user, receiver, settings
):
    settings.WEBHOOK_READ_TIMEOUT_SECONDS = 0.5
    slow_receiver = Receiver().start()
    try:
        slow = subscribe(admin_user, slow_receiver)
        fast = subscribe(admin_user, receiver)
        PartnerFactory()
        slow_receiver.hang_seconds = 5
        started = time.monotonic()
        assert deliver_subscription(slow.pk) == "failed"
        assert time.monotonic() - started < 3
        assert WebhookDelivery.objects.get(subscription=slow).error == "timeout"
        assert deliver_subscription(fast.pk) == "idle"
        assert len(receiver.accepted) == 1
    finally:
        slow_receiver.stop()


def test_a_write_is_not_held_up_by_a_receiver(editor_api, admin_user, receiver):
    subscribe(admin_user, receiver)
    receiver.hang_seconds = 30  # nobody sends from a web request anyway
    started = time.monotonic()
    response = editor_api.post("/api/v1/partners/", {"name": "Quick", "kind": "company"})
    assert response.status_code == 201
    assert time.monotonic() - started < 2
    assert receiver.attempts == []


def test_backoff_grows_with_jitter_and_retries_for_a_day(settings):
    settings.WEBHOOK_BACKOFF_BASE_SECONDS = 10
    settings.WEBHOOK_BACKOFF_CAP_SECONDS = 3600
    delays = [backoff(n).total_seconds() for n in range(1, 40)]
    assert 5 <= delays[0] <= 10 and 1800 <= delays[-1] <= 3600
    assert len({round(d, 3) for d in delays}) > 30  # jittered
    # Until the pause after 24 hours, a failing receiver is tried again many times.
    assert sum(backoff(n).total_seconds() for n in range(1, 30)) < 24 * 3600


def test_signatures_are_the_standard_webhooks_ones(admin_user, receiver):
    from registry.changes import changes_after
    from registry.webhooks.delivery import payload, signed_headers

    subscription = subscribe(admin_user, receiver)
    PartnerFactory()
    (change,) = changes_after((0, 0), resources=["partners"], limit=1)
    body = payload(change)
    headers = signed_headers(subscription, change, body)
    assert set(headers) >= {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert Webhook(receiver.secret).verify(body, headers)["data"]["id"] == change.object_id
