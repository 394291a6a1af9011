"""The record tells the truth (issue 11, CONTRACT.md v1.1): each case a new user tripped over."""

import datetime
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from conditions import chains
from conditions.models import Condition, ConditionReview, Flag, WaiverEntry
from conditions.services import condition_review_record, waiver_record
from conditions.services.scan import scan_conditions
from core.registry_day import fiscal_year, registry_today
from tests.factories import ConditionFactory, RequirementFactory, waiver_fields

pytestmark = pytest.mark.django_db
TODAY = registry_today()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def record(condition, actor, **overrides):
    overrides.setdefault("congress_notified_on", overrides.get("signed_on", days(-1)))
    return waiver_record(condition=condition, actor=actor, **waiver_fields(**overrides))


def amend(condition, actor, entry, action, **overrides):
    fields = {
        "action": action,
        "amends": entry,
        "authority": entry.authority,
        "signed_on": days(-1),
        "effective_on": days(-1),
        "expires_on": None,
        **overrides,
    }
    return record(condition, actor, **fields)


def active_kinds(condition) -> set:
    return set(
        Flag.objects.filter(condition=condition, status__in=["open", "acknowledged"]).values_list(
            "kind", flat=True
        )
    )


def status_of(condition) -> str:
    condition.refresh_from_db()
    return condition.status


def test_correcting_a_revocation_never_brings_the_waiver_back(editor):
    condition = ConditionFactory()
    grant = record(condition, editor, signed_on=days(-40), effective_on=days(-40))
    revoked = amend(
        condition, editor, grant, "revoked", signed_on=days(-10), effective_on=days(-10)
    )
    assert status_of(condition) == "pending_review"
    corrected = amend(
        condition,
        editor,
        revoked,
        "corrected",
        signed_on=days(-10),
        effective_on=days(-8),
        justification="The revocation took effect two days later than first recorded.",
    )
    assert corrected.effect == "revoked" and corrected.chain_id == grant.pk
    assert status_of(condition) == "pending_review"
    scan_conditions(today=TODAY)
    assert "waiver_in_effect" not in active_kinds(condition)
    assert status_of(condition) == "pending_review"
    # The corrected date counts: the grant waived until the day before the corrected revocation.
    entries = list(condition.waiver_entries.all())
    assert chains.waives_on(entries, days(-9)) and not chains.waives_on(entries, days(-8))


def test_a_revoked_chain_takes_only_corrections(editor):
    condition = ConditionFactory()
    grant = record(condition, editor, signed_on=days(-40), effective_on=days(-40))
    revoked = amend(
        condition, editor, grant, "revoked", signed_on=days(-10), effective_on=days(-10)
    )
    with pytest.raises(ValidationError) as error:
        amend(condition, editor, revoked, "extended", expires_on=days(300))
    assert "amends" in error.value.message_dict


def test_only_the_latest_entry_of_a_chain_is_amended(editor):
    condition = ConditionFactory()
    grant = record(condition, editor, signed_on=days(-40), effective_on=days(-40))
    extension = amend(condition, editor, grant, "extended", expires_on=days(400))
    with pytest.raises(ValidationError) as error:
        amend(condition, editor, grant, "revoked")
    assert f"#{extension.pk}" in error.value.message_dict["amends"][0]
    assert WaiverEntry.objects.filter(condition=condition).count() == 2


def test_a_future_grant_sets_waived_on_the_scan_of_its_effective_day(editor):
    condition = ConditionFactory()
    record(condition, editor, signed_on=days(-1), effective_on=days(5), expires_on=days(100))
    assert status_of(condition) == "pending_review"
    scan_conditions(today=TODAY)
    assert status_of(condition) == "pending_review"
    assert "waiver_in_effect" not in active_kinds(condition)
    result = scan_conditions(today=days(5))
    assert result.conditions_waived == 1
    assert status_of(condition) == "waived"
    assert "waiver_in_effect" in active_kinds(condition)
    # And the scan after its expiry lapses it, with the flag that asks for a review.
    scan_conditions(today=days(101))
    assert status_of(condition) == "pending_review"
    assert Flag.objects.get(condition=condition, kind="waiver_expired").due_on == days(100)


