import datetime

import pytest

from agreements.models import Agreement, AgreementParticipant
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    LegalBasisFactory,
    ParticipantFactory,
    ProvisionFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/agreements/"


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def body():
    japan = CountryFactory(name="Japan", iso3="JPN")
    provision = ProvisionFactory()
    return {
        "reference": "DTC-2014-0003",
        "title": "SM-3 Block IIA cooperative development",
        "summary": "Co-development of an interceptor.",
        "agreement_type": "co_development",
        "status": "in_force",
        "signed_on": "2014-06-01",
        "entry_into_force_on": "2014-07-01",
        "technology_transfer_risk": "high",
        "technology_areas": ["missile_defense", "propulsion"],
        "participants": [{"partner": japan.pk, "role": "lead", "cost_share_percent": 50}],
        "legal_bases": [{"provision": provision.pk, "role": "authorizes"}],
        "fms_cases": ["JA-P-ABC"],
    }


def test_create_read_update_nested(api, body):
    created = api.post(URL, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["technology_areas"] == ["missile_defense", "propulsion"]
    assert data["participants"][0]["cost_share_percent"] == 50
    assert data["legal_bases"][0]["role"] == "authorizes"
    assert data["fms_cases"] == ["JA-P-ABC"]
    assert api.get(f"{URL}{data['id']}/").json() == data
    updated = api.patch(
        f"{URL}{data['id']}/",
        {"technology_areas": ["ai"], "participants": []},
        HTTP_IF_MATCH='"1"',
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["technology_areas"] == ["ai"]
    assert updated.json()["participants"] == []
    assert updated.json()["legal_bases"] == data["legal_bases"]  # not sent: unchanged
    assert updated.json()["version"] == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"technology_areas": ["missile_defense", "warp_drive"]}, "technology_areas"),
        ({"participants": [{"partner": 0, "role": "lead"}]}, "participants[0].partner"),
        ({"participants": [{"role": "lead"}]}, "participants[0].partner"),
        ({"legal_bases": [{"provision": 0, "role": "funds"}]}, "legal_bases[0].provision"),
        ({"legal_bases": [{"role": "funds"}]}, "legal_bases[0].provision"),
        ({"title": "t" * 501}, "title"),
        ({"status": "signed", "signed_on": None}, "signed_on"),
        ({"expires_on": "2000-01-01"}, "expires_on"),
        ({"agreement_type": "fms_case"}, "agreement_type"),
        ({"fms_cases": [1]}, "fms_cases[0]"),
    ],
)
def test_bad_input_writes_nothing(api, body, changes, field):
    response = api.post(URL, {**body, **changes})
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Agreement.objects.exists()


def test_bad_participant_share_is_named(api, body):
    second = CountryFactory(name="Israel", iso3="ISR")
    body["participants"].append(
        {"partner": second.pk, "role": "participant", "cost_share_percent": 101}
    )
    response = api.post(URL, body)
    assert response.status_code == 400
    assert "participants[1].cost_share_percent" in response.json()
    body["participants"][1]["cost_share_percent"] = 60  # sum 110
    response = api.post(URL, body)
    assert response.status_code == 400
    assert "participants" in response.json()
    body["participants"][1]["partner"] = body["participants"][0]["partner"]
    response = api.post(URL, body)
    assert "participants[1].partner" in response.json()
    assert not Agreement.objects.exists()
    assert not AgreementParticipant.objects.exists()


def test_bad_nested_item_on_update_changes_nothing(api, body):
    agreement_id = api.post(URL, body).json()["id"]
    response = api.patch(
        f"{URL}{agreement_id}/",
        {"title": "New", "technology_areas": ["nope"], "participants": []},
    )
    assert response.status_code == 400
    agreement = Agreement.objects.get(pk=agreement_id)
    assert (agreement.title, agreement.version) == (body["title"], 1)
    assert agreement.participants.count() == 1


def test_duplicate_reference_and_cycles(api, body):
    first = api.post(URL, body).json()
    duplicate = api.post(URL, {**body, "participants": [], "legal_bases": []})
    assert "reference" in duplicate.json()
    child = AgreementFactory(parent_id=first["id"])
    cycle = api.patch(f"{URL}{first['id']}/", {"parent": child.pk})
    assert cycle.status_code == 400
    assert "parent" in cycle.json()


def test_filters(api):
    japan = CountryFactory(name="Japan", iso3="JPN")
    a = AgreementFactory(
        reference="DTC-A", title="Interceptor", signed_on=datetime.date(2014, 6, 1)
    )
    b = AgreementFactory(
        reference="DTC-B",
        agreement_type="framework",
        status="proposed",
        signed_on=None,
        summary="umbrella",
    )
    ParticipantFactory(agreement=a, partner=japan)
    basis = LegalBasisFactory(agreement=b)
    api.patch(f"{URL}{a.pk}/", {"technology_areas": ["hypersonics"]})
    assert ids(api.get(URL, {"agreement_type": "framework"})) == [b.pk]
    assert ids(api.get(URL, {"status": "proposed"})) == [b.pk]
    assert ids(api.get(URL, {"partner": japan.pk})) == [a.pk]
    assert ids(api.get(URL, {"technology_area": "hypersonics"})) == [a.pk]
    assert ids(api.get(URL, {"provision": basis.provision_id})) == [b.pk]
    assert ids(api.get(URL, {"act": basis.provision.act_id})) == [b.pk]
    assert ids(api.get(URL, {"signed_after": "2014-06-01"})) == [a.pk]
    assert ids(api.get(URL, {"signed_before": "2014-06-01"})) == [a.pk]
    assert ids(api.get(URL, {"signed_before": "2014-05-31"})) == []
    assert ids(api.get(URL, {"search": "UMBRELLA"})) == [b.pk]
    assert ids(api.get(URL, {"search": "dtc-a"})) == [a.pk]
    assert api.get(URL, {"signed_after": "2014-02-30"}).status_code == 400
    assert api.get(URL, {"partner": "japan"}).status_code == 400


def test_ordering_with_nulls_pages_through_every_row(api):
    made = [AgreementFactory(signed_on=datetime.date(2020, 1, n % 3 + 1)) for n in range(5)]
    made += [AgreementFactory(signed_on=None, status="proposed") for _ in range(2)]
    for ordering in ("signed_on", "-signed_on", "-id", "status,-signed_on"):
        seen, url = [], f"{URL}?ordering={ordering}&page_size=2"
        while url:
            page = api.get(url).json()
            seen += [item["id"] for item in page["results"]]
            url = page["next"]
        assert sorted(seen) == sorted(a.pk for a in made), ordering
        assert len(seen) == len(set(seen))
    first = api.get(URL, {"ordering": "-signed_on", "page_size": 2}).json()
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert back["results"] == first["results"]
    assert first["results"][0]["signed_on"] is None  # NULLs first when descending


def test_roles_methods(api, auditor_api, anon_api, body):
    agreement = AgreementFactory()
    assert auditor_api.post(URL, body).status_code == 403
    assert auditor_api.put(f"{URL}{agreement.pk}/", body).status_code == 403
    assert anon_api.get(URL).status_code == 401
    assert api.delete(f"{URL}{agreement.pk}/").status_code == 405
    assert api.get(f"{URL}424242/").status_code == 404
