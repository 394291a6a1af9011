import pytest

from agreements.models import TechnologyArea

pytestmark = pytest.mark.django_db
URL = "/api/v1/technology-areas/"


def test_seeded_areas_listed(api):
    slugs = {a["slug"] for a in api.get(URL, {"page_size": 500}).json()["results"]}
    assert {"missile_defense", "hypersonics", "ai", "quantum", "c4isr"} <= slugs


def test_create_update_duplicate_slug(api):
    created = api.post(URL, {"slug": "biotech", "name": "Biotechnology"}, format="json")
    assert created.status_code == 201, created.content
    area_id = created.json()["id"]
    updated = api.patch(f"{URL}{area_id}/", {"description": "Bio"}, HTTP_IF_MATCH='"1"')
    assert updated.json()["version"] == 2
    assert api.patch(f"{URL}{area_id}/", {"name": "x"}, HTTP_IF_MATCH='"1"').status_code == 412
    duplicate = api.post(URL, {"slug": "biotech", "name": "Again"}, format="json")
    assert duplicate.status_code == 400
    assert "slug" in duplicate.json()
    bad = api.post(URL, {"slug": "not a slug", "name": "x"}, format="json")
    assert "slug" in bad.json()


def test_filters_search_ordering(api):
    results = api.get(URL, {"search": "hyperson"}).json()["results"]
    assert [a["slug"] for a in results] == ["hypersonics"]
    assert [a["slug"] for a in api.get(URL, {"slug": "ai"}).json()["results"]] == ["ai"]
    ordered = api.get(URL, {"ordering": "-slug", "page_size": 2}).json()["results"]
    expected = list(TechnologyArea.objects.order_by("-slug").values_list("slug", flat=True)[:2])
    assert [a["slug"] for a in ordered] == expected


def test_roles_and_methods(api, auditor_api):
    area = TechnologyArea.objects.get(slug="ai")
    assert auditor_api.patch(f"{URL}{area.pk}/", {"name": "x"}).status_code == 403
    assert api.delete(f"{URL}{area.pk}/").status_code == 405
