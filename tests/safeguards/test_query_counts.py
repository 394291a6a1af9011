"""Every safeguards list runs the same number of SQL queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.safeguards.factories import (
    EndUseCheckFactory,
    ReleaseFactory,
    TechnologyItemFactory,
    TransferFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db
ROWS = 101  # more than the largest page measured


def technology_items():
    TechnologyItemFactory.create_batch(ROWS)
    return "technology-items"


def release_decisions():
    ReleaseFactory.create_batch(ROWS)
    return "release-decisions"


def end_use_checks():
    item = TechnologyItemFactory()
    for _ in range(ROWS):
        EndUseCheckFactory().items.add(item)
    return "end-use-checks"


def transfers():
    item = TechnologyItemFactory()
    for _ in range(ROWS):
        TransferFactory(items=[item])
    return "transfers"


def violations():
    item = TechnologyItemFactory()
    for _ in range(ROWS):
        ViolationFactory().items.add(item)
    return "violations"


@pytest.mark.parametrize(
    "build", [technology_items, release_decisions, end_use_checks, transfers, violations]
)
def test_list_query_count_is_constant(api, build, django_assert_num_queries):
    url = f"/api/v1/{build()}/"
    api.get(url, {"page_size": 1})  # warm-up: the role lookup and the like are cached per user
    with CaptureQueriesContext(connection) as baseline:
        first = api.get(url, {"page_size": 1})
    assert len(first.json()["results"]) == 1
    for size in (10, 100):
        with django_assert_num_queries(len(baseline.captured_queries)):
            response = api.get(url, {"page_size": size})
        assert len(response.json()["results"]) == size
    with django_assert_num_queries(len(baseline.captured_queries)):
        api.get(first.json()["next"])
