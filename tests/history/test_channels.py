"""Every write path leaves a history row with the right actor and channel."""

import pytest
from celery import shared_task
from django.db import connection
from rest_framework.test import APIClient

from agreements.models import TechnologyArea
from conditions.models import LedgerCheck
from conditions.tasks import verify_ledger
from core.history.context import history_context
from core.history.middleware import channel_for
from partners.models import Partner, PartnerDesignation
from tests.factories import PartnerFactory
from tests.history.helpers import last_event

pytestmark = pytest.mark.django_db


def _formset(prefix: str) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_html_form_records_web_channel_and_user(client, editor):
    client.force_login(editor)
    data = {"name": "Form Corp", "kind": "company", "iso3": "", "notes": "", "version": ""}
    response = client.post("/partners/new/", {**data, **_formset("designations")})
    assert response.status_code == 302, response.content[:2000]
    event = last_event(Partner.objects.get(name="Form Corp"), "insert")
    assert (event.actor, event.channel) == ("editor", "web")
    assert event.user_id == str(editor.pk)
    assert len(event.request_id) == 32
    assert event.pgh_data["name"] == "Form Corp"


def test_api_records_api_channel_and_token_user(editor):
    api = APIClient()
    api.force_authenticate(editor)
    body = {"name": "Api Corp", "kind": "company", "iso3": None, "parent": None}
    response = api.post("/api/v1/partners/", {**body, "designations": []}, format="json")
    assert response.status_code == 201, response.content
    event = last_event(Partner.objects.get(name="Api Corp"), "insert")
    assert (event.actor, event.channel) == ("editor", "api")
    assert response["X-Request-ID"] == event.request_id


def test_admin_writes_no_records_and_its_requests_are_labelled_admin(client, admin_user):
    # The admin is read-only for registry records (tests/test_admin.py); what it may still
    # write (users, groups, tokens) is labelled with the admin channel.
    client.force_login(admin_user)
    data = {"slug": "admin_area", "name": "Admin area", "description": ""}
    response = client.post("/admin/agreements/technologyarea/add/", data)
    assert response.status_code == 403
    assert not TechnologyArea.objects.filter(slug="admin_area").exists()
    assert channel_for("/admin/auth/user/add/") == "admin"


def test_celery_task_records_task_actor_and_id():
    result = verify_ledger()
    event = last_event(LedgerCheck.objects.get(pk=result["check"]), "insert")
    assert (event.actor, event.channel) == ("task:verify_ledger", "task")
    assert event.task_id


def test_queryset_update_is_recorded_with_before_and_after():
    partner = PartnerFactory(notes="before")
    with history_context(actor="task:cleanup", channel="task", task_id="t-1"):
        Partner.objects.filter(pk=partner.pk).update(notes="after")
    event = last_event(partner, "update")
    assert event.pgh_diff["notes"] == ["before", "after"]
    assert (event.actor, event.channel, event.task_id) == ("task:cleanup", "task", "t-1")


def test_bulk_create_records_every_row(editor):
    partner = PartnerFactory()
    rows = [
        PartnerDesignation(partner=partner, category=c, valid_from="2020-01-01")
        for c in ("mnna", "friendly")
    ]
    with history_context(actor=editor, channel="shell"):
        created = PartnerDesignation.objects.bulk_create(rows)
    for row in created:
        event = last_event(row, "insert")
        assert (event.actor, event.channel) == ("editor", "shell")


def test_raw_sql_without_context_shows_as_shell_unknown():
    partner = PartnerFactory(notes="before")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE partners_partner SET notes = 'psql' WHERE id = %s", [partner.pk])
    event = last_event(partner, "update")
    assert event.pgh_context_id is None
    assert (event.actor, event.channel) == ("unknown", "shell")
    assert event.pgh_diff["notes"] == ["before", "psql"]


def test_raw_sql_inside_a_context_is_labelled():
    partner = PartnerFactory()
    with history_context(actor="task:import", channel="task"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM partners_partner WHERE id = %s", [partner.pk])
    event = last_event(partner, "delete")
    assert (event.actor, event.channel) == ("task:import", "task")


def test_service_called_from_the_shell_names_actor_and_shell_channel(editor):
    from partners.services import partner_create

    partner = partner_create(actor=editor, name="Shell Corp", kind="company")
    event = last_event(partner, "insert")
    assert (event.actor, event.channel) == ("editor", "shell")


def test_unknown_channel_is_refused():
    with pytest.raises(ValueError, match="channel"), history_context(actor="x", channel="e"):
        pass


def test_task_run_by_celery_records_its_task_id():
    result = verify_ledger.apply()
    event = last_event(LedgerCheck.objects.get(pk=result.result["check"]), "insert")
    assert (event.actor, event.channel, event.task_id) == ("task:verify_ledger", "task", result.id)


@shared_task(name="tests.history.touch_partner")
def touch_partner(pk: int) -> None:
    """A task that forgets to set a history context (the worker's signals label it)."""
    Partner.objects.filter(pk=pk).update(notes="touched")


def test_worker_labels_tasks_that_set_no_context():
    partner = PartnerFactory()
    result = touch_partner.apply(args=[partner.pk])
    event = last_event(partner, "update")
    assert (event.actor, event.channel, event.task_id) == ("task:touch_partner", "task", result.id)


def test_token_authentication_names_its_user_in_the_request_context(editor):
    import pghistory
    from knox.models import AuthToken
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from core.api.auth import TokenAuthentication

    _, key = AuthToken.objects.create(editor)
    partner = PartnerFactory()
    request = APIRequestFactory().get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {key}")
    with pghistory.context(channel="api"):  # what the middleware opens, before the view
        TokenAuthentication().authenticate(Request(request))
        Partner.objects.filter(pk=partner.pk).update(notes="no service involved")
    event = last_event(partner, "update")
    assert (event.actor, event.channel, event.user_id) == ("editor", "api", str(editor.pk))


def test_task_called_as_a_function_keeps_its_callers_context():
    partner = PartnerFactory()
    with history_context(actor="task:caller", channel="task", task_id="t-2"):
        touch_partner(partner.pk)
    event = last_event(partner, "update")
    assert (event.actor, event.task_id) == ("task:caller", "t-2")
