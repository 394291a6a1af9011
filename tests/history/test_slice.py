"""The bounded history slice: keyset pages return every event exactly once, in order, and the
filters pushed into each table's read select what pghistory's full union selects."""

import datetime

import pytest
from django.db import connection
from django.db.models import TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from pghistory.models import Events
from rest_framework.test import APIClient

from core.history import slice as slice_module
from core.history.context import history_context
from core.history.events import ChangeFilterSet, history_page, object_filter
from core.history.slice import EventFilter
from core.registry_day import registry_day_of
from partners.models import Partner, PartnerDesignation
from tests.factories import AgreementFactory, PartnerFactory
from tests.roles import as_owner

pytestmark = pytest.mark.django_db


def _full_union():
    """The whole history through pghistory's union: what the slice must agree with."""
    return Events.objects.annotate(
        actor=Coalesce(KT("pgh_context__actor"), Value("unknown"), output_field=TextField()),
        channel=Coalesce(KT("pgh_context__channel"), Value("shell"), output_field=TextField()),
    )


@pytest.fixture
def history(editor, auditor):
    """Events in several tables, by several actors and channels, some at the same instant
    (one test transaction shares one NOW()) and some spread over days by the owner."""
    with history_context(actor=editor, channel="web", request_id="req-00000001"):
        partners = [PartnerFactory(name=f"Slice {n}") for n in range(4)]
        for partner in partners:
            PartnerDesignation.objects.create(
                partner=partner, category="mnna", valid_from="2020-01-01"
            )
    with history_context(actor="task:slice", channel="task", task_id="t-slice"):
        Partner.objects.filter(pk=partners[0].pk).update(notes="by a task")
        AgreementFactory(title="Slice agreement")
    with history_context(actor=auditor, channel="api"):
        Partner.objects.filter(pk=partners[1].pk).update(notes="through the api")
    Partner.objects.filter(pk=partners[2].pk).update(notes="from psql")  # no context
    with as_owner() as cursor:  # spread some events over earlier days, as years of use would
        cursor.execute("ALTER TABLE partners_partnerevent DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE partners_partnerevent SET pgh_created_at = pgh_created_at"
            " - make_interval(days => pgh_id %% 3) WHERE pgh_obj_id = ANY(%s)",
            [[p.pk for p in partners]],
        )
        cursor.execute("ALTER TABLE partners_partnerevent ENABLE TRIGGER USER")
    return partners


def _walk(filters, size):
    """Every page from the newest, following `older`, then back following `newer`."""
    page = history_page(filters, size=size)
    forward = list(page.events)
    while page.older is not None:
        page = history_page(filters, size=size, cursor=page.older)
        forward += page.events
        assert len(forward) < 10_000
    backward = list(page.events)
    while page.newer is not None:
        page = history_page(filters, size=size, cursor=page.newer)
        backward = page.events + backward
    return forward, backward


def _key(event):
    return (event.pgh_created_at, event.pgh_model, event.pgh_id)


@pytest.mark.parametrize("size", [1, 2, 3, 7, 500])
def test_keyset_pages_return_every_event_once_in_order(history, size):
    forward, backward = _walk(EventFilter(), size)
    expected = sorted(
        ((e.pgh_created_at, e.pgh_model, e.pgh_id) for e in _full_union()), reverse=True
    )
    assert [_key(e) for e in forward] == expected
    assert [_key(e) for e in backward] == expected
    assert len({e.pgh_slug for e in forward}) == len(expected) > 20


def test_pages_carry_data_diffs_and_context_like_the_full_union(history):
    page = history_page(EventFilter(), size=500)
    union = {e.pgh_slug: e for e in _full_union()}
    assert len(page.events) == len(union)
    for event in page.events:
        old = union[event.pgh_slug]
        assert (event.pgh_data, event.pgh_diff) == (old.pgh_data, old.pgh_diff)
        assert (event.actor, event.channel) == (old.actor, old.channel)
        assert (event.pgh_obj_id, event.pgh_label) == (old.pgh_obj_id, old.pgh_label)
        assert event.pgh_context_id == old.pgh_context_id


QUERIES = [
    {"user": "editor"},
    {"user": "auditor", "channel": "api"},
    {"user": "task:slice"},
    {"user": "unknown"},
    {"user": "nobody"},
    {"channel": "shell"},
    {"channel": "web", "object_type": "partners.PartnerDesignation"},
    {"object_type": "agreements.Agreement"},
    {"action": "update"},
    {"object_id": "0"},
    {"object_id": "x1"},
]


