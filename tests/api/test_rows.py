"""List GETs read as rows (core/api/rows.py) give the same bytes and marking header as DRF's
serializers over instances: every list, every ordering both ways, two page sizes, on records
with nested lists, nulls, decimals, dates and markings."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from agreements.models import Agreement, IndustrialParticipant, TechnologyArea
from conditions.models import Flag
from conditions.services import waiver_record
from config.api_router import router
from core.api import base
from core.api.rows import RowReader
from partners.models import Partner
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

MARKED = {"marking_categories": ["EXPT", "PRVCY"], "marking_dissemination": "REL TO"}


def _registry(editor):
    area = TechnologyArea.objects.get(slug="ai")
    for n in range(6):
        partner = factories.PartnerFactory()
        if n % 2:
            factories.DesignationFactory(partner=partner)
        unsigned = n % 3 == 0
        agreement = factories.AgreementFactory(
            signed_on=None if unsigned else datetime.date(2020, 1, 1 + n),
            status=Agreement.Status.PROPOSED if unsigned else Agreement.Status.IN_FORCE,
            fms_cases=[f"UK-D-Q{n}"] if n % 2 else [],
        )
        factories.ParticipantFactory(agreement=agreement, partner=partner)
        factories.ParticipantFactory(agreement=agreement)
        factories.LegalBasisFactory(agreement=agreement)
        company = factories.PartnerFactory()
        IndustrialParticipant.objects.create(agreement=agreement, company=company)
        if n % 2:
            agreement.technology_areas.add(area)
        condition = factories.ConditionFactory(agreement=agreement if n % 2 else None)
        factories.RequirementFactory(condition=condition)
        fields = factories.waiver_fields(
            authority=factories.ProvisionFactory(report_deadline_days=15),
            sources=[{"url": "https://www.state.gov/x", "kind": "official"}],
        )
        waiver_record(condition=condition, actor=editor, **fields)
        Flag.objects.create(condition=condition, kind="review_overdue", acknowledged_by=editor)
    rel_to = {**MARKED, "marking_rel_to": ["USA", "GBR"]}
    Agreement.objects.filter(pk=agreement.pk).update(**rel_to)
    Partner.objects.filter(pk=partner.pk).update(**rel_to)


def _cleared(user):
    """A client for `user` cleared for the categories the registry's records carry."""
    for code in MARKED["marking_categories"]:
        user.groups.add(Group.objects.get_or_create(name=f"cui:{code}")[0])
    return token_client(user)


def _lists():
    for prefix, viewset, _ in router.registry:
        if issubclass(viewset, base.ReadViewSet) and "list" not in vars(viewset):
            yield prefix, viewset


def _bodies(client, url, monkeypatch):
    fast = client.get(url)
    with monkeypatch.context() as patch:
        patch.setattr(RowReader, "for_list", classmethod(lambda cls, serializer_class: None))
        drf = client.get(url)
    assert fast.status_code == drf.status_code == 200, url
    header = base.MARKING_HEADER
    return (fast.content, fast[header]), (drf.content, drf[header])


@pytest.mark.parametrize(
    ("prefix", "rows"),
    [
        ("agreements", True),
        ("partners", True),
        ("conditions", True),
        ("waivers", True),
        ("provisions", False),
    ],
)
def test_the_large_lists_are_read_as_rows(prefix, rows):
    viewset = dict((p, v) for p, v, _ in router.registry)[prefix]
    reader = RowReader.for_list(viewset.serializer_class)
    # provisions show a `citation` built by the model from its act: read as instances.
    assert (reader is not None) is rows


def test_fast_lists_are_byte_identical(admin_user, editor, monkeypatch):
    _registry(editor)
    client = _cleared(admin_user)
    compared = 0
    for prefix, viewset in _lists():
        for name in viewset.ordering_fields:
            for ordering in (name, f"-{name}"):
                for size in (2, 500):
                    url = f"/api/v1/{prefix}/?ordering={ordering}&page_size={size}"
                    fast, drf = _bodies(client, url, monkeypatch)
                    assert fast == drf, url
                    compared += 1
    assert compared > 100


def test_fast_lists_cover_markings_nulls_and_nested_rows(admin_user, editor):
    _registry(editor)
    client = _cleared(admin_user)
    body = client.get("/api/v1/agreements/", {"page_size": 500}).json()
    rows = body["results"]
    assert {row["marking"] for row in rows} == {
        "UNCLASSIFIED",
        "CUI//SP-EXPT/PRVCY//REL TO USA, GBR",
    }
    assert any(row["signed_on"] is None for row in rows)
    assert all(row["participants"] and row["industrial_participants"] for row in rows)
    waivers = client.get("/api/v1/waivers/").json()["results"]
    assert waivers and all(row["sources"] for row in waivers)
    assert connection.vendor == "postgresql"
