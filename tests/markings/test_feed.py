"""The change feed and the webhooks leave out changes of records the reader (the token's
user, the subscription's owner) may not see."""

import pytest
from django.contrib.auth.models import Group

from registry.changes import changes_after
from registry.webhooks import services
from registry.webhooks.delivery import deliver_subscription, due_subscription_ids
from tests.api.conftest import token_client
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    ParticipantFactory,
    PartnerFactory,
    UserFactory,
)
from tests.markings.conftest import EXPT
from tests.registry.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


def _records():
    """An open and an EXPT agreement (each with a participant) and condition."""
    partner = PartnerFactory(name="Feedland")
    made = {}
    for name, marking in (("open", {}), ("secret", EXPT)):
        agreement = AgreementFactory(reference=f"DTC-FEED-{name}", **marking)
        ParticipantFactory(agreement=agreement, partner=partner)
        condition = ConditionFactory(partner=partner, title=f"Feed {name}", **marking)
        made[name] = {("agreements", agreement.pk), ("conditions", condition.pk)}
    return made


def _feed(user) -> set[tuple[str, int]]:
    response = token_client(user).get("/api/v1/changes/", {"page_size": 500})
    assert response.status_code == 200, response.content
    return {(c["resource"], c["id"]) for c in response.json()["results"]}


def test_the_feed_leaves_out_changes_of_records_the_token_user_may_not_see(cleared, uncleared):
    made = _records()
    assert made["open"] <= _feed(uncleared)
    assert not made["secret"] & _feed(uncleared)
    assert made["open"] | made["secret"] <= _feed(cleared)
    # The participant's change is an `updated` change of its agreement: left out with it.
    every = changes_after(limit=500, categories=("EXPT",))
    secret_agreement = min(pk for r, pk in made["secret"] if r == "agreements")
    assert any(
        c.changed_fields == ["participants"] and c.object_id == secret_agreement for c in every
    )
    uncontrolled = changes_after(limit=500)  # a caller that forgets: uncontrolled only
    assert not {(c.resource, c.object_id) for c in uncontrolled} & made["secret"]


@pytest.fixture
def receivers():
    servers = {name: Receiver().start() for name in ("uncleared", "cleared")}
    yield servers
    for server in servers.values():
        server.stop()


def test_webhooks_deliver_only_what_the_subscription_owner_may_see(receivers):
    subscriptions = {}
    for name, receiver in receivers.items():
        owner = UserFactory(username=f"admin-{name}", role="admin")
        if name == "cleared":
            owner.groups.add(Group.objects.get_or_create(name="cui:EXPT")[0])
        subscription, receiver.secret = services.subscription_create(
            actor=owner, url=receiver.url, kinds=["agreements", "conditions"]
        )
        subscriptions[name] = subscription
    made = _records()
    delivered = {}
    for name, subscription in subscriptions.items():
        assert deliver_subscription(subscription.pk) == "idle"
        delivered[name] = {(r, pk) for r, pk, _ in receivers[name].objects()}
    assert made["open"] <= delivered["uncleared"]
    assert not made["secret"] & delivered["uncleared"]
    assert made["open"] | made["secret"] <= delivered["cleared"]
    assert due_subscription_ids() == []  # the hidden changes are not "due" for ever
