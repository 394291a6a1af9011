import pytest

from agreements.models import Provision
from tests.factories import ActFactory, ProvisionFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/provisions/"


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_create_read_update_with_citation(api):
    act = ActFactory(title="Foreign Assistance Act of 1961", public_law="87-195")
    body = {"act": act.pk, "section": "620M", "heading": "Limitation", "report_deadline_days": 15}
    created = api.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["citation"] == "Section 620M of the Foreign Assistance Act of 1961 (Pub. L. 87-195)"
    assert data["status"] == "in_force"
    updated = api.patch(
        f"{URL}{data['id']}/", {"citation": "ignored", "codification": "22 U.S.C. 2378d"}
    )
    assert updated.status_code == 200
    assert updated.json()["citation"] == data["citation"]  # read-only
    assert updated.json()["codification"] == "22 U.S.C. 2378d"
    assert updated.json()["version"] == 2


def test_duplicate_section_names_section(api):
    provision = ProvisionFactory(section="224")
    response = api.post(URL, {"act": provision.act_id, "section": "224"}, format="json")
    assert response.status_code == 400
    assert "section" in response.json()
    assert Provision.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"section": "1", "act": 0}, "act"),
        ({"section": "1", "status": "gone"}, "status"),
        ({"section": "1", "valid_from": "2020-01-01", "valid_to": "2019-01-01"}, "valid_to"),
        ({"section": "1", "report_deadline_days": 0}, "report_deadline_days"),
        ({"section": "1", "heading": "h" * 501}, "heading"),
    ],
)
def test_bad_input(api, body, field):
    act = ActFactory()
    response = api.post(URL, {"act": act.pk, **body}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_filters_search_ordering(api):
    a = ProvisionFactory(section="362", heading="Leahy", codification="10 U.S.C. 362")
    b = ProvisionFactory(section="620M", heading="Limitation", status="repealed")
    assert ids(api.get(URL, {"act": a.act_id})) == [a.pk]
    assert ids(api.get(URL, {"act": 987654})) == []
    assert ids(api.get(URL, {"status": "repealed"})) == [b.pk]
    assert ids(api.get(URL, {"search": "10 U.S.C."})) == [a.pk]
    assert ids(api.get(URL, {"search": "620m"})) == [b.pk]
    assert ids(api.get(URL, {"search": a.act.title})) == [a.pk]
    assert ids(api.get(URL, {"ordering": "-section"})) == [b.pk, a.pk]
    assert api.get(URL, {"act": "x"}).status_code == 400


def test_roles_and_methods(api, auditor_api, anon_api):
    provision = ProvisionFactory()
    assert auditor_api.post(URL, {}, format="json").status_code == 403
    assert anon_api.get(URL).status_code == 401
    assert api.delete(f"{URL}{provision.pk}/").status_code == 405
    assert api.get(f"{URL}99999/").status_code == 404
