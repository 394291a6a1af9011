import datetime

import pytest

from conditions.models import Condition, ConditionReview
from core.registry_day import registry_today
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    CountryFactory,
    ProvisionFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/conditions/"
TODAY = registry_today()


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def body():
    return {
        "title": "Leahy vetting of the 3rd Brigade",
        "description": "Assistance withheld pending vetting.",
        "partner": CountryFactory(name="Egypt", iso3="EGY").pk,
        "unit": "3rd Brigade",
        "agreement": None,
        "legal_basis": ProvisionFactory(section="362").pk,
        "requirements": [{"label": "(a)(1)", "text": "Credible information reviewed."}],
        "review_interval_days": 180,
        "next_review_due": str(TODAY + datetime.timedelta(days=60)),
        "status": "pending_review",
        "responsible_office": "DRL/SFA",
        "leahy_applicable": True,
    }


def test_create_read_update(api, body):
    created = api.post(URL, body)
    assert created.status_code == 201, created.content
    data = created.json()
    # Requirements are waivable unless said otherwise (CONTRACT v1.1).
    assert data["requirements"] == [{**r, "waivable": True} for r in body["requirements"]]
    assert data["review_warning_days"] == 30
    assert api.get(f"{URL}{data['id']}/").json() == data
    updated = api.patch(
        f"{URL}{data['id']}/",
        {
            "status": "under_review",
            "requirements": [{"label": "(b)", "text": "New", "waivable": False}],
        },
        HTTP_IF_MATCH=created["ETag"],
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["requirements"] == [{"label": "(b)", "text": "New", "waivable": False}]
    stale = api.patch(f"{URL}{data['id']}/", {"title": "x"}, HTTP_IF_MATCH=created["ETag"])
    assert stale.status_code == 412
    assert Condition.objects.get(pk=data["id"]).title == body["title"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"review_interval_days": 0}, "review_interval_days"),
        ({"review_warning_days": -1}, "review_warning_days"),
        ({"status": "forgotten"}, "status"),
        ({"title": "t" * 501}, "title"),
        ({"partner": None}, "partner"),
        ({"leahy_applicable": "yes"}, "leahy_applicable"),
        ({"next_review_due": "soon"}, "next_review_due"),
        (
            {"requirements": [{"label": "(a)"}, {"label": "(a)", "text": "x"}]},
            "requirements[0].text",
        ),
    ],
)
def test_bad_input(api, body, changes, field):
    response = api.post(URL, {**body, **changes})
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Condition.objects.exists()


def test_filters_search_ordering(api):
    agreement = AgreementFactory()
    soon = ConditionFactory(next_review_due=TODAY + datetime.timedelta(days=5), unit="Alpha")
    later = ConditionFactory(agreement=agreement, status="met", responsible_office="PM/RSAT")
    assert ids(api.get(URL)) == [soon.pk, later.pk]  # next review first
    assert ids(api.get(URL, {"ordering": "-next_review_due"})) == [later.pk, soon.pk]
    assert ids(api.get(URL, {"partner": soon.partner_id, "status": "pending_review"})) == [soon.pk]
    assert ids(api.get(URL, {"agreement": agreement.pk})) == [later.pk]
    assert ids(api.get(URL, {"status": "met"})) == [later.pk]
    assert ids(api.get(URL, {"legal_basis": soon.legal_basis_id})) == [soon.pk]
    due = str(TODAY + datetime.timedelta(days=5))
    assert ids(api.get(URL, {"review_due_before": due})) == [soon.pk]
    assert ids(api.get(URL, {"search": "rsat"})) == [later.pk]
    assert ids(api.get(URL, {"search": "alpha"})) == [soon.pk]


def test_reviews_post_updates_condition_and_lists(api):
    condition = ConditionFactory()
    url = f"{URL}{condition.pk}/reviews/"
    assert api.get(url).json() == {"results": [], "next": None, "previous": None}
    body = {
        "reviewed_on": str(TODAY),
        "outcome": "met",
        "notes": "Certified.",
        "next_review_due": str(TODAY + datetime.timedelta(days=365)),
        "sources": [{"url": "https://www.state.gov/x", "kind": "official"}],
    }
    created = api.post(url, body)
    assert created.status_code == 201, created.content
    assert created.json()["recorded_by"] == "editor"
    assert created.json()["sources"][0]["kind"] == "official"
    condition.refresh_from_db()
    assert condition.status == "met"
    assert condition.next_review_due == TODAY + datetime.timedelta(days=365)
    listed = api.get(url, {"page_size": 1}).json()
    assert [r["id"] for r in listed["results"]] == [created.json()["id"]]
    bad = api.post(url, {**body, "outcome": "pending_review"})
    assert "outcome" in bad.json()
    bad = api.post(url, {**body, "sources": [{"url": "not a url", "kind": "press"}]})
    assert "sources[0].url" in bad.json()
    assert ConditionReview.objects.count() == 1
    assert api.get(f"{URL}999999/reviews/").status_code == 404


def test_roles_and_methods(api, auditor_api, anon_api, body):
    condition = ConditionFactory()
    assert auditor_api.post(URL, body).status_code == 403
    assert auditor_api.patch(f"{URL}{condition.pk}/", {"title": "x"}).status_code == 403
    review = {"reviewed_on": str(TODAY), "outcome": "met"}
    assert auditor_api.post(f"{URL}{condition.pk}/reviews/", review).status_code == 403
    assert auditor_api.get(f"{URL}{condition.pk}/reviews/").status_code == 200
    assert anon_api.get(f"{URL}{condition.pk}/reviews/").status_code == 401
    assert api.delete(f"{URL}{condition.pk}/").status_code == 405
