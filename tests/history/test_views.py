"""History pages and /api/v1/history/: who may read them, what they show, their filters."""

import datetime

import pytest
from rest_framework.test import APIClient

from core.history.context import history_context
from core.registry_day import registry_today
from partners.models import Partner
from partners.services import partner_archive, partner_update
from tests.factories import PartnerFactory
from tests.history.helpers import last_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(editor):
    partner = PartnerFactory(name="Old Name")
    with history_context(actor=editor, channel="web", request_id="req-12345678"):
        partner_update(partner=partner, actor=editor, name="New Name")
    return partner


def test_object_history_shows_field_by_field_change(client, editor, edited):
    client.force_login(editor)
    response = client.get(f"/history/partners.partner/{edited.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>Old Name</del>" in html and "<ins>New Name</ins>" in html
    assert ">web<" in html
    assert "req-12345678" not in html  # a request id is for machines: the API has it (issue 30)


def test_object_history_unknown_model_or_object_is_404(client, editor, edited):
    client.force_login(editor)
    assert client.get("/history/auth.user/1/").status_code == 404
    assert client.get("/history/nonsense/1/").status_code == 404
    assert client.get("/history/partners.partner/999999/").status_code == 404


def test_history_of_a_deleted_record_stays_readable(client, auditor):
    partner = PartnerFactory(name="Gone Corp")
    Partner.objects.filter(pk=partner.pk).delete()
    client.force_login(auditor)
    response = client.get(f"/history/partners.partner/{partner.pk}/")
    assert response.status_code == 200
    assert "no longer present" in response.content.decode()


def test_change_log_is_for_auditors_and_admins(client, editor, auditor, edited):
    assert client.get("/history/").status_code == 302  # anonymous: to the sign-in page
    client.force_login(editor)
    assert client.get("/history/").status_code == 403
    client.force_login(auditor)
    assert client.get("/history/").status_code == 200


def test_change_log_filters(client, auditor, edited):
    PartnerFactory(name="Other")
    client.force_login(auditor)
    today = registry_today().isoformat()
    response = client.get(
        "/history/",
        {
            "user": "editor",
            "channel": "web",
            "object_type": "partners.Partner",
            "date_after": today,
            "date_before": today,
        },
    )
    events = [row["event"] for row in response.context["events"]]
    assert events and all(e.actor == "editor" and e.channel == "web" for e in events)
    yesterday = (registry_today() - datetime.timedelta(days=1)).isoformat()
    response = client.get("/history/", {"date_before": yesterday})
    assert response.context["events"] == []
    response = client.get("/history/", {"channel": "carrier-pigeon"})
    assert response.status_code == 200 and response.context["events"] == []


def test_api_history_lists_and_filters_for_auditors(auditor, edited):
    api = APIClient()
    api.force_authenticate(auditor)
    response = api.get("/api/v1/history/", {"object_type": "partners.Partner", "action": "update"})
    assert response.status_code == 200
    [row] = [r for r in response.json()["results"] if r["object_id"] == str(edited.pk)]
    assert row["changes"]["name"] == {"before": "Old Name", "after": "New Name"}
    assert (row["actor"], row["channel"], row["request_id"]) == ("editor", "web", "req-12345678")
    detail = api.get(f"/api/v1/history/{row['id']}/")
    assert detail.status_code == 200 and detail.json()["id"] == row["id"]
    assert api.get("/api/v1/history/partners.PartnerEvent:999999/").status_code == 404
    assert api.get("/api/v1/history/nonsense/").status_code == 404


def test_api_history_paginates_with_cursor(auditor):
    for n in range(5):
        PartnerFactory(name=f"Paged {n}")
    api = APIClient()
    api.force_authenticate(auditor)
    first = api.get("/api/v1/history/", {"page_size": 2}).json()
    second = api.get(first["next"]).json()
    assert len(first["results"]) == 2 and len(second["results"]) == 2
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_api_history_is_read_only_and_refused_to_editors(editor, auditor, admin_user):
    api = APIClient()
    assert api.get("/api/v1/history/").status_code == 401
    api.force_authenticate(editor)
    assert api.get("/api/v1/history/").status_code == 403
    api.force_authenticate(auditor)
    assert api.post("/api/v1/history/", {}, format="json").status_code == 403
    api.force_authenticate(admin_user)
    assert api.post("/api/v1/history/", {}, format="json").status_code == 405


def test_archiving_a_partner_is_recorded_not_deleted(editor):
    partner = PartnerFactory()
    with history_context(actor=editor, channel="web"):
        partner_archive(partner=partner, actor=editor)
    assert Partner.objects.filter(pk=partner.pk, archived_at__isnull=False).exists()
    event = last_event(partner, "update")
    assert event.pgh_diff["archived_at"][0] is None
    assert (event.actor, event.channel) == ("editor", "web")


def test_history_pages_query_count_does_not_grow_with_rows(
    client, auditor, django_assert_max_num_queries
):
    partner = PartnerFactory()
    for n in range(30):
        Partner.objects.filter(pk=partner.pk).update(notes=f"note {n}")
    client.force_login(auditor)
    with django_assert_max_num_queries(10):
        assert client.get("/history/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/history/partners.partner/{partner.pk}/").status_code == 200
