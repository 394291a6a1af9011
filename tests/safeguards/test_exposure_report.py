"""GET reports/technology-exposure/: a row per partner, on a day (CONTRACT.md v1.2)."""

import datetime

import pytest

from tests.factories import DesignationFactory, PartnerFactory
from tests.safeguards.factories import (
    EndUseCheckFactory,
    ReleaseFactory,
    TechnologyItemFactory,
    TransferFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/technology-exposure/"
D = datetime.date


def rows_by_partner(api, **params):
    response = api.get(URL, params)
    assert response.status_code == 200, response.content
    return {row["partner_id"]: row for row in response.json()["rows"]}


@pytest.fixture
def scene():
    """A released a secret MTCR item and an EEUM one; A→B→C approved; C proscribed later."""
    a, b, c, d = (PartnerFactory(name=n) for n in ("Alpha", "Bravo", "Charlie", "Delta"))
    secret = TechnologyItemFactory(classification="secret", mtcr_category=1)
    eeum = TechnologyItemFactory(classification="unclassified", eeum=True)
    top = TechnologyItemFactory(classification="top_secret")
    ReleaseFactory(item=secret, partner=a, decided_on=D(2020, 1, 1))
    ReleaseFactory(item=secret, partner=a, decided_on=D(2020, 6, 1))  # the same item twice
    ReleaseFactory(item=eeum, partner=a, decided_on=D(2020, 1, 1))
    ReleaseFactory(item=eeum, partner=d, decision="denied", decided_on=D(2020, 1, 1))
    ReleaseFactory(item=top, partner=d, decided_on=D(2021, 1, 1))
    TransferFactory(from_partner=a, to_partner=b, items=[secret], decided_on=D(2021, 2, 1))
    TransferFactory(from_partner=b, to_partner=c, items=[secret], decided_on=D(2021, 3, 1))
    TransferFactory(from_partner=b, to_partner=a, items=[secret], decided_on=D(2021, 3, 1))
    DesignationFactory(partner=c, category="itar_126_1", valid_from=D(2022, 1, 1))
    EndUseCheckFactory(
        partner=a, result="unfavorable", performed_on=D(2021, 5, 1), resolved_on=D(2022, 5, 1)
    )
    ViolationFactory(partner=b, occurred_on=D(2021, 5, 1), discovered_on=D(2021, 6, 1))
    return a, b, c, d


def test_rows_count_what_held_on_the_day(api, scene):
    a, b, c, d = scene
    rows = rows_by_partner(api, as_of="2022-01-01")
    assert rows[a.pk] == {
        "partner_id": a.pk,
        "partner": "Alpha",
        "items_released": 2,
        "items_by_classification": {
            "unclassified": 1, "confidential": 0, "secret": 1, "top_secret": 0,
        },
        "mtcr_items": 1,
        "eeum_items": 1,
        "checks_unfavorable_open": 1,
        "violations": 0,
        "transfers_approved": 1,
        "paths_to_proscribed": [[b.pk, c.pk]],
    }  # fmt: skip
    assert rows[b.pk]["violations"] == 1 and rows[b.pk]["transfers_approved"] == 2
    assert rows[b.pk]["paths_to_proscribed"] == []  # nothing was released to B itself
    assert c.pk not in rows
    # The most sensitive holdings come first: D holds a top-secret item.
    assert list(rows)[0] == d.pk


def test_before_the_designation_and_after_the_check_was_resolved(api, scene):
    a, *_ = scene
    rows = rows_by_partner(api, as_of="2021-12-31")
    assert rows[a.pk]["paths_to_proscribed"] == []
    assert rows[a.pk]["checks_unfavorable_open"] == 1
    later = rows_by_partner(api, as_of="2022-05-01")
    assert later[a.pk]["checks_unfavorable_open"] == 0


def test_before_anything_was_released_and_the_partner_filter(api, scene):
    a, b, *_ = scene
    assert rows_by_partner(api, as_of="2019-12-31") == {}
    only = rows_by_partner(api, as_of="2022-01-01", partner=b.pk)
    assert list(only) == [b.pk]


def test_a_bad_day_is_a_400_naming_as_of(api):
    response = api.get(URL, {"as_of": "2022-13-01"})
    assert response.status_code == 400
    assert list(response.json()) == ["as_of"]


def test_auditors_read_it_and_anonymous_users_do_not(auditor_api, anon_api):
    assert auditor_api.get(URL).status_code == 200
    assert anon_api.get(URL).status_code == 401


def test_page_shows_paths_by_name_and_a_chart_largest_first(client, auditor, scene):
    client.force_login(auditor)
    response = client.get("/reports/technology-exposure/", {"as_of": "2022-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bravo → Charlie" in html
    bars = [bar["label"] for bar in response.context["chart"]["bars"]]
    assert bars[:2] == ["Alpha", "Delta"] or bars[:2] == ["Delta", "Alpha"]


def test_csv_has_a_line_per_partner_with_paths_in_words(client, auditor, scene):
    client.force_login(auditor)
    response = client.get("/reports/technology-exposure.csv", {"as_of": "2022-01-01"})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("as_of,partner_id,partner,items_released,items_unclassified")
    alpha = next(line for line in lines if ",Alpha," in line)
    assert alpha.endswith("Bravo → Charlie")
