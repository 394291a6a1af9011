import pytest

from agreements.models import Act
from tests.factories import ActFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/acts/"
NDAA = {
    "kind": "act",
    "title": "National Defense Authorization Act for Fiscal Year 2026",
    "short_title": "NDAA FY2026",
    "congress": 119,
    "bill_type": "S",
    "bill_number": 2296,
    "status": "enacted",
    "public_law": "119-60",
    "statutes_at_large": None,
    "enacted_on": "2025-12-18",
    "fiscal_year": 2026,
    "url": "https://www.congress.gov/",
}


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_create_read_update(api):
    created = api.post(URL, NDAA, format="json")
    assert created.status_code == 201, created.content
    act_id = created.json()["id"]
    assert api.get(f"{URL}{act_id}/").json()["public_law"] == "119-60"
    updated = api.patch(
        f"{URL}{act_id}/", {"fiscal_year": 2027}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert updated.status_code == 200
    assert updated.json()["version"] == 2
    assert api.patch(f"{URL}{act_id}/", {"title": "x"}, HTTP_IF_MATCH='"1"').status_code == 412
    assert Act.objects.get(pk=act_id).title == NDAA["title"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"public_law": "119-61"}, "bill_number"),  # same congress, type and number
        ({"bill_number": 9}, "public_law"),  # same public law
        ({"public_law": None, "bill_number": 9, "status": "introduced", "enacted_on": None}, None),
        ({"status": "introduced", "public_law": "119-99", "bill_number": 9}, "public_law"),
        ({"title": "t" * 501}, "title"),
        ({"bill_type": "XX"}, "bill_type"),
        ({"congress": 10**12}, "congress"),
        ({"congress": "119"}, "congress"),
        ({"enacted_on": "2025-02-30"}, "enacted_on"),
    ],
)
def test_natural_keys_and_rules(api, changes, field):
    assert api.post(URL, NDAA, format="json").status_code == 201
    response = api.post(URL, {**NDAA, **changes}, format="json")
    if field is None:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 400, response.content
        assert field in response.json()


def test_filters_search_and_ordering(api):
    old = ActFactory(title="Arms Export Control Act", congress=94, fiscal_year=1976)
    new = ActFactory(title="Zeta Act", congress=119, kind="regulation", status="introduced")
    assert ids(api.get(URL, {"congress": 94})) == [old.pk]
    assert ids(api.get(URL, {"fiscal_year": 1976})) == [old.pk]
    assert ids(api.get(URL, {"kind": "regulation"})) == [new.pk]
    assert ids(api.get(URL, {"status": "introduced"})) == [new.pk]
    assert ids(api.get(URL, {"search": "export"})) == [old.pk]
    assert ids(api.get(URL, {"ordering": "-title"})) == [new.pk, old.pk]
    assert ids(api.get(URL, {"ordering": "-congress"})) == [new.pk, old.pk]
    assert api.get(URL, {"congress": "1.5"}).status_code == 400


def test_no_delete_and_roles(api, auditor_api, anon_api):
    act = ActFactory()
    assert api.delete(f"{URL}{act.pk}/").status_code == 405
    assert auditor_api.patch(f"{URL}{act.pk}/", {"title": "x"}, format="json").status_code == 403
    assert anon_api.get(f"{URL}{act.pk}/").status_code == 401
    assert api.get(f"{URL}0/").status_code == 404


def test_title_10_enactment_with_a_lettered_volume_is_accepted(api):
    title_10 = {
        **NDAA,
        "kind": "code_title",
        "title": "Title 10, United States Code (Armed Forces)",
        "short_title": "Title 10",
        "congress": 84,
        "bill_type": "HR",
        "bill_number": 7049,
        "public_law": "84-1028",
        "statutes_at_large": "70A Stat. 1",
        "enacted_on": "1956-08-10",
        "fiscal_year": None,
    }
    created = api.post(URL, title_10, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["statutes_at_large"] == "70A Stat. 1"
    bad = api.post(URL, {**title_10, "public_law": None, "statutes_at_large": "70AB Stat. 1"})
    assert bad.status_code == 400 and "statutes_at_large" in bad.json()


def test_chairmans_mark_without_a_bill_number_is_accepted_and_keyed_once_numbered(api):
    mark = {
        **NDAA,
        "title": "NDAA for Fiscal Year 2027 (chairman's mark)",
        "short_title": "NDAA FY2027 mark",
        "congress": 119,
        "bill_type": "HR",
        "bill_number": None,
        "status": "introduced",
        "public_law": None,
        "enacted_on": None,
        "fiscal_year": 2027,
    }
    first = api.post(URL, mark, format="json")
    assert first.status_code == 201, first.content
    # Two unnumbered drafts of the same congress and type do not clash: the key needs all three.
    second = api.post(URL, {**mark, "title": "Subcommittee mark"}, format="json")
    assert second.status_code == 201, second.content
    # Past introduction a bill has its number.
    reported = api.post(URL, {**mark, "title": "Reported", "status": "reported"}, format="json")
    assert reported.status_code == 400 and "bill_number" in reported.json()
    assert Act.objects.filter(bill_number__isnull=True, bill_type="HR").count() == 2
