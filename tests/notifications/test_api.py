"""The `notifications/` resource (CONTRACT.md v1.2): fields, rules and refusals."""

import datetime

import pytest

from notifications.models import CongressionalNotification, ReviewPeriod
from tests.factories import AgreementFactory, CountryFactory, DesignationFactory, PartnerFactory
from tests.notifications.conftest import D

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/"
DAY = datetime.timedelta(days=1)


def body(partner, **overrides):
    data = {"kind": "aeca_36b", "partner": partner.pk, "received_on": "2024-03-07"}
    data.update(overrides)
    return data


def created(api, partner, **overrides) -> dict:
    response = api.post(URL, body(partner, **overrides), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_create_then_read_every_contract_field(api, joining_partner):
    agreement = AgreementFactory()
    data = created(
        api,
        joining_partner,
        agreement=agreement.pk,
        transmittal_number="DDTC 24-012",
        informal_review_on="2024-02-01",
        value_usd=1250000,
        acted_on="2024-03-22",
    )
    for name in (
        "id", "kind", "partner", "agreement", "waiver_entry", "transfer", "transmittal_number",
        "informal_review_on", "received_on", "value_usd", "emergency_waiver",
        "emergency_justification", "acted_on", "review_days", "earliest_action_on",
        "acted_early", "due_on", "late", "version",
    ):  # fmt: skip
        assert name in data, name
    assert data["review_days"] == 15  # a NATO member on the day received
    assert data["earliest_action_on"] == "2024-03-22"
    assert data["acted_early"] is False  # acted on the earliest action day: not early
    assert data["due_on"] is None and data["late"] is False
    assert data["emergency_waiver"] is False and data["transfer"] is None
    detail = api.get(f"{URL}{data['id']}/")
    assert detail.json() == data
    assert detail["ETag"] == '"1"'


@pytest.mark.parametrize(
    ("received_on", "days"), [(D - DAY, 30), (D, 15), (D + DAY, 15)], ids=["D-1", "D", "D+1"]
)
def test_review_days_follow_the_category_held_on_the_day_received(
    api, joining_partner, received_on, days
):
    data = created(api, joining_partner, received_on=received_on.isoformat())
    assert data["review_days"] == days
    assert data["earliest_action_on"] == (received_on + datetime.timedelta(days)).isoformat()


def test_review_days_follow_a_category_that_ended(api):
    partner = CountryFactory(name="Norway", iso3="NOR")
    DesignationFactory(partner=partner, category="nato_plus5", valid_from=D - 10 * DAY, valid_to=D)
    assert created(api, partner, received_on=D.isoformat())["review_days"] == 15
    later = created(api, partner, received_on=(D + DAY).isoformat(), kind="aeca_36c")
    assert later["review_days"] == 30


def test_nato_itself_gets_the_shorter_period(api):
    nato = PartnerFactory(
        name="North Atlantic Treaty Organization", kind="international_organization"
    )
    DesignationFactory(partner=nato, category="nato", valid_from=datetime.date(1949, 8, 24))
    assert created(api, nato, kind="aeca_3d")["review_days"] == 15


@pytest.mark.parametrize(
    ("kind", "days"),
    [
        ("aeca_36b", 15),
        ("aeca_36c", 15),
        ("aeca_36d", 15),
        ("aeca_3d", 15),
        ("aeca_27f", 30),
        ("usc10_2350a", 30),
        ("mnna", 30),
        ("dod_leahy_362", None),
        ("case_act", None),
        ("other", None),
    ],
)
def test_review_days_by_kind_for_a_nato_member(api, joining_partner, kind, days):
    data = created(
        api, joining_partner, kind=kind, received_on=D.isoformat(), acted_on="2024-03-08"
    )
    assert data["review_days"] == days
    assert data["acted_early"] is (days is not None)


@pytest.mark.parametrize("kind", ["aeca_36b", "aeca_36c", "aeca_36d", "aeca_3d", "aeca_27f"])
def test_thirty_days_for_a_partner_outside_nato(api, plain_partner, kind):
    assert created(api, plain_partner, kind=kind)["review_days"] == 30


def test_acted_early_on_the_boundary(api, plain_partner):
    # Received 2024-03-07, 30 days: the earliest action day is 2024-04-06.
    on_the_day = created(api, plain_partner, acted_on="2024-04-06")
    assert on_the_day["earliest_action_on"] == "2024-04-06"
    assert on_the_day["acted_early"] is False
    day_before = created(api, plain_partner, acted_on="2024-04-05", kind="aeca_36c")
    assert day_before["acted_early"] is True
    not_yet = created(api, plain_partner, kind="aeca_36d")
    assert not_yet["acted_early"] is False


def test_emergency_waiver_is_never_early_and_needs_its_justification(api, plain_partner):
    refused = api.post(
        URL, body(plain_partner, emergency_waiver=True, acted_on="2024-03-08"), format="json"
    )
    assert refused.status_code == 400
    assert "emergency_justification" in refused.json()
    data = created(
        api,
        plain_partner,
        emergency_waiver=True,
        emergency_justification="An emergency exists which requires the sale immediately.",
        acted_on="2024-03-08",
    )
    assert data["review_days"] == 30 and data["acted_early"] is False


def test_dod_leahy_report_due_fifteen_days_after_the_waiver(api, plain_partner, leahy_entry):
    # Signed 2024-05-01: due 2024-05-16; received that day is on time, the day after is late.
    on_time = created(
        api, plain_partner, kind="dod_leahy_362", waiver_entry=leahy_entry.pk,
        received_on="2024-05-16",
    )  # fmt: skip
    assert on_time["due_on"] == "2024-05-16" and on_time["late"] is False
    assert on_time["review_days"] is None and on_time["earliest_action_on"] is None
    late = created(
        api, plain_partner, kind="dod_leahy_362", waiver_entry=leahy_entry.pk,
        received_on="2024-05-17",
    )  # fmt: skip
    assert late["late"] is True


def test_case_act_transmittal_due_thirty_days_after_signature(api, plain_partner):
    agreement = AgreementFactory(signed_on=datetime.date(2024, 1, 10))
    data = created(
        api, plain_partner, kind="case_act", agreement=agreement.pk, received_on="2024-02-10"
    )
    assert data["due_on"] == "2024-02-09" and data["late"] is True
    unlinked = created(api, plain_partner, kind="case_act")
    assert unlinked["due_on"] is None and unlinked["late"] is False


def test_periods_are_dated_data(api, plain_partner):
    """A change in law is a row: notifications received before it keep the old period."""
    ReviewPeriod.objects.create(
        kind="aeca_36b", valid_from=datetime.date(2025, 1, 1), review_days=45,
        shortened_review_days=20, shortened_for=["nato_member"],
    )  # fmt: skip
    assert created(api, plain_partner, received_on="2024-12-31")["review_days"] == 30
    assert created(api, plain_partner, received_on="2025-01-01")["review_days"] == 45


def test_transmittal_number_unique_per_kind(api, plain_partner):
    created(api, plain_partner, transmittal_number="Transmittal No. 23-45")
    again = api.post(
        URL, body(plain_partner, transmittal_number="Transmittal No. 23-45"), format="json"
    )
    assert again.status_code == 400
    assert list(again.json()) == ["transmittal_number"]
    created(api, plain_partner, kind="aeca_36c", transmittal_number="Transmittal No. 23-45")
    created(api, plain_partner, transmittal_number="")  # unset numbers never collide
    created(api, plain_partner, transmittal_number="")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_on": None}, "received_on"),
        ({"received_on": "2024-3-7"}, "received_on"),
        ({"kind": "aeca_99"}, "kind"),
        ({"partner": 999999}, "partner"),
        ({"value_usd": -1}, "value_usd"),
        ({"value_usd": "abc"}, "value_usd"),
        ({"transfer": 5}, "transfer"),
        ({"informal_review_on": "2024-03-08"}, "informal_review_on"),
        ({"emergency_waiver": "yes"}, "emergency_waiver"),
        ({"transmittal_number": "x" * 101}, "transmittal_number"),
    ],
)
def test_refusals_name_the_field(api, plain_partner, overrides, field):
    data = {**body(plain_partner), **overrides}
    response = api.post(URL, data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not CongressionalNotification.objects.exists()


def test_one_notified_record_at_most(api, plain_partner, leahy_entry):
    response = api.post(
        URL,
        body(plain_partner, agreement=AgreementFactory().pk, waiver_entry=leahy_entry.pk),
        format="json",
    )
    assert response.status_code == 400
    assert "waiver_entry" in response.json()


def test_etag_and_stale_if_match(api, plain_partner):
    data = created(api, plain_partner)
    url = f"{URL}{data['id']}/"
    patched = api.patch(url, {"acted_on": "2024-04-01"}, format="json", HTTP_IF_MATCH='"1"')
    assert patched.status_code == 200, patched.content
    assert patched["ETag"] == '"2"' and patched.json()["acted_early"] is True
    stale = api.patch(url, {"acted_on": "2024-05-01"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert api.get(url).json()["acted_on"] == "2024-04-01"


def test_no_delete_and_roles(api, auditor_api, plain_partner):
    data = created(api, plain_partner)
    url = f"{URL}{data['id']}/"
    assert api.delete(url).status_code == 405
    assert auditor_api.get(url).status_code == 200
    assert auditor_api.post(URL, body(plain_partner), format="json").status_code == 403
    assert auditor_api.patch(url, {"acted_on": "2024-04-01"}, format="json").status_code == 403


def test_anonymous_gets_401(client, db):
    assert client.get(URL).status_code in (401, 403)


def test_filters(api, joining_partner, plain_partner, leahy_entry):
    agreement = AgreementFactory()
    early = created(api, plain_partner, acted_on="2024-03-08", agreement=agreement.pk)["id"]
    nato = created(api, joining_partner, kind="aeca_36c", received_on="2024-03-10")["id"]
    late = created(
        api, plain_partner, kind="dod_leahy_362", waiver_entry=leahy_entry.pk,
        received_on="2024-06-01",
    )["id"]  # fmt: skip
    assert set(ids(api.get(URL))) == {early, nato, late}
    assert ids(api.get(URL, {"partner": joining_partner.pk})) == [nato]
    assert ids(api.get(URL, {"kind": "aeca_36c"})) == [nato]
    assert ids(api.get(URL, {"agreement": agreement.pk})) == [early]
    assert ids(api.get(URL, {"acted_early": "true"})) == [early]
    assert set(ids(api.get(URL, {"acted_early": "false"}))) == {nato, late}
    assert ids(api.get(URL, {"late": "true"})) == [late]
    assert ids(api.get(URL, {"received_after": "2024-03-10", "received_before": "2024-03-10"})) == [
        nato
    ]
    assert ids(api.get(URL, {"ordering": "received_on"})) == [early, nato, late]
    assert api.get(URL, {"kind": "nope"}).status_code == 400


def test_as_of_shows_the_record_as_it_stood(api, plain_partner):
    data = created(api, plain_partner)
    url = f"{URL}{data['id']}/"
    assert api.get(url, {"as_of": "2000-01-01"}).status_code == 404
    today = api.get(url, {"as_of": "2200-01-01"})
    assert today.status_code == 200 and today.json()["kind"] == "aeca_36b"
    assert api.get(url, {"as_of": "yesterday"}).status_code == 400