@pytest.mark.parametrize("query", QUERIES)
def test_filters_select_what_the_full_union_selects(history, query):
    filterset = ChangeFilterSet(query)
    assert filterset.is_valid(), filterset.errors
    forward, _ = _walk(filterset.event_filter(), 2)
    union = _full_union()
    lookups = {
        "user": "actor",
        "object_type": "pgh_obj_model",
        "action": "pgh_label",
        "object_id": "pgh_obj_id",
    }
    for name, value in query.items():
        union = union.filter(**{lookups.get(name, name): value})
    assert sorted(e.pgh_slug for e in forward) == sorted(e.pgh_slug for e in union)


def test_object_id_and_date_filters(history):
    partner = history[0]
    filterset = ChangeFilterSet({"object_type": "partners.Partner", "object_id": str(partner.pk)})
    assert filterset.is_valid()
    events = history_page(filterset.event_filter(), size=50).events
    assert events and {e.pgh_obj_id for e in events} == {str(partner.pk)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT NOW()")  # the day the test's events were recorded on
        today = registry_day_of(cursor.fetchone()[0])
    for after, before in [(today, today), (today - datetime.timedelta(days=1),) * 2]:
        filterset = ChangeFilterSet({"date_after": after, "date_before": before})
        assert filterset.is_valid()
        got = history_page(filterset.event_filter(), size=500).events
        # A day of the filter is a registry day (issue 23), whatever the hour in UTC.
        assert got and all(registry_day_of(e.pgh_created_at) == after for e in got)


def test_object_history_includes_rows_pointing_at_the_record(history):
    partner = history[0]
    events = history_page(object_filter(Partner, partner.pk), size=50).events
    union = Events.objects.references(partner)
    assert sorted(e.pgh_slug for e in events) == sorted(e.pgh_slug for e in union)
    assert {e.pgh_obj_model for e in events} == {"partners.Partner", "partners.PartnerDesignation"}


def test_api_and_page_follow_cursors_both_ways(history, auditor, client):
    api = APIClient()
    api.force_authenticate(auditor)
    first = api.get("/api/v1/history/", {"page_size": 3}).json()
    assert first["previous"] is None and first["next"]
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]
    assert api.get("/api/v1/history/", {"cursor": "bm90IGEgY3Vyc29y"}).status_code == 404
    client.force_login(auditor)
    page = client.get("/history/", {"page_size": 3})
    assert page.context["older_cursor"] and page.context["newer_cursor"] is None
    older = client.get("/history/", {"page_size": 3, "cursor": page.context["older_cursor"]})
    assert older.status_code == 200 and "Newer changes" in older.content.decode()
    assert client.get("/history/", {"cursor": "nonsense"}).status_code == 404


WALKED = [
    {"user": "editor"},
    {"user": "auditor", "channel": "api"},
    {"user": "task:slice"},
    {"user": "nobody"},
    {"channel": "web"},
    {"channel": "web", "object_type": "partners.PartnerDesignation"},
    {"user": "editor", "action": "insert"},
]


@pytest.mark.parametrize("query", WALKED)
@pytest.mark.parametrize("size", [1, 2, 5])
def test_a_frequent_user_or_channel_walks_the_log_and_finds_the_same_events(
    history, query, size, monkeypatch
):
    """For a value many contexts name, the log is walked in order and each event's context
    checked (decision 0026); the pages, in both directions, are those of the full union, newest
    first. Every value walks here, a few events read at a time, so the walk crosses reads."""
    filterset = ChangeFilterSet(query)
    assert filterset.is_valid(), filterset.errors
    filters = filterset.event_filter()
    with monkeypatch.context() as walk_always:
        walk_always.setattr(slice_module, "WALK_MIN_CONTEXTS", 0)
        walk_always.setattr(slice_module, "WALK_MIN_SHARE", 0)
        walk_always.setattr(slice_module, "WALK_FIRST_READ", 1)
        assert slice_module._walk_for(filters)
        forward, backward = _walk(filters, size)
    assert not slice_module._walk_for(filters)  # a handful of contexts: read as before
    union = _full_union()
    lookups = {"user": "actor", "object_type": "pgh_obj_model", "action": "pgh_label"}
    for name, value in query.items():
        union = union.filter(**{lookups.get(name, name): value})
    expected = sorted(((e.pgh_created_at, e.pgh_model, e.pgh_id) for e in union), reverse=True)
    assert [_key(e) for e in forward] == expected
    assert [_key(e) for e in backward] == expected
    if query.get("user") == "editor":
        assert {e.actor for e in forward} == {"editor"} and len(forward) > 5


def test_unknown_and_shell_are_never_walked(history, monkeypatch):
    """They also match changes with no context, which the context counts do not see."""
    monkeypatch.setattr(slice_module, "WALK_MIN_CONTEXTS", 0)
    monkeypatch.setattr(slice_module, "WALK_MIN_SHARE", 0)
    assert not slice_module._walk_for(EventFilter(actor="unknown"))
    assert not slice_module._walk_for(EventFilter(channel="shell"))
    assert not slice_module._walk_for(EventFilter(actor="editor", object_id=1))