def test_a_future_revocation_lapses_the_condition_on_its_day(editor):
    condition = ConditionFactory()
    grant = record(condition, editor, signed_on=days(-40), effective_on=days(-40))
    amend(condition, editor, grant, "revoked", signed_on=days(-1), effective_on=days(3))
    assert status_of(condition) == "waived"
    scan_conditions(today=days(2))
    assert status_of(condition) == "waived"
    scan_conditions(today=days(3))
    assert status_of(condition) == "pending_review"


def test_extending_a_partial_waiver_keeps_its_scope(editor):
    condition = ConditionFactory()
    for label in ("(a)(3)(A)", "(a)(3)(B)"):
        RequirementFactory(condition=condition, label=label)
    RequirementFactory(condition=condition, label="(b)", waivable=False)
    grant = record(condition, editor, requirements_waived=["(a)(3)(A)"])
    extension = amend(condition, editor, grant, "extended", expires_on=days(400))
    assert extension.requirements_waived == ["(a)(3)(A)"]  # left out: carried
    latest = extension
    for widening, field in ((["(a)(3)(B)"], "requirements_waived"), ([], "requirements_waived")):
        with pytest.raises(ValidationError) as error:
            amend(condition, editor, latest, "extended", expires_on=days(500), **{field: widening})
        assert field in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(condition, editor, requirements_waived=["(b)"])
    assert "not allow" in error.value.message_dict["requirements_waived"][0]


def test_web_form_for_an_extension_starts_from_the_amended_terms(client, editor):
    condition = ConditionFactory()
    RequirementFactory(condition=condition, label="(a)(3)(A)")
    RequirementFactory(condition=condition, label="(a)(3)(B)")
    grant = record(
        condition,
        editor,
        requirements_waived=["(a)(3)(A)"],
        standard="extraordinary_circumstances",
        official_title="Secretary of Defense",
        instrument="Memorandum for the record",
        publicity="notified_only",
    )
    client.force_login(editor)
    url = f"/conditions/{condition.pk}/waivers/new/?action=extended&amends={grant.pk}"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    for name, value in {
        "requirements_waived": ["(a)(3)(A)"],
        "standard": "extraordinary_circumstances",
        "official_title": "Secretary of Defense",
        "instrument": "Memorandum for the record",
        "publicity": "notified_only",
        "authority": grant.authority_id,
    }.items():
        assert form.initial[name] == value, name
    assert f"currently expires on {grant.expires_on:%B %-d, %Y}" in page.content.decode()
    data = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "signed_on": days(0),
        "effective_on": days(0),
        "expires_on": days(400),
        "justification": "Extended.",
        "congress_notified_on": days(0),
        "sources-TOTAL_FORMS": 0,
        "sources-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    extension = WaiverEntry.objects.get(amends=grant)
    assert extension.requirements_waived == ["(a)(3)(A)"]
    assert extension.standard == "extraordinary_circumstances"


def test_condition_page_offers_amendments_only_on_each_chains_latest_entry(client, editor):
    condition = ConditionFactory()
    grant = record(condition, editor)
    extension = amend(condition, editor, grant, "extended", expires_on=days(400))
    client.force_login(editor)
    html = client.get(f"/conditions/{condition.pk}/").content.decode()
    assert f"amends={extension.pk}" in html
    assert f"amends={grant.pk}&" not in html and f'amends={grant.pk}"' not in html


def test_a_review_entered_late_is_history_only(editor):
    condition = ConditionFactory()
    condition_review_record(condition=condition, actor=editor, reviewed_on=days(-10), outcome="met")
    condition.refresh_from_db()
    due = condition.next_review_due
    late = condition_review_record(
        condition=condition, actor=editor, reviewed_on=days(-200), outcome="not_met"
    )
    condition.refresh_from_db()
    assert (condition.status, condition.next_review_due) == ("met", due)
    assert late in ConditionReview.objects.filter(condition=condition)  # recorded and listed


