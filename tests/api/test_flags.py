import pytest

from conditions.models import Flag
from core.registry_day import registry_today
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/flags/"


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def flags():
    first, second = ConditionFactory(), ConditionFactory()
    overdue = Flag.objects.create(condition=first, kind="review_overdue")
    expiring = Flag.objects.create(
        condition=second, kind="waiver_expiring", due_on=registry_today()
    )
    return overdue, expiring


def test_list_filters_ordering(api, flags):
    overdue, expiring = flags
    assert ids(api.get(URL)) == [expiring.pk, overdue.pk]  # newest first
    assert ids(api.get(URL, {"ordering": "raised_at"})) == [overdue.pk, expiring.pk]
    assert ids(api.get(URL, {"kind": "review_overdue"})) == [overdue.pk]
    assert ids(api.get(URL, {"condition": expiring.condition_id})) == [expiring.pk]
    assert ids(api.get(URL, {"partner": overdue.condition.partner_id})) == [overdue.pk]
    assert ids(api.get(URL, {"status": "resolved"})) == []
    detail = api.get(f"{URL}{overdue.pk}/").json()
    assert detail["status"] == "open" and detail["acknowledged_by"] is None


def test_acknowledge_then_resolve(api, flags):
    flag = flags[0]
    acknowledged = api.post(f"{URL}{flag.pk}/acknowledge/")
    assert acknowledged.status_code == 200
    assert acknowledged.json()["status"] == "acknowledged"
    assert acknowledged.json()["acknowledged_by"] == "editor"
    again = api.post(f"{URL}{flag.pk}/acknowledge/")
    assert again.status_code == 400 and "status" in again.json()
    resolved = api.post(f"{URL}{flag.pk}/resolve/")
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["resolved_at"]
    assert api.post(f"{URL}999999/resolve/").status_code == 404


def test_flags_are_read_only_otherwise(api, auditor_api, anon_api, flags):
    flag = flags[0]
    assert (
        api.post(URL, {"condition": flag.condition_id, "kind": "review_overdue"}).status_code == 405
    )
    assert api.patch(f"{URL}{flag.pk}/", {"status": "resolved"}).status_code == 405
    assert api.delete(f"{URL}{flag.pk}/").status_code == 405
    assert auditor_api.post(f"{URL}{flag.pk}/acknowledge/").status_code == 403
    assert auditor_api.post(f"{URL}{flag.pk}/resolve/").status_code == 403
    assert anon_api.post(f"{URL}{flag.pk}/resolve/").status_code == 401
    flag.refresh_from_db()
    assert flag.status == "open"


def test_resolve_with_a_note_then_reopen(api, auditor_api, flags):
    flag = flags[0]
    resolved = api.post(f"{URL}{flag.pk}/resolve/", {"note": "Done by phone."}, format="json")
    assert resolved.status_code == 200, resolved.content
    assert (resolved.json()["status"], resolved.json()["note"]) == ("resolved", "Done by phone.")
    assert auditor_api.post(f"{URL}{flag.pk}/reopen/").status_code == 403
    reopened = api.post(f"{URL}{flag.pk}/reopen/", {"note": "Too early."}, format="json")
    assert reopened.status_code == 200, reopened.content
    body = reopened.json()
    assert (body["status"], body["note"], body["resolved_at"]) == ("open", "Too early.", None)
    again = api.post(f"{URL}{flag.pk}/reopen/")
    assert again.status_code == 400 and "status" in again.json()
    too_long = api.post(f"{URL}{flag.pk}/resolve/", {"note": "x" * 2001}, format="json")
    assert too_long.status_code == 400 and "note" in too_long.json()
