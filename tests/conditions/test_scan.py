import datetime

import pytest

from conditions.models import (
    Condition,
    ConditionEvent,
    Flag,
    FlagEvent,
    Notification,
)
from conditions.services import (
    condition_review_record,
    condition_update,
    flag_acknowledge,
    flag_resolve,
    waiver_record,
)
from conditions.services.scan import SCAN_LOCK_KEY, scan_conditions
from core.registry_day import registry_today
from tests.conditions.helpers import other_connection
from tests.factories import ConditionFactory, ProvisionFactory, waiver_fields

pytestmark = pytest.mark.django_db

TODAY = registry_today()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def active_kinds(condition) -> dict:
    return dict(
        Flag.objects.filter(condition=condition, status__in=["open", "acknowledged"]).values_list(
            "kind", "due_on"
        )
    )


def grant(condition, actor, *, signed=-40, effective=None, expires=180, **overrides):
    """A granted entry signed `signed` days from today (notified, so no overdue flag)."""
    overrides.setdefault("congress_notified_on", days(signed))
    fields = waiver_fields(
        signed_on=days(signed),
        effective_on=days(signed if effective is None else effective),
        expires_on=None if expires is None else days(expires),
        **overrides,
    )
    return waiver_record(condition=condition, actor=actor, **fields)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-1, {"review_overdue"}),
        (0, {"review_due_soon"}),
        (30, {"review_due_soon"}),
        (31, set()),
    ],
)
def test_review_flags_at_the_window_edges(offset, expected):
    condition = ConditionFactory(next_review_due=days(offset))
    scan_conditions(today=TODAY)
    assert set(active_kinds(condition)) == expected
    if expected:
        assert set(active_kinds(condition).values()) == {days(offset)}


def test_review_warning_days_is_per_condition():
    soon = ConditionFactory(next_review_due=days(7), review_warning_days=7)
    later = ConditionFactory(next_review_due=days(8), review_warning_days=7)
    scan_conditions(today=TODAY)
    assert set(active_kinds(soon)) == {"review_due_soon"}
    assert active_kinds(later) == {}


@pytest.mark.parametrize(
    ("expires", "expected"),
    [
        (0, {"waiver_in_effect", "waiver_expiring"}),
        (30, {"waiver_in_effect", "waiver_expiring"}),
        (31, {"waiver_in_effect"}),
        (None, {"waiver_in_effect"}),
    ],
)
def test_waiver_flags_at_the_window_edges(editor, expires, expected):
    condition = ConditionFactory()
    grant(condition, editor, expires=expires)
    scan_conditions(today=TODAY)
    kinds = active_kinds(condition)
    assert set(kinds) == expected
    assert kinds["waiver_in_effect"] == (None if expires is None else days(expires))


def test_waiver_ended_yesterday_is_expired_and_condition_goes_to_pending_review(editor):
    condition = ConditionFactory()
    grant(condition, editor, expires=5)
    condition.refresh_from_db()
    assert condition.status == Condition.Status.WAIVED
    version = condition.version
    # Six days later the grant (last day today + 5) ended yesterday.
    result = scan_conditions(today=days(6))
    condition.refresh_from_db()
    assert active_kinds(condition) == {"waiver_expired": days(5)}
    assert condition.status == Condition.Status.PENDING_REVIEW
    assert condition.version == version + 1
    assert result.conditions_lapsed == 1
    # The condition no longer shows waived, yet the flag stays open until someone acts.
    again = scan_conditions(today=days(7))
    assert (again.raised, again.resolved, again.conditions_lapsed) == (0, 0, 0)
    assert "waiver_expired" in active_kinds(condition)


def test_recording_a_review_resolves_waiver_expired(editor):
    condition = ConditionFactory()
    grant(condition, editor, signed=-60, expires=-1)
    Condition.objects.filter(pk=condition.pk).update(status="waived")
    scan_conditions(today=TODAY)
    flag = Flag.objects.get(condition=condition, kind="waiver_expired")
    condition_review_record(
        condition=condition, actor=editor, reviewed_on=TODAY, outcome="not_met", notes="Lapsed."
    )
    flag.refresh_from_db()
    assert flag.status == Flag.Status.RESOLVED
    scan_conditions(today=TODAY)
    assert Flag.objects.filter(condition=condition, kind="waiver_expired").count() == 1


def test_revocation_in_the_future_ends_the_entry_the_day_before(editor):
    condition = ConditionFactory()
    entry = grant(condition, editor, expires=None)
    waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(
            action="revoked",
            amends=entry,
            authority=entry.authority,
            signed_on=TODAY,
            effective_on=days(10),
            expires_on=None,
            congress_notified_on=TODAY,
        ),
    )
    scan_conditions(today=TODAY)
    assert active_kinds(condition) == {"waiver_in_effect": days(9), "waiver_expiring": days(9)}


