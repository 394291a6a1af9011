"""Hostile query parameters and bodies on the safeguards routes: a 4xx, never a 500."""

import pytest

from safeguards import filters
from tests.api.conftest import token_client
from tests.api.test_every_input import HOSTILE, _filters, _status
from tests.factories import UserFactory
from tests.safeguards.factories import (
    EndUseCheckFactory,
    ReleaseFactory,
    TransferFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db

LISTS_AND_FILTERS = {
    "technology-items": _filters(filters.TechnologyItemFilterSet, "ordering", "page_size"),
    "release-decisions": _filters(filters.ReleaseDecisionFilterSet, "ordering", "cursor"),
    "end-use-checks": _filters(filters.EndUseCheckFilterSet, "ordering"),
    "transfers": _filters(filters.TransferFilterSet, "ordering"),
    "violations": _filters(filters.ViolationFilterSet, "ordering"),
    "reports/technology-exposure": ["partner", "as_of"],
}


def test_no_safeguards_route_answers_500_to_hostile_parameters():
    client = token_client(UserFactory(username="admin-reader", role="admin"))
    release = ReleaseFactory()
    records = {
        "technology-items": release.item,
        "release-decisions": release,
        "end-use-checks": EndUseCheckFactory(),
        "transfers": TransferFactory(),
        "violations": ViolationFactory(),
    }
    routes = {f"/api/v1/{name}/": params for name, params in LISTS_AND_FILTERS.items()}
    routes |= {f"/api/v1/{name}/{r.pk}/": ["as_of"] for name, r in records.items()}
    failures = []
    for url, parameters in routes.items():
        for parameter in parameters:
            for value in (*HOSTILE, ["1", "9999-12-31"]):
                status = _status(client, url, {parameter: value})
                if not isinstance(status, int) or status >= 500:
                    failures.append((url, parameter, str(value)[:40], status))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("value", [*HOSTILE[:12], None, [], {}, True, 1.5, 2**70])
def test_hostile_bodies_are_400s(api, value):
    release = ReleaseFactory()
    for url, field in [
        ("/api/v1/technology-items/", "control_entry"),
        ("/api/v1/release-decisions/", "provisos"),
        ("/api/v1/end-use-checks/", "items"),
        ("/api/v1/transfers/", "value_usd"),
        ("/api/v1/violations/", "discovered_on"),
        (f"/api/v1/release-decisions/{release.pk}/", "decided_on"),
    ]:
        method = api.patch if url.endswith(f"{release.pk}/") else api.post
        response = method(url, {field: value}, format="json")
        assert response.status_code == 400, (url, field, value, response.content[:300])
