"""Issue 13 items 3-4 on the API: every input answered with a 4xx, never a 500."""

import datetime
from decimal import Decimal

import pytest

from agreements.filters import (
    ActFilterSet,
    AgreementFilterSet,
    ProvisionFilterSet,
    TechnologyAreaFilterSet,
)
from agreements.models import TechnologyArea
from conditions.filters import ConditionFilterSet, FlagFilterSet, WaiverEntryFilterSet
from conditions.services import waiver_record
from notifications.filters import NotificationFilterSet
from partners.filters import PartnerFilterSet
from tests.api.conftest import token_client
from tests.factories import ConditionFactory, RequirementFactory, UserFactory, waiver_fields
from tests.web.conftest import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

HOSTILE = (
    "9999-12-31",
    "0001-01-01",
    "2024-13-45",
    "2026-1-1",
    "20260101",
    "99999999999999999999999",
    "-9223372036854775809",
    "-1",
    "NaN",
    "Infinity",
    "1e309",
    "x" * 5000,
    "",
    " ",
    "%",
    "' OR 1=1 --",
)


def _filters(filterset, *parameters: str) -> list[str]:
    """Every filter of a list, read from its FilterSet, then the list's other parameters."""
    return [*filterset.base_filters, *parameters]


LISTS_AND_FILTERS = {
    "partners": _filters(PartnerFilterSet, "ordering", "page_size", "cursor"),
    "acts": _filters(ActFilterSet, "ordering", "cursor"),
    "provisions": _filters(ProvisionFilterSet, "ordering"),
    "technology-areas": _filters(TechnologyAreaFilterSet, "ordering"),
    "agreements": _filters(AgreementFilterSet, "ordering"),
    "conditions": _filters(ConditionFilterSet, "ordering"),
    "waivers": _filters(WaiverEntryFilterSet, "ordering"),
    "flags": _filters(FlagFilterSet, "ordering"),
    "notifications": _filters(NotificationFilterSet, "ordering", "page_size", "cursor"),
    "history": [
        "user",
        "object_type",
        "object_id",
        "channel",
        "action",
        "date_after",
        "date_before",
    ],
    "reports/access": ["partner", "year_from", "year_to", "as_of"],
    "reports/industrial-base": ["partner", "year_from", "year_to", "as_of"],
    "reports/enforcement": ["partner", "year_from", "year_to", "as_of"],
}


def _status(client, url, query):
    try:
        return client.get(url, query).status_code
    except Exception as error:  # noqa: BLE001 (the test client re-raises a view's error)
        return f"{type(error).__name__}: {str(error)[:120]}"


def test_no_api_route_answers_500_to_hostile_parameters(world):  # noqa: F811
    client = token_client(UserFactory(username="admin-reader", role="admin"))
    failures = []
    detail_routes = {
        f"/api/v1/agreements/{world['agreement'].pk}/": ["as_of"],
        f"/api/v1/conditions/{world['condition'].pk}/": ["as_of"],
        f"/api/v1/conditions/{world['condition'].pk}/waiver-history/": ["page_size", "cursor"],
        f"/api/v1/conditions/{world['condition'].pk}/reviews/": ["page_size", "cursor"],
    }
    routes = {f"/api/v1/{name}/": params for name, params in LISTS_AND_FILTERS.items()}
    for url, parameters in {**routes, **detail_routes}.items():
        for parameter in parameters:
            for value in (*HOSTILE, ["1", "9999-12-31"]):
                status = _status(client, url, {parameter: value})
                if not isinstance(status, int) or status >= 500:
                    failures.append((url, parameter, str(value)[:40], status))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agreements/{agreement}/?as_of=9999-12-31",
        "/api/v1/conditions/{condition}/?as_of=9999-12-31",
        "/api/v1/conditions/{condition}/?as_of=0001-01-01",
        "/api/v1/history/?date_before=9999-12-31",
        "/api/v1/reports/enforcement/?as_of=9999-12-31",
        "/api/v1/reports/access/?as_of=1899-12-31",
        "/api/v1/waivers/?signed_after=2201-01-01",
    ],
)
def test_dates_outside_1900_to_2200_are_a_400_naming_the_parameter(world, url):  # noqa: F811
    client = token_client(UserFactory(username="admin-reader", role="admin"))
    url = url.format(agreement=world["agreement"].pk, condition=world["condition"].pk)
    response = client.get(url)
    assert response.status_code == 400
    name = url.rpartition("?")[2].partition("=")[0]
    assert "1900-01-01 and 2200-12-31" in response.json()[name][0]