def test_revoked_or_not_yet_effective_waivers_are_not_in_effect(editor):
    revoked = ConditionFactory()
    entry = grant(revoked, editor)
    waiver_record(
        condition=revoked,
        actor=editor,
        **waiver_fields(
            action="revoked",
            amends=entry,
            authority=entry.authority,
            signed_on=TODAY,
            effective_on=TODAY,
            expires_on=None,
            congress_notified_on=TODAY,
        ),
    )
    future = ConditionFactory()
    grant(future, editor, signed=0, effective=5, expires=100)
    scan_conditions(today=TODAY)
    assert active_kinds(revoked) == {}
    assert active_kinds(future) == {}


def test_extension_keeps_the_waiver_in_effect_with_its_new_end(editor):
    condition = ConditionFactory()
    entry = grant(condition, editor, expires=10)
    waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(
            action="extended",
            amends=entry,
            authority=entry.authority,
            signed_on=TODAY,
            effective_on=TODAY,
            expires_on=days(200),
            congress_notified_on=TODAY,
        ),
    )
    scan_conditions(today=TODAY)
    assert active_kinds(condition) == {"waiver_in_effect": days(200)}


@pytest.mark.parametrize(("signed", "flagged"), [(-15, False), (-16, True)])
def test_notification_overdue_after_the_authoritys_deadline(editor, signed, flagged):
    condition = ConditionFactory()
    authority = ProvisionFactory(report_deadline_days=15)
    grant(condition, editor, signed=signed, authority=authority, congress_notified_on=None)
    scan_conditions(today=TODAY)
    kinds = active_kinds(condition)
    assert ("notification_overdue" in kinds) is flagged
    if flagged:
        assert kinds["notification_overdue"] == days(signed + 15)


def test_notification_deadline_is_data_not_code(editor):
    no_deadline = ConditionFactory()
    grant(no_deadline, editor, signed=-400, authority=ProvisionFactory(), congress_notified_on=None)
    notified = ConditionFactory()
    grant(notified, editor, signed=-400, authority=ProvisionFactory(report_deadline_days=30))
    scan_conditions(today=TODAY)
    assert "notification_overdue" not in active_kinds(no_deadline)
    assert "notification_overdue" not in active_kinds(notified)


def test_a_flag_whose_cause_is_gone_is_resolved_not_deleted(editor):
    condition = ConditionFactory(next_review_due=days(-3))
    scan_conditions(today=TODAY)
    flag = Flag.objects.get(condition=condition, kind="review_overdue")
    condition_update(condition=condition, actor=editor, next_review_due=days(200))
    result = scan_conditions(today=TODAY)
    flag.refresh_from_db()
    assert result.resolved == 1
    assert flag.status == Flag.Status.RESOLVED and flag.resolved_at is not None
    # The cause coming back raises a new flag; the old one stays in the record.
    condition.refresh_from_db()
    condition_update(condition=condition, actor=editor, next_review_due=days(-1))
    scan_conditions(today=TODAY)
    assert Flag.objects.filter(condition=condition, kind="review_overdue").count() == 2


def test_acknowledged_flags_are_kept_and_never_duplicated(editor):
    condition = ConditionFactory(next_review_due=days(-3))
    scan_conditions(today=TODAY)
    flag_acknowledge(flag=Flag.objects.get(condition=condition), actor=editor)
    result = scan_conditions(today=TODAY)
    assert (result.raised, result.kept) == (0, 1)
    assert Flag.objects.get(condition=condition).status == Flag.Status.ACKNOWLEDGED


def test_a_flag_resolved_by_an_editor_is_raised_again_while_the_cause_holds(editor):
    condition = ConditionFactory(next_review_due=days(-3))
    scan_conditions(today=TODAY)
    flag_resolve(flag=Flag.objects.get(condition=condition), actor=editor)
    assert scan_conditions(today=TODAY).raised == 1


def test_due_date_moving_inside_the_window_updates_the_kept_flag(editor):
    condition = ConditionFactory(next_review_due=days(10))
    scan_conditions(today=TODAY)
    condition_update(condition=condition, actor=editor, next_review_due=days(20))
    result = scan_conditions(today=TODAY)
    assert (result.raised, result.kept, result.resolved) == (0, 1, 0)
    assert active_kinds(condition) == {"review_due_soon": days(20)}


def test_a_missed_day_is_caught_up():
    condition = ConditionFactory(next_review_due=days(40))
    scan_conditions(today=TODAY)
    assert active_kinds(condition) == {}
    # No scan ran for ten days: the next one still raises (a window, not == today + 30).
    scan_conditions(today=days(15))
    assert active_kinds(condition) == {"review_due_soon": days(40)}


