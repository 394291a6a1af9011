"""HTML lists page by keyset (issue 14 item 5): every sort, both ways, no OFFSET or COUNT(*)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from agreements.models import TechnologyArea
from conditions.models import Flag
from tests.factories import ConditionFactory
from tests.web.test_list_queries import MAKERS

LISTS = {
    **MAKERS,
    "conditions:flag_list": lambda n, editor: [
        ConditionFactory().flags.create(kind=Flag.Kind.REVIEW_DUE_SOON) for _ in range(n)
    ],
    "agreements:technology_area_list": lambda n, editor: [
        TechnologyArea.objects.create(name=f"Area {i % 3}-{i}", slug=f"area-{i}") for i in range(n)
    ],
}


def _ids(response) -> list[int]:
    return [row.pk for row in response.context["object_list"]]


def _walk(client, url, query, direction: str) -> list[list[int]]:
    """Every page from the first (`next`) or, from the last, back to the first (`previous`)."""
    pages, cursor = [], None
    for _ in range(50):
        response = client.get(url, {**query, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        pages.append(_ids(response))
        page = response.context["page_obj"]
        cursor = page.next_cursor if direction == "next" else page.previous_cursor
        if cursor is None:
            return pages
    raise AssertionError("the pages never end")


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_sort_pages_forward_and_back_through_every_row(client, editor, name):
    LISTS[name](7, editor)
    client.force_login(editor)
    url = reverse(name)
    for key in resolve(url).func.view_class.sort_fields:
        for sort in (key, f"-{key}"):
            everything = _ids(client.get(url, {"sort": sort, "page_size": 100}))
            forward = _walk(client, url, {"sort": sort, "page_size": 3}, "next")
            assert [pk for page in forward for pk in page] == everything, sort
            assert all(len(page) == 3 for page in forward[:-1]), sort
            last = client.get(url, {"sort": sort, "page_size": 3})
            for _ in forward[1:]:
                cursor = last.context["page_obj"].next_cursor
                last = client.get(url, {"sort": sort, "page_size": 3, "cursor": cursor})
            back = [_ids(last)]
            while (cursor := last.context["page_obj"].previous_cursor) is not None:
                last = client.get(url, {"sort": sort, "page_size": 3, "cursor": cursor})
                back.append(_ids(last))
            assert [pk for page in reversed(back) for pk in page] == everything, sort


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_deep_page_runs_no_offset_and_no_count(client, editor, name):
    LISTS[name](5, editor)
    client.force_login(editor)
    first = client.get(reverse(name), {"page_size": 2})
    with CaptureQueriesContext(connection) as queries:
        second = client.get(
            reverse(name), {"page_size": 2, "cursor": first.context["page_obj"].next_cursor}
        )
    assert second.status_code == 200 and len(second.context["object_list"]) == 2
    sql = " ".join(query["sql"].upper() for query in queries.captured_queries)
    assert "OFFSET" not in sql and "COUNT(*)" not in sql
    assert "Previous" in second.content.decode() and "First" in second.content.decode()


@pytest.mark.parametrize(
    "cursor", ["x", "e30=", "eyJ2IjpbMSwyLDNdLCJyIjpmYWxzZX0=", "eyJ2IjpbIngiLDFdLCJyIjoxfQ=="]
)
def test_a_bad_cursor_is_a_clear_400_page(client, auditor, cursor):
    client.force_login(auditor)
    response = client.get(reverse("conditions:waiver_list"), {"cursor": cursor})
    assert response.status_code == 400
    assert "This page link is not valid for this list" in response.content.decode()


def test_a_cursor_from_another_sort_is_a_400_not_a_500(client, editor):
    LISTS["conditions:condition_list"](3, editor)
    client.force_login(editor)
    url = reverse("conditions:condition_list")
    by_title = client.get(url, {"sort": "title", "page_size": 1}).context["page_obj"]
    response = client.get(url, {"sort": "next_review_due", "cursor": by_title.next_cursor})
    assert response.status_code in (200, 400)
