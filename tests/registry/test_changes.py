"""The change feed: every change once, in commit order, even across overlapping transactions."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from rest_framework.test import APIClient

from conditions.services import waiver_record
from core.history.events import tracked_models
from registry import changes
from registry.changes import FEED_SOURCES, NOT_IN_FEED
from registry.models import Change
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    ParticipantFactory,
    PartnerFactory,
    UserFactory,
    waiver_fields,
)

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/changes/"


def follow(client, after="0", **params):
    """Every change after `after`, following `next` until a page comes back empty."""
    seen, url = [], None
    query = {"after": after, "page_size": 3, **params}
    while True:
        response = client.get(url) if url else client.get(URL, query)
        assert response.status_code == 200, response.content
        body = response.json()
        seen.extend(body["results"])
        if not body["results"]:
            return seen, body["next"]
        url = body["next"]


def test_every_kind_of_change_with_its_actor_and_channel(editor_api, auditor_api):
    created = editor_api.post("/api/v1/partners/", {"name": "Feedland", "kind": "company"})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    updated = editor_api.patch(f"/api/v1/partners/{pk}/", {"name": "Feedland Two"})
    assert updated.status_code == 200, updated.content

    seen, _ = follow(auditor_api, resource="partners")
    mine = [c for c in seen if c["id"] == pk]
    assert [c["action"] for c in mine] == ["created", "updated"]
    assert mine[1]["changed_fields"] == ["name"]
    assert mine[1]["version"] == 2
    assert {(c["actor"], c["channel"]) for c in mine} == {("editor", "api")}
    assert set(mine[0]) == {
        "cursor",
        "occurred_at",
        "resource",
        "id",
        "action",
        "channel",
        "actor",
        "version",
        "changed_fields",
    }


def test_nested_lists_archive_and_ledger_entries_are_changes_of_their_record(auditor_api):
    from django.utils import timezone

    from partners.models import Partner

    agreement = AgreementFactory()
    ParticipantFactory(agreement=agreement)
    partner = PartnerFactory()
    Partner.objects.filter(pk=partner.pk).update(archived_at=timezone.now())
    condition = ConditionFactory()
    editor = UserFactory(username="ledger-editor", role="editor")
    entry = waiver_record(condition=condition, actor=editor, **waiver_fields())

    seen, _ = follow(auditor_api)
    pairs = [(c["resource"], c["id"], c["action"], c["changed_fields"]) for c in seen]
    assert ("waivers", entry.pk, "recorded", None) in pairs
    assert ("conditions", condition.pk, "updated", ["status"]) in pairs  # now waived
    assert ("agreements", agreement.pk, "updated", ["participants"]) in pairs
    assert ("partners", partner.pk, "archived", ["archived_at"]) in pairs
    assert ("conditions", condition.pk, "created", None) in pairs


def test_filters_and_errors(auditor_api):
    PartnerFactory()
    AgreementFactory()
    seen, _ = follow(auditor_api, resource="agreements")
    assert seen and {c["resource"] for c in seen} == {"agreements"}
    later = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).isoformat()
    assert follow(auditor_api, since=later)[0] == []
    assert auditor_api.get(URL, {"after": "x"}).status_code == 400
    assert auditor_api.get(URL, {"resource": "users"}).status_code == 400
    assert auditor_api.get(URL, {"since": "yesterday"}).status_code == 400


def test_who_may_read(auditor_api, editor_api, admin_api):
    assert auditor_api.get(URL).status_code == 200
    assert editor_api.get(URL).status_code == 200
    assert admin_api.get(URL).status_code == 200
    assert APIClient().get(URL).status_code == 401
    roleless = APIClient()
    roleless.force_authenticate(UserFactory(username="nobody", role=None))
    assert roleless.get(URL).status_code == 403
    assert auditor_api.post(URL, {}).status_code == 403
    assert editor_api.post(URL, {}).status_code == 405


def test_next_always_continues_from_the_last_cursor(auditor_api):
    PartnerFactory()
    seen, next_url = follow(auditor_api)
    assert f"after={seen[-1]['cursor']}" in next_url
    PartnerFactory()
    response = auditor_api.get(next_url)
    assert [c["action"] for c in response.json()["results"]] == ["created"]


def test_every_tracked_model_is_in_the_feed_or_left_out_on_purpose():
    labels = {model._meta.label for model in tracked_models()}
    assert labels == set(FEED_SOURCES) | NOT_IN_FEED
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s",
            [changes.TRIGGER_NAME],
        )
        tables = {row[0] for row in cursor.fetchall()}
    expected = {event._meta.db_table for event, _ in changes.feed_event_models()}
    assert tables == expected


# Two overlapping transactions --------------------------------------------------------------


def _naive_changes_after(last_id: int) -> list[Change]:
    """What a cursor read at insert time (the autoincrement id) would hand out."""
    return list(Change.objects.filter(id__gt=last_id).order_by("id"))


def test_a_change_committed_late_never_lands_behind_a_cursor_handed_out(auditor_api):
    """T1 writes first and commits last; T2 writes second and commits first.

    The feed must show T2, then T1, each once. A cursor taken from the autoincrement id at
    insert time hands out T2's id while T1 is still open, and T1's change (a lower id) is
    then behind it for good: the second half of the test shows that loss.
    """
    t1_wrote, t1_may_commit = threading.Event(), threading.Event()
    made = {}

    def slow_transaction():
        try:
            with transaction.atomic():
                made["t1"] = PartnerFactory(name="Written first, committed last").pk
                t1_wrote.set()
                assert t1_may_commit.wait(30)
        finally:
            connections.close_all()

    def quick_transaction():
        try:
            made["t2"] = PartnerFactory(name="Written second, committed first").pk
        finally:
            connections.close_all()

    t1 = threading.Thread(target=slow_transaction)
    t1.start()
    assert t1_wrote.wait(30)
    t2 = threading.Thread(target=quick_transaction)
    t2.start()
    t2.join(30)

    first, next_url = follow(auditor_api, resource="partners")
    naive_first = _naive_changes_after(0)
    t1_may_commit.set()
    t1.join(30)
    second, _ = follow(auditor_api, after=first[-1]["cursor"], resource="partners")

    ids = [c["id"] for c in first + second]
    assert ids == [made["t2"], made["t1"]]  # commit order, each exactly once
    assert second and next_url  # the late commit arrived after the cursor already handed out

    # The autoincrement cursor: T1's change has the lower id, so it is never read again.
    naive_second = _naive_changes_after(max(c.id for c in naive_first))
    naive_ids = [c.object_id for c in naive_first + naive_second]
    assert naive_ids == [made["t2"]], "an insert-time cursor loses the late commit"


def test_concurrent_writers_and_a_following_reader_see_each_change_once(auditor_api):
    """Four writers commit small transactions while a reader follows the feed."""
    stop = threading.Event()
    written = []

    def writer(n):
        try:
            for i in range(12):
                with transaction.atomic():
                    written.append(PartnerFactory(name=f"Writer {n} partner {i}").pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    seen, cursor = [], "0"
    while not stop.is_set():
        if not any(thread.is_alive() for thread in threads):
            stop.set()  # one last read after every writer finished
        page, _ = follow(auditor_api, after=cursor, resource="partners")
        seen.extend(page)
        if page:
            cursor = page[-1]["cursor"]
    created = [c["id"] for c in seen if c["action"] == "created"]
    assert sorted(created) == sorted(written)
    assert len(created) == len(set(created))
    positions = [tuple(int(p) for p in c["cursor"].split(".")) for c in seen]
    assert positions == sorted(positions)
