"""The technology safeguards resources (CONTRACT.md v1.2, "Technology safeguards")."""

import datetime

import pytest

from safeguards.models import EndUseCheckItem, ReleaseDecision
from tests.factories import AgreementFactory, DesignationFactory, PartnerFactory
from tests.safeguards.factories import (
    EndUseCheckFactory,
    ReleaseFactory,
    TechnologyItemFactory,
    TransferFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/"


def proscribed(partner, valid_from="2020-06-01", valid_to=None):
    return DesignationFactory(
        partner=partner,
        category="itar_126_1",
        valid_from=datetime.date.fromisoformat(valid_from),
        valid_to=valid_to and datetime.date.fromisoformat(valid_to),
    )


def item_body(**overrides):
    return {
        "agreement": AgreementFactory().pk,
        "name": "Javelin command launch unit",
        "control_list": "usml",
        "control_entry": "IV(a)(1)",
        "kind": "hardware",
        "classification": "confidential",
        "mtcr_category": None,
        "eeum": True,
        "anti_tamper_required": False,
        **overrides,
    }


# --- technology items ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "control_list, entry",
    [
        ("usml", "XI(a)(3)(i)"),
        ("usml", "XXI(a)"),
        ("usml", "IV(h)(1)(A)"),
        ("ccl", "9A610.x"),
        ("ccl", "3A001.b.1"),
        ("ccl", "0A606"),
        ("none", ""),
    ],
)
def test_valid_control_entries_are_accepted(api, control_list, entry):
    body = item_body(control_list=control_list, control_entry=entry)
    response = api.post(f"{API}technology-items/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["control_entry"] == entry
    assert response["ETag"] == '"1"'


@pytest.mark.parametrize(
    "control_list, entry",
    [
        ("usml", "XXII(a)"),  # no category XXII
        ("usml", "XI"),  # a category without a paragraph
        ("usml", "11(a)"),
        ("usml", "9A610.x"),
        ("ccl", "XI(a)(3)(i)"),
        ("ccl", "9F610.x"),  # product groups are A to E
        ("ccl", "9A61"),
        ("none", "9A610.x"),  # no list, no entry
        ("usml", ""),
    ],
)
def test_invalid_control_entries_name_the_field(api, control_list, entry):
    body = item_body(control_list=control_list, control_entry=entry)
    response = api.post(f"{API}technology-items/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["control_entry"]


@pytest.mark.parametrize("value", [3, 0, "1", True, 1.5])
def test_mtcr_category_is_1_2_or_null(api, value):
    response = api.post(f"{API}technology-items/", item_body(mtcr_category=value), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["mtcr_category"]
    created = api.post(f"{API}technology-items/", item_body(mtcr_category=2), format="json")
    assert created.json()["mtcr_category"] == 2


def test_stale_if_match_is_412_and_changes_nothing(api):
    item = TechnologyItemFactory()
    url = f"{API}technology-items/{item.pk}/"
    assert api.patch(url, {"name": "New"}, format="json", HTTP_IF_MATCH='"1"').status_code == 200
    stale = api.patch(url, {"name": "Newer"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert api.get(url).json()["name"] == "New"


@pytest.mark.parametrize(
    "resource, factory",
    [
        ("technology-items", TechnologyItemFactory),
        ("release-decisions", ReleaseFactory),
        ("end-use-checks", EndUseCheckFactory),
        ("transfers", TransferFactory),
        ("violations", ViolationFactory),
    ],
)
def test_no_delete_and_roles(api, auditor_api, anon_api, resource, factory):
    record = factory()
    url = f"{API}{resource}/{record.pk}/"
    assert api.delete(url).status_code == 405
    assert anon_api.get(url).status_code == 401
    assert auditor_api.get(url).status_code == 200
    assert auditor_api.patch(url, {}, format="json").status_code == 403
    listed = api.get(f"{API}{resource}/")
    assert [r["id"] for r in listed.json()["results"]] == [record.pk]
    assert set(listed.json()) >= {"results", "next", "previous"}
    assert api.get(url)["ETag"] == '"1"'
    assert api.get(url, {"as_of": "2000-01-01"}).status_code == 404  # not yet recorded then
    assert api.get(url, {"as_of": "2200-01-01"}).json()["id"] == record.pk


# --- release decisions -----------------------------------------------------------------------


def release_body(**overrides):
    return {
        "item": TechnologyItemFactory().pk,
        "partner": PartnerFactory().pk,
        "decision": "approved_with_provisos",
        "authority": "taa",
        "reference": "TA 1234-20",
        "decided_on": "2021-03-01",
        "expires_on": "2031-03-01",
        "provisos": ["no_retransfer", "anti_tamper"],
        "proviso_text": "",
        **overrides,
    }


def test_release_with_provisos_round_trips(api):
    response = api.post(f"{API}release-decisions/", release_body(), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["provisos"] == ["no_retransfer", "anti_tamper"]


def test_release_to_a_proscribed_partner_is_refused_naming_partner(api):
    partner = PartnerFactory()
    proscribed(partner, "2021-03-01")  # holds on decided_on: inclusive
    body = release_body(partner=partner.pk)
    response = api.post(f"{API}release-decisions/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["partner"]
    assert not ReleaseDecision.objects.exists()


def test_release_before_the_designation_or_a_denial_is_recorded(api):
    partner = PartnerFactory()
    proscribed(partner, "2021-03-02")
    before = api.post(f"{API}release-decisions/", release_body(partner=partner.pk), format="json")
    assert before.status_code == 201, before.content
    denied = release_body(
        partner=partner.pk, decision="denied", decided_on="2022-01-01", provisos=[]
    )
    assert api.post(f"{API}release-decisions/", denied, format="json").status_code == 201


def test_release_after_the_designation_ended_is_recorded(api):
    partner = PartnerFactory()
    proscribed(partner, "2000-01-01", "2021-02-28")
    response = api.post(f"{API}release-decisions/", release_body(partner=partner.pk), format="json")
    assert response.status_code == 201, response.content


def test_editing_a_release_to_a_proscribed_day_is_refused(api):
    partner = PartnerFactory()
    proscribed(partner, "2023-01-01")
    release = ReleaseFactory(partner=partner, decided_on=datetime.date(2022, 1, 1))
    url = f"{API}release-decisions/{release.pk}/"
    response = api.patch(url, {"decided_on": "2023-01-01"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["partner"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"provisos": []}, "provisos"),
        ({"decision": "approved"}, "provisos"),
        ({"provisos": ["other"]}, "proviso_text"),
        ({"provisos": ["no_such"]}, "provisos"),
        ({"expires_on": "2021-02-28"}, "expires_on"),
        ({"authority": "licence"}, "authority"),
        ({"reference": "x" * 201}, "reference"),
    ],
)
def test_release_errors_name_the_field(api, overrides, field):
    response = api.post(f"{API}release-decisions/", release_body(**overrides), format="json")
    assert response.status_code == 400
    assert [name.split("[")[0] for name in response.json()] == [field]


# --- end-use checks --------------------------------------------------------------------------


def check_body(partner, items, **overrides):
    return {
        "program": "blue_lantern",
        "check_type": "post_shipment",
        "partner": partner.pk,
        "items": [i.pk for i in items],
        "performed_on": "2022-05-01",
        "result": "unfavorable",
        "findings": "Serial numbers did not match.",
        "follow_up_due": "2022-07-01",
        "resolved_on": None,
        **overrides,
    }


def test_check_of_released_items_is_recorded_with_its_items(api):
    release = ReleaseFactory()
    response = api.post(
        f"{API}end-use-checks/", check_body(release.partner, [release.item]), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["items"] == [release.item.pk]
    assert EndUseCheckItem.objects.filter(item=release.item).count() == 1
    listed = api.get(f"{API}end-use-checks/", {"item": release.item.pk})
    assert listed.json()["results"][0]["items"] == [release.item.pk]


def test_check_of_items_not_released_to_its_partner_is_refused_naming_items(api):
    release = ReleaseFactory()
    other = TechnologyItemFactory()
    denied = ReleaseFactory(partner=release.partner, decision="denied")
    body = check_body(release.partner, [release.item, other, denied.item])
    response = api.post(f"{API}end-use-checks/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["items"]
    assert str(other.pk) in response.json()["items"][0]


def test_check_of_items_that_reached_the_partner_by_approved_transfer_is_recorded(api):
    release = ReleaseFactory()
    transfer = TransferFactory(from_partner=release.partner, items=[release.item])
    body = check_body(transfer.to_partner, [release.item])
    assert api.post(f"{API}end-use-checks/", body, format="json").status_code == 201


def test_moving_a_check_to_another_partner_rechecks_its_items(api):
    release = ReleaseFactory()
    created = api.post(
        f"{API}end-use-checks/", check_body(release.partner, [release.item]), format="json"
    ).json()
    elsewhere = PartnerFactory()
    response = api.patch(
        f"{API}end-use-checks/{created['id']}/", {"partner": elsewhere.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["items"]


def test_unknown_item_is_a_400_naming_items(api):
    response = api.post(
        f"{API}end-use-checks/",
        check_body(PartnerFactory(), []) | {"items": [999999]},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["items"]


def test_follow_up_before_the_check_names_the_field(api):
    release = ReleaseFactory()
    body = check_body(release.partner, [release.item], follow_up_due="2022-04-30")
    response = api.post(f"{API}end-use-checks/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["follow_up_due"]


# --- transfers -------------------------------------------------------------------------------


def transfer_body(**overrides):
    return {
        "from_partner": PartnerFactory().pk,
        "to_partner": PartnerFactory().pk,
        "items": [],
        "value_usd": 1000000,
        "major_defense_equipment": False,
        "requested_on": "2023-01-10",
        "decision": "pending",
        "decided_on": None,
        **overrides,
    }


@pytest.mark.parametrize(
    "value, mde, nato, required",
    [
        (14000000.00, True, False, True),  # thresholds are inclusive
        (13999999.99, True, False, False),
        (50000000.00, False, False, True),
        (49999999.99, False, False, False),
        (24999999.99, True, True, False),  # from a NATO member: $25M of MDE
        (25000000.00, True, True, True),
        (99999999.99, False, True, False),  # and $100M otherwise
        (100000000.00, False, True, True),
    ],
)
def test_notification_required_follows_the_aeca_3d_thresholds(api, value, mde, nato, required):
    source = PartnerFactory()
    if nato:
        DesignationFactory(
            partner=source, category="nato_member", valid_from=datetime.date(2023, 1, 10)
        )
    body = transfer_body(from_partner=source.pk, value_usd=value, major_defense_equipment=mde)
    response = api.post(f"{API}transfers/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["notification_required"] is required
    flagged = api.get(f"{API}transfers/", {"notification_required": str(required).lower()})
    assert [r["id"] for r in flagged.json()["results"]] == [response.json()["id"]]


def test_nato_thresholds_hold_only_while_the_designation_holds_on_requested_on(api):
    source = PartnerFactory()
    DesignationFactory(
        partner=source,
        category="nato_plus5",
        valid_from=datetime.date(2000, 1, 1),
        valid_to=datetime.date(2023, 1, 9),
    )
    body = transfer_body(from_partner=source.pk, value_usd=60000000)
    response = api.post(f"{API}transfers/", body, format="json")
    assert response.json()["notification_required"] is True
    assert response.json()["notification_threshold_usd"] == 50000000


def test_notification_required_is_read_only(api):
    body = transfer_body(notification_required=True)
    response = api.post(f"{API}transfers/", body, format="json")
    assert response.status_code == 201
    assert response.json()["notification_required"] is False


def test_approved_transfer_to_a_proscribed_partner_is_refused_naming_to_partner(api):
    target = PartnerFactory()
    proscribed(target, "2023-02-01")
    body = transfer_body(to_partner=target.pk, decision="approved", decided_on="2023-02-01")
    response = api.post(f"{API}transfers/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["to_partner"]
    # A request may be recorded, and denied; only the approval is refused.
    pending = api.post(f"{API}transfers/", transfer_body(to_partner=target.pk), format="json")
    assert pending.status_code == 201
    url = f"{API}transfers/{pending.json()['id']}/"
    approve = {"decision": "approved_with_provisos", "decided_on": "2023-03-01"}
    assert list(api.patch(url, approve, format="json").json()) == ["to_partner"]
    deny = {"decision": "denied", "decided_on": "2023-03-01"}
    assert api.patch(url, deny, format="json").status_code == 200


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"decision": "approved"}, "decided_on"),
        ({"decided_on": "2023-02-01"}, "decided_on"),
        ({"decision": "denied", "decided_on": "2023-01-09"}, "decided_on"),
        ({"value_usd": -1}, "value_usd"),
        ({"value_usd": "1.00"}, "value_usd"),
        ({"items": ["1"]}, "items"),
    ],
)
def test_transfer_errors_name_the_field(api, overrides, field):
    response = api.post(f"{API}transfers/", transfer_body(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert [name.split("[")[0] for name in response.json()] == [field]


def test_transfer_to_the_same_partner_names_to_partner(api):
    partner = PartnerFactory()
    body = transfer_body(from_partner=partner.pk, to_partner=partner.pk)
    response = api.post(f"{API}transfers/", body, format="json")
    assert response.status_code == 400
    assert "to_partner" in response.json()


def test_transfer_items_and_filters(api):
    item = TechnologyItemFactory()
    body = transfer_body(items=[item.pk])
    created = api.post(f"{API}transfers/", body, format="json").json()
    assert created["items"] == [item.pk]
    TransferFactory()
    for params in ({"item": item.pk}, {"partner": body["to_partner"]}, {"decision": "pending"}):
        listed = api.get(f"{API}transfers/", params).json()["results"]
        assert [r["id"] for r in listed] == [created["id"]]
    snapshot = api.get(f"{API}transfers/{created['id']}/", {"as_of": "2200-01-01"}).json()
    assert snapshot["items"] == [item.pk]


# --- violations ------------------------------------------------------------------------------


def test_violation_round_trips_and_dates_are_in_order(api):
    item = TechnologyItemFactory()
    body = {
        "partner": PartnerFactory().pk,
        "items": [item.pk],
        "kind": "retransfer_without_consent",
        "occurred_on": "2024-01-01",
        "discovered_on": "2024-02-01",
        "reported_to_congress_on": None,
        "description": "Night-vision devices resold to a third country.",
        "outcome": "",
    }
    response = api.post(f"{API}violations/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["items"] == [item.pk]
    url = f"{API}violations/{response.json()['id']}/"
    early = api.patch(url, {"reported_to_congress_on": "2024-01-31"}, format="json")
    assert list(early.json()) == ["reported_to_congress_on"]
    late = api.patch(url, {"discovered_on": "2023-12-31"}, format="json")
    assert list(late.json()) == ["discovered_on"]
    assert api.get(f"{API}violations/", {"reported": "false"}).json()["results"]
    assert not api.get(f"{API}violations/", {"reported": "true"}).json()["results"]


@pytest.mark.parametrize(
    "resource, name",
    [
        ("technology-items", "eeum"),
        ("end-use-checks", "unresolved"),
        ("transfers", "notification_required"),
        ("violations", "reported"),
    ],
)
def test_boolean_filters_take_true_or_false_only(api, resource, name):
    for value in ("null", "1", "yes", "True"):
        response = api.get(f"{API}{resource}/", {name: value})
        assert response.status_code == 400, (name, value)
        assert list(response.json()) == [name]
    for value in ("true", "false", ""):
        assert api.get(f"{API}{resource}/", {name: value}).status_code == 200
