"""Webhooks go to public addresses only, checked at creation, at every change and at every
send, and the delivery log says only a coarse outcome (issue 25, item 4)."""

import socket

import pytest
from django.core.cache import cache

from registry.models import WebhookDelivery, WebhookSubscription
from registry.webhooks import services
from registry.webhooks.delivery import deliver_subscription
from tests.factories import PartnerFactory
from tests.registry.conftest import token_client
from tests.registry.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/webhook-subscriptions/"
PUBLIC = "https://93.184.216.34/hook"  # a public address, never contacted here

REFUSED = [
    "https://127.0.0.1/hook",
    "https://localhost:5432/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:93.184.216.34]/hook",
    "https://0.0.0.0/hook",
    "https://10.0.0.5/hook",
    "https://172.16.3.4/hook",
    "https://192.168.1.1/hook",
    "https://100.64.0.1/hook",
    "https://[fd00::1]/hook",
    "https://[fe80::1]/hook",
    "https://224.0.0.1/hook",
    "https://metadata.google.internal/computeMetadata/v1/",
    "ftp://93.184.216.34/hook",
    "http://93.184.216.34/hook",  # https only, but for loopback in tests
    "https://user:pass@93.184.216.34/hook",
    "https://token@93.184.216.34/hook",
]


@pytest.fixture(autouse=True)
def _no_loopback(settings):
    cache.clear()  # the API's throttle counters
    settings.WEBHOOK_ALLOW_LOOPBACK = False


@pytest.fixture
def admin_api(admin_user):
    return token_client(admin_user)


@pytest.mark.parametrize("target", REFUSED)
def test_a_subscription_to_a_private_or_odd_target_is_refused(admin_api, target):
    response = admin_api.post(URL, {"url": target, "kinds": ["partners"]}, format="json")
    assert response.status_code == 400, response.content
    assert "url" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_a_change_to_a_private_target_is_refused(admin_api):
    created = admin_api.post(URL, {"url": PUBLIC, "kinds": ["partners"]}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    for target in ["https://169.254.169.254/", "https://[::ffff:10.0.0.1]/", "http://[::1]:80/"]:
        response = admin_api.patch(f"{URL}{pk}/", {"url": target}, format="json")
        assert response.status_code == 400, (target, response.content)
        assert "url" in response.content.decode()
    assert WebhookSubscription.objects.get(pk=pk).url == PUBLIC


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def test_the_address_is_checked_again_at_every_send(settings, admin_user, receiver):
    """Allowed when created (loopback for tests), refused at send once it no longer is:
    nothing reaches the receiver and the log says only that the address is not allowed."""
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    subscription, receiver.secret = services.subscription_create(
        actor=admin_user, url=receiver.url, kinds=["partners"]
    )
    PartnerFactory()
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    assert deliver_subscription(subscription.pk) == "failed"
    assert receiver.attempts == []
    [logged] = WebhookDelivery.objects.filter(subscription=subscription)
    assert (logged.status, logged.response_code, logged.error) == (
        "failed",
        None,
        "address not allowed",
    )


def test_the_delivery_connects_to_the_address_it_checked(
    settings, admin_user, receiver, monkeypatch
):
    """A name whose answer changes after the check (DNS rebinding) is still sent to the
    address that passed: the connection never looks the name up again."""
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    real = socket.getaddrinfo
    lookups = []

    def rebinding(host, *args, **kwargs):
        if host == "rebind.test":
            lookups.append(host)
            # Every answer after the one each send checks points inside the network.
            if len(lookups) % 2:
                return real("127.0.0.1", *args, **kwargs)
            return real("10.255.255.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    subscription, receiver.secret = services.subscription_create(
        actor=admin_user, url=f"http://rebind.test:{receiver.port}/hook", kinds=["partners"]
    )
    lookups.clear()
    PartnerFactory()
    assert deliver_subscription(subscription.pk) == "idle"
    assert len(receiver.accepted) == 1 and lookups == ["rebind.test"]


def test_a_failure_is_logged_as_a_coarse_outcome(settings, admin_user):
    """No reason phrase, exception text, host or port of the target in the log."""
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    subscription, _ = services.subscription_create(
        actor=admin_user, url=f"http://127.0.0.1:{port}/hook", kinds=["partners"]
    )
    PartnerFactory()
    assert deliver_subscription(subscription.pk) == "failed"
    [logged] = WebhookDelivery.objects.filter(subscription=subscription)
    assert (logged.response_code, logged.error) == (None, "no connection")
