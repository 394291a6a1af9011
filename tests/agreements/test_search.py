"""Agreement search: words anywhere (full text, ranked fields), references from their start."""

import pytest
from rest_framework.test import APIClient

from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(auditor):
    client = APIClient()
    client.force_authenticate(auditor)
    return client


def references(api, query: str) -> set:
    response = api.get("/api/v1/agreements/", {"search": query})
    assert response.status_code == 200, response.content
    return {a["reference"] for a in response.json()["results"]}


def test_search_finds_words_stems_phrases_and_reference_prefixes(api):
    AgreementFactory(
        reference="DTC-2014-0003",
        title="Iron Dome co-production",
        summary="Interceptors produced in both countries.",
    )
    AgreementFactory(
        reference="DTC-2019-0001",
        title="Glide Phase Interceptor",
        summary="Co-development of a hypersonic defense interceptor.",
    )
    AgreementFactory(reference="DTC-2021-0005", title="Undersea sensors", summary="")
    assert references(api, "interceptor") == {"DTC-2014-0003", "DTC-2019-0001"}  # stems
    assert references(api, '"glide phase"') == {"DTC-2019-0001"}  # a phrase
    assert references(api, "interceptor -hypersonic") == {"DTC-2014-0003"}  # excluded word
    assert references(api, "DTC-2014") == {"DTC-2014-0003"}  # a reference from its start
    assert references(api, "dtc-2021-0005") == {"DTC-2021-0005"}
    assert references(api, "quantum") == set()


@pytest.mark.parametrize("query", ['"', "-", "!!!", "a & | b", "x" * 400, "'", "(("])
def test_any_search_text_is_an_answer_not_an_error(api, query):
    AgreementFactory()
    assert api.get("/api/v1/agreements/", {"search": query}).status_code == 200
