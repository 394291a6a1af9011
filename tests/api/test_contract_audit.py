"""Regression tests for the deviations from CONTRACT.md found by the conformance audit."""

import datetime

import pytest
from django.core.management import call_command

from conditions.services import waiver_record
from conditions.services.scan import scan_conditions
from config.api_router import router
from core.registry_day import registry_today
from notifications.services import notification_create
from partners.models import Partner, PartnerDesignation
from registry.models import RESOURCES
from tests.factories import (
    ActFactory,
    AgreementFactory,
    ConditionFactory,
    CountryFactory,
    DesignationFactory,
    ProvisionFactory,
    waiver_fields,
)
from tests.safeguards.factories import (
    EndUseCheckFactory,
    ReleaseFactory,
    TechnologyItemFactory,
    TransferFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db
TODAY = registry_today()

# `?ordering=` on every field each resource's list offers (the contract: every scalar field
# of its table, long free text such as `summary` or `justification` aside). Reviews are
# listed under their condition.
ORDERING = {
    prefix: viewset.ordering_fields
    for prefix, viewset, _basename in router.registry
    if prefix in RESOURCES
}


@pytest.fixture
def rows(editor):
    # Provisions of acts whose titles sort against their ids: ordering by `act` is by id.
    acts = [ActFactory(title="Zeta Act"), ActFactory(title="Alpha Act")]
    for n in range(3):
        condition = ConditionFactory(
            next_review_due=TODAY - datetime.timedelta(days=1),
            legal_basis=ProvisionFactory(act=acts[n % 2], report_deadline_days=15),
        )
        amount = n * 1000 if n else None
        waiver_record(condition=condition, actor=editor, **waiver_fields(amount_usd=amount))
        agreement = AgreementFactory(signed_on=None if n == 1 else TODAY, status="proposed")
        notification_create(
            actor=editor,
            kind=("aeca_36b", "case_act", "mnna")[n],
            partner=condition.partner,
            agreement=agreement,
            transmittal_number=f"DDTC 24-{2 - n:03d}" if n else "",
            received_on=TODAY - datetime.timedelta(days=n % 2),
            acted_on=TODAY if n != 1 else None,
        )
        # Technology safeguards, three of each, their values varying with n.
        day = TODAY - datetime.timedelta(days=n)
        item = TechnologyItemFactory(
            agreement=agreement, classification=("secret", "confidential", "unclassified")[n]
        )
        ReleaseFactory(item=item, partner=condition.partner, decided_on=day)
        EndUseCheckFactory(partner=condition.partner, performed_on=day)
        TransferFactory(
            from_partner=condition.partner, items=[item], requested_on=day, decided_on=day
        )
        ViolationFactory(partner=condition.partner, discovered_on=day, occurred_on=day)
    scan_conditions(today=TODAY)


def pages(api, url):
    seen = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        seen += [item["id"] for item in response.json()["results"]]
        url = response.json()["next"]
    return seen


@pytest.mark.parametrize("resource", list(ORDERING))
def test_ordering_on_every_listed_field_pages_through_every_row(resource, api, rows):
    every = sorted(pages(api, f"/api/v1/{resource}/?page_size=500"))
    assert len(every) >= 3
    for field in ORDERING[resource]:
        for term in (field, f"-{field}"):
            seen = pages(api, f"/api/v1/{resource}/?ordering={term}&page_size=2")
            assert sorted(seen) == every, term


def test_ordering_by_a_foreign_key_sorts_by_its_id(api, rows):
    results = api.get("/api/v1/provisions/", {"ordering": "act"}).json()["results"]
    act_ids = [item["act"] for item in results]
    assert act_ids == sorted(act_ids)
    results = api.get("/api/v1/conditions/", {"ordering": "-partner"}).json()["results"]
    partner_ids = [item["partner"] for item in results]
    assert partner_ids == sorted(partner_ids, reverse=True)


def test_designation_start_may_be_null_and_then_holds_until_it_ends(api):
    body = {
        "name": "Atlantis",
        "kind": "country",
        "iso3": "CHL",
        "designations": [
            {"category": "friendly", "valid_from": None, "valid_to": None, "instrument": ""},
            {"category": "mnna", "valid_from": None, "valid_to": "2001-01-01", "instrument": ""},
        ],
    }
    response = api.post("/api/v1/partners/", body)
    assert response.status_code == 201, response.content
    assert [d["valid_from"] for d in response.json()["designations"]] == [None, None]
    listed = api.get("/api/v1/partners/", {"designation": "friendly"}).json()["results"]
    assert [p["name"] for p in listed] == ["Atlantis"]
    assert api.get("/api/v1/partners/", {"designation": "mnna"}).json()["results"] == []
    held = PartnerDesignation.objects.get(category="friendly")
    assert held.holds_on(TODAY) and "unknown" in str(held)


def test_dated_designation_filter_is_inclusive_at_both_ends(api):
    starts, ends = (
        CountryFactory(name="Starts", iso3="AUS"),
        CountryFactory(name="Ends", iso3="NOR"),
    )
    ended, later = (
        CountryFactory(name="Ended", iso3="POL"),
        CountryFactory(name="Later", iso3="EGY"),
    )
    day = datetime.timedelta(days=1)
    DesignationFactory(partner=starts, valid_from=TODAY)
    DesignationFactory(partner=ends, valid_from=TODAY - 9 * day, valid_to=TODAY)
    DesignationFactory(partner=ended, valid_from=TODAY - 9 * day, valid_to=TODAY - day)
    DesignationFactory(partner=later, valid_from=TODAY + day)
    listed = api.get("/api/v1/partners/", {"designation": "mnna"}).json()["results"]
    assert {p["name"] for p in listed} == {"Starts", "Ends"}
    assert set(Partner.objects.with_designation("mnna")) == {starts, ends}


def test_verify_ledger_reports_an_intact_ledger_in_one_sentence(editor, capsys):
    waiver_record(condition=ConditionFactory(), actor=editor, **waiver_fields())
    call_command("verify_ledger")
    assert capsys.readouterr().out.strip() == "Waiver ledger intact: 1 entries."


def test_amendment_without_amends_names_the_field_in_plain_words(api):
    condition = ConditionFactory()
    body = {
        "condition": condition.pk,
        **{k: (v.pk if hasattr(v, "pk") else v) for k, v in waiver_fields().items()},
    }
    body = {k: (str(v) if isinstance(v, datetime.date) else v) for k, v in body.items()}
    response = api.post("/api/v1/waivers/", {**body, "action": "extended"})
    assert response.status_code == 400
    assert "Extended entries must name the entry they amend." in response.json()["amends"]
