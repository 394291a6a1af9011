"""Operator commands: create_user, issue_token, seed_demo."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone
from knox.auth import TokenAuthentication
from knox.models import AuthToken

from agreements.models import Agreement, AgreementParticipant, IndustrialParticipant, Provision
from conditions.models import Condition, ConditionReview, WaiverEntry
from conditions.services.ledger import verify_chain
from partners.models import Partner
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-passphrase-for-tests"


def create_user(*args, password=PASSWORD):
    out = io.StringIO()
    call_command(
        "create_user", *args, "--password-stdin", stdin=io.StringIO(password + "\n"), stdout=out
    )
    return out.getvalue()


def roles(username):
    return sorted(User.objects.get(username=username).groups.values_list("name", flat=True))


# create_user


def test_create_user_with_a_role():
    assert "Created user alice with role editor" in create_user(
        "alice", "--role", "editor", "--email", "a@example.gov"
    )
    alice = User.objects.get(username="alice")
    assert roles("alice") == ["editor"]
    assert not alice.is_staff and not alice.is_superuser
    assert alice.check_password(PASSWORD) and alice.email == "a@example.gov"


def test_create_user_updates_to_exactly_one_role():
    create_user("bob", "--role", "editor")
    create_user("bob", "--role", "admin", password="another-long-passphrase")
    bob = User.objects.get(username="bob")
    assert roles("bob") == ["admin"] and bob.is_staff and bob.is_superuser
    assert bob.check_password("another-long-passphrase")
    create_user("bob", "--role", "auditor")
    bob.refresh_from_db()
    assert roles("bob") == ["auditor"] and not bob.is_staff and not bob.is_superuser
    assert User.objects.filter(username="bob").count() == 1


def test_update_keeps_email_and_password_when_not_given():
    create_user("carol", "--role", "editor", "--email", "c@example.gov")
    call_command("create_user", "carol", "--role", "auditor", stdout=io.StringIO())
    carol = User.objects.get(username="carol")
    assert carol.email == "c@example.gov" and carol.check_password(PASSWORD)
    assert roles("carol") == ["auditor"]


@pytest.mark.parametrize(
    ("password", "message"),
    [("password", "password"), ("12345678901", "password"), ("", "No password")],
)
def test_weak_or_missing_password_is_refused(password, message):
    with pytest.raises(CommandError, match=message):
        create_user("dave", "--role", "editor", password=password)
    assert not User.objects.filter(username="dave").exists()


def test_new_user_needs_a_password():
    with pytest.raises(CommandError, match="password"):
        call_command("create_user", "erin", "--role", "editor")
    assert not User.objects.exists()


def test_bad_email_and_unknown_role_are_refused():
    with pytest.raises(CommandError, match="email"):
        create_user("frank", "--role", "editor", "--email", "not-an-address")
    with pytest.raises(CommandError):
        create_user("frank", "--role", "superhero")
    assert not User.objects.exists()


def test_weak_password_on_update_changes_nothing():
    create_user("gina", "--role", "editor")
    with pytest.raises(CommandError):
        create_user("gina", "--role", "admin", password="123")
    gina = User.objects.get(username="gina")
    assert roles("gina") == ["editor"] and not gina.is_superuser


# issue_token


def test_issue_token_prints_the_key_and_stores_only_a_digest():
    user = UserFactory(role="editor")
    out = io.StringIO()
    call_command("issue_token", user.username, "--days", "30", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    token = AuthToken.objects.get(user=user)
    assert key not in (token.digest, token.token_key) and key.startswith(token.token_key)
    assert not AuthToken.objects.filter(digest=key).exists()
    expected = timezone.now() + datetime.timedelta(days=30)
    assert abs(token.expiry - expected) < datetime.timedelta(minutes=1)
    authenticated, _ = TokenAuthentication().authenticate_credentials(key.encode())
    assert authenticated == user


def test_issue_token_default_is_90_days():
    user = UserFactory(role="auditor")
    call_command("issue_token", user.username, stdout=io.StringIO())
    expiry = AuthToken.objects.get(user=user).expiry
    assert (expiry - timezone.now()).days == 89


@pytest.mark.parametrize(
    ("username", "days"), [("nobody", "90"), ("known", "0"), ("known", "-3"), ("known", "100000")]
)
def test_issue_token_refuses_unknown_user_and_bad_days(username, days):
    UserFactory(username="known", role="editor")
    with pytest.raises(CommandError):
        call_command("issue_token", username, "--days", days, stdout=io.StringIO())
    assert not AuthToken.objects.exists()


# seed_demo

TRACKED = ("partners", "agreements", "conditions", "notifications")


def snapshot():
    """Row counts of every domain table and of every history event table."""
    counts = {}
    for label in TRACKED:
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model.objects.count()
    return counts


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_loads_the_demo_set():
    seed()
    assert Partner.objects.count() >= 12
    assert set(Partner.objects.values_list("kind", flat=True)) == set(Partner.Kind.values)
    assert (
        Partner.objects.with_designation("nato_member", datetime.date(2024, 3, 7))
        .filter(name="Sweden")
        .exists()
    )
    assert Provision.objects.count() >= 10
    assert Provision.objects.get(codification="10 U.S.C. 362").report_deadline_days == 15
    assert Agreement.objects.count() >= 15
    assert set(Agreement.objects.values_list("agreement_type", flat=True)) == set(
        Agreement.Type.values
    )
    turkey = AgreementParticipant.objects.get(partner__name="Turkey", suspended_on__isnull=False)
    assert turkey.suspended_on == datetime.date(2019, 7, 17)
    assert Agreement.objects.filter(parent__isnull=False).exists()
    assert Agreement.objects.filter(supersedes__isnull=False).exists()
    assert IndustrialParticipant.objects.exclude(us_state="").exists()
    assert Condition.objects.count() >= 8
    assert WaiverEntry.objects.count() >= 12
    assert {"granted", "extended", "revoked", "corrected"} <= set(
        WaiverEntry.objects.values_list("action", flat=True)
    )
    egypt = WaiverEntry.objects.get(condition__fiscal_year=2023, action="granted")
    assert egypt.amount_usd == 235_000_000
    assert egypt.condition.amount_conditioned_usd == 320_000_000
    assert verify_chain() is None
    assert not User.objects.exists()


def test_seed_demo_twice_changes_nothing():
    seed()
    first = snapshot()
    reviews, events = ConditionReview.objects.count(), Partner.pgh_event_model.objects.count()
    assert "created: nothing" in seed()
    assert snapshot() == first
    assert (ConditionReview.objects.count(), Partner.pgh_event_model.objects.count()) == (
        reviews,
        events,
    )
    assert any(name.endswith("Event") and n > 0 for name, n in first.items())


def test_seed_demo_writes_through_the_services():
    seed()
    event = Agreement.pgh_event_model.objects.filter(pgh_label="insert").first()
    assert event.pgh_context.metadata["actor"] == "seed_demo"


def test_seed_demo_if_empty_leaves_a_used_database_alone():
    PartnerFactory(name="Someone")
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    assert Partner.objects.count() == 1 and not Agreement.objects.exists()


def test_revoke_token_stops_the_key_from_authenticating():
    user = UserFactory(role="editor")
    keys = []
    for _ in range(2):
        out = io.StringIO()
        call_command("issue_token", user.username, stdout=out)
        keys.append(out.getvalue().strip().splitlines()[-1])
    call_command("revoke_token", user.username, "--key-prefix", keys[0][:15], stdout=io.StringIO())
    with pytest.raises(Exception, match="Invalid token"):
        TokenAuthentication().authenticate_credentials(keys[0].encode())
    assert TokenAuthentication().authenticate_credentials(keys[1].encode())[0] == user
    call_command("revoke_token", user.username, stdout=io.StringIO())
    assert not AuthToken.objects.filter(user=user).exists()


def test_revoke_token_refuses_unknown_user_or_prefix():
    UserFactory(username="known", role="editor")
    with pytest.raises(CommandError):
        call_command("revoke_token", "nobody", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("revoke_token", "known", "--key-prefix", "zzzzzzzz", stdout=io.StringIO())
