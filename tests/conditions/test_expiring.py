"""The dashboard's "waivers expiring" reads only chains with an entry expiring in the window,
and lists exactly what the full chain rules list (conditions/chains.py)."""

import datetime

import pytest

from conditions.models import WaiverEntry
from conditions.services import waiver_record
from core.registry_day import registry_today
from tests.factories import ConditionFactory, waiver_fields

pytestmark = pytest.mark.django_db

TODAY = registry_today()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _grant(editor, expires_on, **extra):
    condition = ConditionFactory()
    return waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(authority=condition.legal_basis, expires_on=expires_on, **extra),
    )


def _amend(editor, entry, action, **extra):
    return waiver_record(
        condition=entry.condition,
        actor=editor,
        **waiver_fields(authority=entry.authority, action=action, amends=entry, **extra),
    )


def test_expiring_soon_matches_the_full_rules(editor):
    soon = _grant(editor, days(10))
    extended = _grant(editor, days(5))
    _amend(editor, extended, "extended", expires_on=days(200))  # no longer expiring soon
    revoked = _grant(editor, days(12))
    _amend(editor, revoked, "revoked", effective_on=days(-1), expires_on=None)
    corrected = _grant(editor, days(300))
    fixed = _amend(editor, corrected, "corrected", expires_on=days(20))  # now expiring soon
    _grant(editor, None)  # open-ended: never expiring
    _grant(editor, days(-3), signed_on=days(-10), effective_on=days(-10))  # already expired

    horizon = days(30)
    full = set(WaiverEntry.objects.in_effect_on(TODAY).filter(expires_on__lte=horizon))
    narrowed = set(WaiverEntry.objects.in_effect_on(TODAY, expiring_by=horizon))
    assert narrowed == full == {soon, fixed}
