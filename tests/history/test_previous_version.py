"""An event's previous version (its diff) is one step down the (pgh_obj_id, pgh_id) index,
however many events the table holds: a page of "created" events must not walk the table
back (docs/decisions/0042-previous-version-by-index.md)."""

import json

import pytest
from django.db import connection

from core.history.events import _event_select, load_events
from core.history.slice import Position
from partners.models import Partner
from partners.services import partner_create, partner_update
from tests.roles import as_owner

pytestmark = pytest.mark.django_db


def _partner_event_model():
    return next(iter(Partner.pgh_event_models.values()))


def _grow(event_model, source_pgh_id: int, copies: int):
    """`copies` more events of the source event's object, written set-based as the owner and
    analysed, as years of edits to one record would leave them."""
    table = event_model._meta.db_table
    columns = [f.column for f in event_model._meta.concrete_fields if f.column != "pgh_id"]
    listed = ", ".join(columns)
    with as_owner() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        cursor.execute(
            f'INSERT INTO "{table}" ({listed}) SELECT {listed} FROM "{table}"'  # noqa: S608  # nosec B608
            " CROSS JOIN generate_series(1, %s) WHERE pgh_id = %s",
            [copies, source_pgh_id],
        )
        cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
        cursor.execute(f'ANALYZE "{table}"')


def _plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def test_previous_version_is_found_by_index_not_by_walking_the_table(editor):
    event_model = _partner_event_model()
    old = partner_create(actor=editor, name="Edited for years", kind="company")
    first = event_model.objects.filter(pgh_obj_id=old.pk).latest("pgh_id")
    _grow(event_model, first.pgh_id, 5000)
    new = partner_create(actor=editor, name="Created today", kind="company")
    partner_update(partner=new, actor=editor, notes="Then edited")
    created, edited = event_model.objects.filter(pgh_obj_id=new.pk).order_by("pgh_id")

    # The page is right: no diff for the created record, the edit's diff against it.
    shown = load_events(
        [Position(None, event_model._meta.label, e.pgh_id) for e in (edited, created)]
    )
    assert [e.pgh_label for e in shown] == ["update", "insert"]
    assert shown[0].pgh_diff["notes"] == ["", "Then edited"]
    assert shown[0].pgh_diff["version"] == [1, 2]
    assert shown[1].pgh_diff is None

    # And cheap: each previous version is one index step, whatever lies below it.
    sql = _event_select(event_model)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + sql,
            [event_model._meta.label, [created.pgh_id, edited.pgh_id]],
        )
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes = list(_plan_nodes(plan[0]["Plan"]))
    read = sum(n.get("Actual Rows", 0) + n.get("Rows Removed by Filter", 0) for n in nodes)
    assert read < 50, json.dumps(plan, indent=1)
    assert any(n.get("Index Name", "").endswith("_pgh_obj_seq") for n in nodes)
