"""Every list runs the same number of SQL queries whatever the page size (no N+1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import TechnologyArea
from conditions.models import ConditionReview, Flag, SourceDocument
from conditions.services import waiver_record
from tests.factories import (
    ActFactory,
    AgreementFactory,
    ConditionFactory,
    DesignationFactory,
    LegalBasisFactory,
    ParticipantFactory,
    PartnerFactory,
    ProvisionFactory,
    RequirementFactory,
    waiver_fields,
)

pytestmark = pytest.mark.django_db
ROWS = 101  # more than the largest page measured


def partners(editor):
    for _ in range(ROWS):
        DesignationFactory(partner=PartnerFactory())
    return "/api/v1/partners/"


def acts(editor):
    ActFactory.create_batch(ROWS)
    return "/api/v1/acts/"


def provisions(editor):
    ProvisionFactory.create_batch(ROWS)
    return "/api/v1/provisions/"


def technology_areas(editor):
    for n in range(ROWS):
        TechnologyArea.objects.create(slug=f"area-{n}", name=f"Area {n}")
    return "/api/v1/technology-areas/"


def agreements(editor):
    area = TechnologyArea.objects.get(slug="ai")
    for _ in range(ROWS):
        agreement = AgreementFactory()
        ParticipantFactory(agreement=agreement, partner=PartnerFactory())
        LegalBasisFactory(agreement=agreement)
        agreement.technology_areas.add(area)
    return "/api/v1/agreements/"


def conditions(editor):
    for _ in range(ROWS):
        RequirementFactory(condition=ConditionFactory())
    return "/api/v1/conditions/"


def _ledger(editor, condition=None):
    provision = ProvisionFactory(report_deadline_days=15)
    entries = []
    for _ in range(ROWS):
        fields = waiver_fields(
            authority=provision,
            sources=[{"url": "https://www.state.gov/x", "kind": "official"}],
        )
        entries.append(
            waiver_record(condition=condition or ConditionFactory(), actor=editor, **fields)
        )
    return entries


def waivers(editor):
    _ledger(editor)
    return "/api/v1/waivers/"


def waiver_history(editor):
    condition = ConditionFactory()
    _ledger(editor, condition)
    return f"/api/v1/conditions/{condition.pk}/waiver-history/"


def flags(editor):
    for _ in range(ROWS):
        flag = Flag.objects.create(condition=ConditionFactory(), kind="review_overdue")
        flag.acknowledged_by = editor
        flag.save()
    return "/api/v1/flags/"


def reviews(editor):
    condition = ConditionFactory()
    start = datetime.date(2000, 1, 1)
    for n in range(ROWS):
        review = ConditionReview.objects.create(
            condition=condition,
            reviewed_on=start + datetime.timedelta(days=n),
            outcome="met",
            recorded_by=editor,
        )
        SourceDocument.objects.create(review=review, url="https://www.gao.gov/x", kind="gao")
    return f"/api/v1/conditions/{condition.pk}/reviews/"


@pytest.mark.parametrize(
    "build",
    [
        partners,
        acts,
        provisions,
        technology_areas,
        agreements,
        conditions,
        waivers,
        waiver_history,
        flags,
        reviews,
    ],
)
def test_list_query_count_is_constant(api, editor, build, django_assert_num_queries):
    url = build(editor)
    api.get(url, {"page_size": 1})  # warm-up: the role lookup and the like are cached per user
    with CaptureQueriesContext(connection) as baseline:
        first = api.get(url, {"page_size": 1})
    assert len(first.json()["results"]) == 1
    print(f"{url}: {len(baseline.captured_queries)} queries per page")
    for size in (10, 100):
        with django_assert_num_queries(len(baseline.captured_queries)):
            response = api.get(url, {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
    # Following `next` costs the same as the first page: no OFFSET, no COUNT(*).
    with django_assert_num_queries(len(baseline.captured_queries)):
        api.get(first.json()["next"])
    assert not any("COUNT(" in q["sql"].upper() for q in baseline.captured_queries)
