"""Agreement and legislation services: bad input refused naming the field, nothing written."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements import models
from agreements.services import (
    act_create,
    act_update,
    agreement_create,
    agreement_update,
    provision_create,
    technology_area_create,
)
from core.domain import StaleObjectError
from tests.factories import (
    ActFactory,
    AgreementFactory,
    CountryFactory,
    PartnerFactory,
    ProvisionFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 1, 15)
MODELS = (
    models.Act,
    models.Provision,
    models.Agreement,
    models.AgreementParticipant,
    models.AgreementTechnologyArea,
    models.LegalBasis,
    models.IndustrialParticipant,
)


def counts():
    return [model.objects.count() for model in MODELS]


def refused(field, call, **kwargs):
    before = counts()
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert field in error.value.message_dict, error.value.message_dict
    assert counts() == before
    return error.value


# Acts and provisions


@pytest.mark.parametrize(
    ("field", "fields"),
    [
        ("public_law", {"status": "passed_house", "public_law": "119-60"}),
        ("public_law", {"status": "enacted", "public_law": "119/60"}),
        ("public_law", {"status": "enacted", "congress": 118, "public_law": "119-60"}),
        ("enacted_on", {"status": "introduced", "enacted_on": DAY}),
        ("bill_number", {"congress": 119, "bill_type": "S", "status": "passed_senate"}),
        ("bill_type", {"congress": 119, "bill_number": 1071}),
        ("congress", {"bill_type": "S", "bill_number": 1071}),
        ("bill_type", {"congress": 119, "bill_type": "BILL", "bill_number": 1}),
        ("statutes_at_large", {"statutes_at_large": "82 Statutes 1320"}),
        ("title", {"title": "x" * 501}),
        ("title", {"title": ""}),
        ("kind", {"kind": "treaty"}),
    ],
)
def test_act_rules(editor, field, fields):
    refused(field, act_create, actor=editor, **{"title": "An act", **fields})


def test_act_bill_and_public_law_are_unique(editor):
    ActFactory(congress=119, bill_type="S", bill_number=1071, public_law="119-60")
    refused(
        "bill_number",
        act_create,
        actor=editor,
        title="Again",
        congress=119,
        bill_type="S",
        bill_number=1071,
    )
    refused(
        "public_law", act_create, actor=editor, title="Again", status="enacted", public_law="119-60"
    )


def test_act_public_law_only_when_enacted_on_update(editor):
    act = act_create(actor=editor, title="A bill", congress=119, bill_type="HR", bill_number=1)
    with pytest.raises(ValidationError) as error:
        act_update(act=act, actor=editor, public_law="119-1")
    assert "public_law" in error.value.message_dict
    enacted = act_update(act=act, actor=editor, status="enacted", public_law="119-1")
    assert (enacted.version, enacted.public_law) == (2, "119-1")


def test_provision_rules(editor):
    provision = ProvisionFactory(section="27")
    refused("section", provision_create, actor=editor, act=provision.act, section="27")
    refused(
        "valid_to",
        provision_create,
        actor=editor,
        act=provision.act,
        section="36",
        valid_from=DAY,
        valid_to=DAY - datetime.timedelta(days=1),
    )
    refused(
        "report_deadline_days",
        provision_create,
        actor=editor,
        act=provision.act,
        section="37",
        report_deadline_days=0,
    )
    refused(
        "status", provision_create, actor=editor, act=provision.act, section="38", status="lost"
    )


def test_technology_area_slug_unique(editor):
    with pytest.raises(ValidationError) as error:
        technology_area_create(actor=editor, slug="hypersonics", name="Again")
    assert "slug" in error.value.message_dict


# Agreements


def fields(**overrides):
    data = {
        "reference": "DTC-2020-0100",
        "title": "Cooperative program",
        "agreement_type": "co_development",
        "status": "in_force",
        "signed_on": DAY,
        "technology_transfer_risk": "moderate",
    }
    data.update(overrides)
    return data


def test_agreement_with_nested_lists_is_created(editor):
    japan, company = CountryFactory(), PartnerFactory(kind="company")
    provision = ProvisionFactory()
    agreement = agreement_create(
        actor=editor,
        technology_areas=["missile_defense", "hypersonics"],
        participants=[{"partner": japan, "role": "participant", "cost_share_percent": 40}],
        legal_bases=[{"provision": provision, "role": "authorizes"}],
        industrial_participants=[
            {
                "company": company,
                "us_state": "AZ",
                "naics_code": "336414",
                "contract_value_usd": 1_000_000,
            }
        ],
        **fields(fms_cases=["JA-P-AAA"]),
    )
    assert sorted(agreement.technology_areas.values_list("slug", flat=True)) == [
        "hypersonics",
        "missile_defense",
    ]
    assert agreement.participants.get().partner == japan
    assert agreement.industrial_participants.get().us_state == "AZ"
    assert agreement.legal_bases.get().provision == provision


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("signed_on", {"status": "signed", "signed_on": None}),
        ("signed_on", {"status": "terminated", "signed_on": None}),
        ("entry_into_force_on", {"entry_into_force_on": DAY - datetime.timedelta(days=1)}),
        ("expires_on", {"expires_on": DAY - datetime.timedelta(days=1)}),
        ("terminated_on", {"terminated_on": DAY - datetime.timedelta(days=1)}),
        ("agreement_type", {"agreement_type": "fms_case"}),
        ("status", {"status": "dormant"}),
        ("technology_transfer_risk", {"technology_transfer_risk": "extreme"}),
        ("title", {"title": "x" * 501}),
        ("reference", {"reference": ""}),
    ],
)
def test_agreement_rules(editor, field, overrides):
    refused(field, agreement_create, actor=editor, **fields(**overrides))


def test_agreement_reference_unique(editor):
    AgreementFactory(reference="DTC-2014-0003")
    refused("reference", agreement_create, actor=editor, **fields(reference="DTC-2014-0003"))


def test_unknown_technology_area_is_refused(editor):
    refused(
        "technology_areas",
        agreement_create,
        actor=editor,
        technology_areas=["warp_drive"],
        **fields(),
    )


@pytest.mark.parametrize(
    ("field", "rows"),
    [
        ("participants[0].cost_share_percent", [{"role": "lead", "cost_share_percent": 101}]),
        ("participants[0].cost_share_percent", [{"role": "lead", "cost_share_percent": -1}]),
        ("participants[0].role", [{"role": "observer"}]),
        (
            "participants[0].suspended_on",
            [{"role": "lead", "joined_on": DAY, "suspended_on": DAY - datetime.timedelta(1)}],
        ),
        (
            "participants[0].withdrawn_on",
            [{"role": "lead", "joined_on": DAY, "withdrawn_on": DAY - datetime.timedelta(1)}],
        ),
        ("participants[0].colour", [{"role": "lead", "colour": "blue"}]),
    ],
)
def test_participant_rules(editor, field, rows):
    partner = CountryFactory()
    rows = [{"partner": partner, **row} for row in rows]
    refused(field, agreement_create, actor=editor, participants=rows, **fields())


def test_participant_listed_once(editor):
    partner = CountryFactory()
    rows = [{"partner": partner, "role": "lead"}, {"partner": partner, "role": "participant"}]
    refused(
        "participants[1].partner", agreement_create, actor=editor, participants=rows, **fields()
    )


def test_cost_shares_add_up_to_at_most_100(editor):
    a, b = CountryFactory(), CountryFactory()
    rows = [
        {"partner": a, "role": "lead", "cost_share_percent": 60},
        {"partner": b, "role": "participant", "cost_share_percent": "40.01"},
    ]
    refused("participants", agreement_create, actor=editor, participants=rows, **fields())
    rows[1]["cost_share_percent"] = 40
    assert agreement_create(actor=editor, participants=rows, **fields()).participants.count() == 2


@pytest.mark.parametrize(
    ("field", "row"),
    [
        ("industrial_participants[0].company", {"kind": "country"}),
        ("industrial_participants[0].naics_code", {"naics_code": "33A"}),
        ("industrial_participants[0].us_state", {"us_state": "ZZ"}),
        ("industrial_participants[0].contract_value_usd", {"contract_value_usd": -1}),
        ("industrial_participants[0].work_share_percent", {"work_share_percent": 100.5}),
    ],
)
def test_industrial_participant_rules(editor, field, row):
    kind = row.pop("kind", "company")
    company = CountryFactory() if kind == "country" else PartnerFactory(kind=kind)
    refused(
        field,
        agreement_create,
        actor=editor,
        industrial_participants=[{"company": company, **row}],
        **fields(),
    )


def test_legal_basis_rules(editor):
    provision = ProvisionFactory()
    refused(
        "legal_bases[0].role",
        agreement_create,
        actor=editor,
        legal_bases=[{"provision": provision, "role": "blesses"}],
        **fields(),
    )
    row = {"provision": provision, "role": "funds"}
    refused(
        "legal_bases[1].provision",
        agreement_create,
        actor=editor,
        legal_bases=[row, dict(row)],
        **fields(),
    )


@pytest.mark.parametrize("link", ["parent", "supersedes"])
def test_cycles_are_refused(editor, link):
    first = AgreementFactory()
    second = AgreementFactory(**{link: first})
    third = AgreementFactory(**{link: second})
    for target in (third, first):
        with pytest.raises(ValidationError) as error:
            agreement_update(agreement=first, actor=editor, **{link: target})
        assert link in error.value.message_dict
    first.refresh_from_db()
    assert getattr(first, f"{link}_id") is None and first.version == 1


def test_nested_error_writes_nothing_on_update(editor):
    agreement = AgreementFactory()
    partner = CountryFactory()
    agreement_update(
        agreement=agreement, actor=editor, participants=[{"partner": partner, "role": "lead"}]
    )
    with pytest.raises(ValidationError):
        agreement_update(
            agreement=agreement,
            actor=editor,
            title="Renamed",
            participants=[{"partner": partner, "role": "lead", "cost_share_percent": 200}],
        )
    agreement.refresh_from_db()
    assert agreement.title != "Renamed" and agreement.version == 2
    assert agreement.participants.get().cost_share_percent is None


def test_update_replaces_participants_and_keeps_unchanged_rows(editor):
    a, b = CountryFactory(), CountryFactory()
    rows = [{"partner": a, "role": "lead"}, {"partner": b, "role": "participant"}]
    agreement = agreement_create(actor=editor, participants=rows, **fields())
    kept = agreement.participants.get(partner=a).pk
    agreement_update(
        agreement=agreement,
        actor=editor,
        expected_version=1,
        participants=[{"partner": a, "role": "lead", "suspended_on": datetime.date(2019, 7, 17)}],
    )
    row = agreement.participants.get()
    assert (row.pk, row.suspended_on) == (kept, datetime.date(2019, 7, 17))


def test_stale_version_is_refused(editor):
    agreement = AgreementFactory()
    agreement_update(agreement=agreement, actor=editor, expected_version=1, title="One")
    with pytest.raises(StaleObjectError):
        agreement_update(agreement=agreement, actor=editor, expected_version=1, title="Two")
    agreement.refresh_from_db()
    assert (agreement.title, agreement.version) == ("One", 2)


def test_history_records_the_actor(editor):
    agreement = agreement_create(actor=editor, **fields())
    agreement_update(agreement=agreement, actor=editor, title="Renamed")
    events = models.Agreement.pgh_event_model.objects.filter(pgh_obj_id=agreement.pk)
    assert sorted(events.values_list("pgh_label", flat=True)) == ["insert", "update"]
    assert {e.pgh_context.metadata["actor"] for e in events} == {"editor"}


def test_resubmitting_the_same_rows_writes_no_history(editor):
    a, b = CountryFactory(), CountryFactory()
    rows = [
        {"partner": a, "role": "lead", "cost_share_percent": "60.00"},
        {"partner": b, "role": "participant", "cost_share_percent": 40},
    ]
    agreement = agreement_create(actor=editor, participants=rows, **fields())
    events = models.AgreementParticipant.pgh_event_model.objects.filter(agreement_id=agreement.pk)
    assert events.count() == 2  # the two inserts
    agreement_update(agreement=agreement, actor=editor, participants=rows, title="Renamed")
    assert events.count() == 2  # same rows again: nothing rewritten
    rows[1]["role"] = "licensee"
    agreement_update(agreement=agreement, actor=editor, participants=rows)
    assert sorted(events.values_list("pgh_label", flat=True)) == ["insert", "insert", "update"]
