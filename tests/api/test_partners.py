import datetime

import pytest

from core.registry_day import registry_today
from partners.models import Partner
from tests.factories import CountryFactory, DesignationFactory, PartnerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/partners/"


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_create_with_designations_then_read(api):
    body = {
        "name": "Japan",
        "kind": "country",
        "iso3": "jpn",
        "designations": [
            {"category": "mnna", "valid_from": "1989-01-01", "valid_to": None, "instrument": ""}
        ],
    }
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["iso3"] == "JPN"
    assert data["version"] == 1
    assert response["ETag"] == '"1"'
    assert data["designations"][0]["category"] == "mnna"
    detail = api.get(f"{URL}{data['id']}/")
    assert detail.json() == data
    assert detail["ETag"] == '"1"'


def test_update_raises_version_and_replaces_designations(api):
    partner = CountryFactory(name="Israel", iso3="ISR")
    DesignationFactory(partner=partner)
    response = api.patch(
        f"{URL}{partner.pk}/",
        {"designations": [{"category": "nato_plus5", "valid_from": "2000-01-01"}]},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    assert [d["category"] for d in response.json()["designations"]] == ["nato_plus5"]
    put = api.put(
        f"{URL}{partner.pk}/",
        {"name": "State of Israel", "kind": "country", "iso3": "ISR"},
        format="json",
    )
    assert put.status_code == 200
    assert put.json()["version"] == 3


def test_stale_if_match_is_412_and_changes_nothing(api):
    partner = PartnerFactory(name="Acme")
    response = api.patch(
        f"{URL}{partner.pk}/", {"name": "Other"}, format="json", HTTP_IF_MATCH='"7"'
    )
    assert response.status_code == 412
    assert response.json()["version"] == 1
    malformed = api.patch(
        f"{URL}{partner.pk}/", {"name": "Other"}, format="json", HTTP_IF_MATCH="nonsense"
    )
    assert malformed.status_code == 412
    partner.refresh_from_db()
    assert (partner.name, partner.version) == ("Acme", 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "JAPAN", "kind": "company"}, "name"),
        ({"name": "Nippon", "kind": "country", "iso3": "JPN"}, "iso3"),
        ({"name": "Nowhere", "kind": "country", "iso3": "XXX"}, "iso3"),
        ({"name": "Nowhere", "kind": "country"}, "iso3"),
        ({"name": "x" * 201, "kind": "company"}, "name"),
        ({"name": 5, "kind": "company"}, "name"),
        ({"name": "Co", "kind": "planet"}, "kind"),
        ({"name": "Co", "kind": "company", "parent": "1"}, "parent"),
        ({"name": "Co", "kind": "company", "parent": 10**30}, "parent"),
        ({"name": "Co\x00", "kind": "company"}, "name"),
        (
            {
                "name": "Co",
                "kind": "company",
                "designations": [
                    {"category": "mnna", "valid_from": "2000-01-01"},
                    {"category": "mnna", "valid_from": "2000-13-01"},
                ],
            },
            "designations[1].valid_from",
        ),
        (
            {
                "name": "Co",
                "kind": "company",
                "designations": [
                    {"category": "mnna", "valid_from": "2001-01-01", "valid_to": "2000-01-01"}
                ],
            },
            "designations[0].valid_to",
        ),
    ],
)
def test_bad_input_is_400_naming_the_field_and_writes_nothing(api, body, field):
    CountryFactory(name="Japan", iso3="JPN")
    before = Partner.objects.count()
    response = api.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert Partner.objects.count() == before


def test_malformed_json_is_400(api):
    response = api.post(URL, b'{"name": ', content_type="application/json")
    assert response.status_code == 400


def test_filters(api):
    japan = CountryFactory(name="Japan", iso3="JPN")
    DesignationFactory(partner=japan, category="mnna")
    egypt = CountryFactory(name="Egypt", iso3="EGY")
    DesignationFactory(
        partner=egypt, category="mnna", valid_to=registry_today() - datetime.timedelta(1)
    )
    acme = PartnerFactory(name="Acme Aerospace")
    assert ids(api.get(URL, {"kind": "company"})) == [acme.pk]
    assert ids(api.get(URL, {"iso3": "egy"})) == [egypt.pk]
    assert ids(api.get(URL, {"designation": "mnna"})) == [japan.pk]
    assert ids(api.get(URL, {"search": "aero"})) == [acme.pk]
    assert api.get(URL, {"kind": "planet"}).status_code == 400
    assert api.get(URL, {"designation": "bogus"}).status_code == 400


def test_ordering(api):
    b = PartnerFactory(name="Bravo")
    a = PartnerFactory(name="Alpha")
    assert ids(api.get(URL)) == [a.pk, b.pk]  # by name by default
    assert ids(api.get(URL, {"ordering": "-name"})) == [b.pk, a.pk]
    assert ids(api.get(URL, {"ordering": "id"})) == [b.pk, a.pk]
    assert api.get(URL, {"ordering": "notes"}).status_code == 400


def test_404_and_405(api):
    partner = PartnerFactory()
    assert api.get(f"{URL}999999/").status_code == 404
    assert api.get(f"{URL}abc/").status_code == 404
    assert api.get(f"{URL}1.5/").json() == {"detail": "Not found."}
    assert api.delete(f"{URL}{partner.pk}/").status_code == 405
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_401_and_403(anon_api, auditor_api):
    partner = PartnerFactory()
    assert anon_api.get(URL).status_code == 401
    assert anon_api.post(URL, {"name": "x", "kind": "company"}, format="json").status_code == 401
    assert auditor_api.get(f"{URL}{partner.pk}/").status_code == 200
    body = {"name": "x", "kind": "company"}
    assert auditor_api.post(URL, body, format="json").status_code == 403
    assert auditor_api.patch(f"{URL}{partner.pk}/", body, format="json").status_code == 403
    assert Partner.objects.count() == 1