def _write_counts() -> tuple:
    return (
        Flag.objects.count(),
        Flag.objects.filter(status="resolved").count(),
        Notification.objects.count(),
        FlagEvent.objects.count(),
        ConditionEvent.objects.count(),
        sorted(Condition.objects.values_list("id", "version", "status")),
    )


def test_second_run_writes_nothing(editor):
    ConditionFactory(next_review_due=days(-1))
    ConditionFactory(next_review_due=days(3))
    waived = ConditionFactory()
    grant(waived, editor, expires=20, congress_notified_on=None, signed=-30)
    lapsing = ConditionFactory()
    grant(lapsing, editor, signed=-60, expires=-2)
    Condition.objects.filter(pk=lapsing.pk).update(status="waived")
    first = scan_conditions(today=TODAY)
    # overdue, due soon, in effect + expiring + notification overdue, expired
    assert first.raised == 6 and first.conditions_lapsed == 1
    before = _write_counts()
    second = scan_conditions(today=TODAY)
    assert (second.raised, second.resolved, second.conditions_lapsed) == (0, 0, 0)
    assert second.kept == 5  # every candidate; waiver_expired no longer is one
    assert _write_counts() == before


def test_scan_writes_carry_the_task_history_context(editor):
    condition = ConditionFactory(next_review_due=days(-1))
    scan_conditions(today=TODAY)
    event = FlagEvent.objects.get(pgh_obj__condition=condition, pgh_label="insert")
    assert event.pgh_context.metadata["actor"] == "task:scan_conditions"
    assert event.pgh_context.metadata["channel"] == "task"


def test_statement_count_does_not_grow_with_conditions(django_assert_num_queries):
    for index in range(3):
        ConditionFactory(next_review_due=days(index - 1))
    # lock, id bounds, per chunk: SET CONSTRAINTS, the statement, SET CONSTRAINTS (in a
    # savepoint here, as the test runs in a transaction), then the Case Act statement over
    # all agreements (in its savepoint), the notifications' statement with its SET
    # CONSTRAINTS pair (in its savepoint; notifications/scan.py), unlock. No status changes
    # here: no lock step.
    with django_assert_num_queries(16):
        scan_conditions(today=TODAY)
    for index in range(40):
        ConditionFactory(next_review_due=days(index - 20))
    with django_assert_num_queries(16):
        scan_conditions(today=TODAY)


def test_chunks_give_the_same_flags_as_one_pass(editor):
    conditions = [ConditionFactory(next_review_due=days(i * 7 - 20)) for i in range(8)]
    grant(conditions[2], editor, expires=12)
    small = scan_conditions(today=TODAY, chunk_size=3)
    flags = sorted(Flag.objects.values_list("condition_id", "kind", "due_on"))
    assert small.raised == len(flags) > 8
    # One pass over everything agrees with the chunked run: it keeps every flag.
    whole = scan_conditions(today=TODAY, chunk_size=1000)
    assert (whole.raised, whole.kept, whole.resolved) == (0, len(flags), 0)


def test_a_scan_skips_while_another_holds_the_lock():
    ConditionFactory(next_review_due=days(-1))
    with other_connection() as other:
        other.execute("SELECT pg_advisory_lock(%s)", [SCAN_LOCK_KEY])
        result = scan_conditions(today=TODAY)
        assert result.skipped and result.raised == 0
        assert not Flag.objects.exists()
        other.execute("SELECT pg_advisory_unlock(%s)", [SCAN_LOCK_KEY])
    assert scan_conditions(today=TODAY).raised == 1


@pytest.mark.django_db(transaction=True)
def test_two_scans_started_at_once_one_skips_and_nothing_is_duplicated(monkeypatch):
    import threading
    import time

    from django.db import connection as thread_connection

    from conditions.services import scan

    for index in range(60):
        ConditionFactory(next_review_due=days(index - 30))
    original = scan.scan_chunk

    def slow_chunk(**kwargs):  # make the scans long enough to overlap for sure
        time.sleep(0.1)
        return original(**kwargs)

    monkeypatch.setattr(scan, "scan_chunk", slow_chunk)
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(scan_conditions(today=TODAY, chunk_size=10))
        finally:
            thread_connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.skipped for r in results) == [False, True]
    ran = next(r for r in results if not r.skipped)
    assert ran.raised == Flag.objects.count() == 60  # 30 overdue, 30 due soon
    keys = list(Flag.objects.values_list("condition_id", "kind"))
    assert len(keys) == len(set(keys))