@pytest.mark.parametrize("value", ["2026-1-1", "20260101", "2026-01-01T00:00", " 2026-01-01"])
def test_api_dates_are_yyyy_mm_dd_only(api, world, value):  # noqa: F811
    response = api.get(f"/api/v1/conditions/{world['condition'].pk}/", {"as_of": value})
    assert response.status_code == 400
    assert response.json()["as_of"] == ["Enter a date as YYYY-MM-DD."]
    condition = world["condition"]
    response = api.patch(
        f"/api/v1/conditions/{condition.pk}/", {"next_review_due": value}, format="json"
    )
    assert response.status_code == 400
    assert "next_review_due" in response.json()


@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "2201-01-01", "9999-12-31"])
def test_a_review_dated_outside_the_range_is_refused(api, world, value):  # noqa: F811
    condition = world["condition"]
    response = api.post(
        f"/api/v1/conditions/{condition.pk}/reviews/",
        {"reviewed_on": value, "outcome": "met", "notes": "", "next_review_due": None},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["reviewed_on"] == ["Enter a date between 1900-01-01 and 2200-12-31."]
    assert api.get("/api/v1/reports/enforcement/").status_code == 200


def test_the_service_refuses_a_review_dated_year_one(editor):
    from django.core.exceptions import ValidationError

    from conditions.services import condition_review_record

    condition = ConditionFactory()
    with pytest.raises(ValidationError) as error:
        condition_review_record(
            condition=condition,
            actor=editor,
            reviewed_on=datetime.date(1, 1, 1),
            outcome="met",
            notes="",
        )
    assert "reviewed_on" in error.value.message_dict


def test_a_waiver_entry_dated_outside_the_range_is_refused(api, world):  # noqa: F811
    condition = world["condition"]
    body = {
        "condition": condition.pk,
        "action": "granted",
        "authority": condition.legal_basis_id,
        "standard": "national_security_interest",
        "official_title": "Secretary of State",
        "signed_on": "2026-01-01",
        "effective_on": "2026-01-01",
        "expires_on": "9999-12-31",
        "justification": "x",
        "publicity": "published_official",
        "sources": [
            {
                "url": "https://example.org/",
                "published_on": "0001-01-01",
                "kind": "official",
                "publisher": "",
            }
        ],
    }
    response = api.post("/api/v1/waivers/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["expires_on"] == ["Enter a date between 1900-01-01 and 2200-12-31."]
    assert "sources[0].published_on" in errors


def test_enforcement_api_answers_a_waiver_far_larger_than_the_amount_conditioned(api, editor):
    condition = ConditionFactory(amount_conditioned_usd=Decimal("1"), fiscal_year=2026)
    RequirementFactory(condition=condition)
    waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(authority=condition.legal_basis, amount_usd=Decimal("1000000")),
    )
    response = api.get("/api/v1/reports/enforcement/")
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert rows and Decimal(str(rows[0]["amount_waived_usd"])) == Decimal("1000000")


def test_enforcement_api_adds_up_the_largest_amounts_the_database_holds(api, editor):
    largest = Decimal("99999999999999.99")  # numeric(16, 2)
    first = ConditionFactory(amount_conditioned_usd=largest, fiscal_year=2026)
    for _ in range(150):
        ConditionFactory(amount_conditioned_usd=largest, fiscal_year=2026, partner=first.partner)
    response = api.get("/api/v1/reports/enforcement/")
    assert response.status_code == 200


def test_free_text_has_limits(api):
    area = TechnologyArea.objects.order_by("pk").first()
    response = api.patch(
        f"/api/v1/technology-areas/{area.pk}/", {"description": "x" * 1_000_000}, format="json"
    )
    assert response.status_code == 400
    assert "description" in response.json()


def test_a_weak_etag_never_matches(api, world):  # noqa: F811
    condition = world["condition"]
    url = f"/api/v1/conditions/{condition.pk}/"
    etag = api.get(url)["ETag"]
    response = api.patch(url, {"title": "Changed"}, format="json", HTTP_IF_MATCH=f"W/{etag}")
    assert response.status_code == 412
    assert (
        api.patch(url, {"title": "Changed"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    )


@pytest.mark.parametrize("url", ["/api/v1/partners/", "/api/v1/waivers/", "/api/v1/acts/"])
@pytest.mark.parametrize("value", ["", ",", " "])
def test_an_empty_ordering_is_a_400(api, url, value):
    response = api.get(url, {"ordering": value})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_ordering_on_the_change_log_is_refused_not_ignored(admin_user):
    response = token_client(admin_user).get("/api/v1/history/", {"ordering": "at"})
    assert response.status_code == 400
    assert "ordering" in response.json()