def test_the_registry_day_is_washingtons_date_not_utcs(editor):
    # 01:30 UTC on 11 March 2026 is 21:30 on 10 March in Washington (EDT, UTC-4).
    evening = datetime.datetime(2026, 3, 11, 1, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=evening):
        assert registry_today() == datetime.date(2026, 3, 10)
        condition = ConditionFactory()
        with pytest.raises(ValidationError) as error:
            condition_review_record(
                condition=condition,
                actor=editor,
                reviewed_on=datetime.date(2026, 3, 11),
                outcome="met",
            )
        assert "reviewed_on" in error.value.message_dict


def test_recorded_at_never_goes_backwards_along_the_ledger(editor):
    condition = ConditionFactory()
    first = record(condition, editor)
    earlier = first.recorded_at - datetime.timedelta(minutes=5)  # the clock stepped back
    with mock.patch("django.utils.timezone.now", return_value=earlier):
        second = record(ConditionFactory(), editor)
    assert second.pk > first.pk and second.recorded_at >= first.recorded_at


def test_fiscal_years_run_october_to_september():
    assert fiscal_year(datetime.date(2024, 9, 30)) == 2024
    assert fiscal_year(datetime.date(2024, 10, 1)) == 2025


@pytest.mark.django_db(transaction=True)
def test_scan_never_lapses_a_waiver_extended_while_it_runs(editor):
    """An extension committed after the scan computed its flags, before it changes statuses."""
    condition = ConditionFactory()
    grant = record(
        condition, editor, signed_on=days(-40), effective_on=days(-40), expires_on=days(-1)
    )
    Condition.objects.filter(pk=condition.pk).update(status="waived")  # as on the day it expired
    locked, release = threading.Event(), threading.Event()

    def extend():
        try:
            with transaction.atomic():
                amend(condition, editor, grant, "extended", expires_on=days(200))
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    results = []

    def scan():
        try:
            results.append(scan_conditions(today=TODAY))
        finally:
            connection.close()

    writer = threading.Thread(target=extend)
    writer.start()
    assert locked.wait(10)
    scanner = threading.Thread(target=scan)
    scanner.start()
    scanner.join(1.5)  # the scan computes its flags, then waits for the condition's row lock
    release.set()
    writer.join(10)
    scanner.join(20)
    assert results and results[0].conditions_lapsed == 0
    assert status_of(condition) == "waived"
    assert not Flag.objects.filter(condition=condition, kind="waiver_expired").exists()


def test_the_timeline_of_decision_0016(editor):
    """Grant, extension, its correction, a revocation and its correction (docs/decisions/0016)."""
    condition = ConditionFactory()
    d = datetime.date
    signed = {"signed_on": d(2024, 12, 15), "congress_notified_on": d(2024, 12, 15)}
    one = record(
        condition,
        editor,
        **signed,
        effective_on=d(2025, 1, 1),
        expires_on=d(2025, 5, 31),
        amount_usd=235,
    )
    two = amend(
        condition,
        editor,
        one,
        "extended",
        **signed,
        effective_on=d(2025, 3, 1),
        expires_on=d(2025, 8, 31),
    )
    three = amend(
        condition,
        editor,
        two,
        "corrected",
        **signed,
        effective_on=d(2025, 4, 1),
        expires_on=d(2025, 9, 30),
        amount_usd=200,
    )
    four = amend(condition, editor, three, "revoked", **signed, effective_on=d(2025, 7, 1))
    amend(condition, editor, four, "corrected", **signed, effective_on=d(2025, 7, 15))
    entries = list(condition.waiver_entries.all())
    expected = {
        d(2024, 12, 31): (False, 0, None),
        d(2025, 3, 15): (True, 235, one.pk),  # #2 does not count: nothing changes on 1 Mar
        d(2025, 4, 1): (True, 200, three.pk),
        d(2025, 7, 14): (True, 200, three.pk),
        d(2025, 7, 15): (False, 0, three.pk),
    }
    for on, (waives, amount, terms) in expected.items():
        (state,) = chains.chains_on(entries, on)
        assert (state.waives, chains.amount_waived_on(entries, on)) == (waives, amount), on
        assert (state.terms.pk if state.terms else None) == terms, on
