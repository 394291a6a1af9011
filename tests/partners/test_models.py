"""Partners and designations: every rule refused with the field named and nothing written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from core.domain import StaleObjectError
from partners.models import Partner, PartnerDesignation
from partners.services import partner_create, partner_update
from tests.factories import CountryFactory, ParticipantFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def refused(field: str, call, **kwargs) -> ValidationError:
    """Call a service that must refuse its input, naming `field`, and write nothing."""
    before = (Partner.objects.count(), PartnerDesignation.objects.count())
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert field in error.value.message_dict, error.value.message_dict
    assert (Partner.objects.count(), PartnerDesignation.objects.count()) == before
    return error.value


def db_refuses(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.create(**fields)


def test_country_is_created_with_its_designations(editor):
    partner = partner_create(
        actor=editor,
        name="Finland",
        kind="country",
        iso3="fin",
        designations=[{"category": "nato_member", "valid_from": datetime.date(2023, 4, 4)}],
    )
    assert partner.iso3 == "FIN"
    assert partner.version == 1
    assert Partner.objects.with_designation("nato_member", datetime.date(2023, 4, 4)).get() == (
        partner
    )
    assert not Partner.objects.with_designation("nato_member", datetime.date(2023, 4, 3))


def test_name_is_unique_ignoring_case(editor):
    PartnerFactory(name="Lockheed Martin")
    refused("name", partner_create, actor=editor, name="LOCKHEED martin", kind="company")


def test_name_uniqueness_is_held_by_the_database():
    PartnerFactory(name="Boeing")
    db_refuses(name="BOEING", kind="company")


def test_blank_name_is_refused(editor):
    refused("name", partner_create, actor=editor, name="", kind="company")


def test_country_needs_iso3(editor):
    refused("iso3", partner_create, actor=editor, name="Japan", kind="country")


def test_country_iso3_must_be_a_real_code(editor):
    error = refused("iso3", partner_create, actor=editor, name="Q", kind="country", iso3="QQQ")
    assert "QQQ" in error.message_dict["iso3"][0]


def test_iso3_only_for_countries(editor):
    refused("iso3", partner_create, actor=editor, name="NATO", kind="company", iso3="BEL")


def test_iso3_is_unique(editor):
    CountryFactory(name="Japan", iso3="JPN")
    refused("iso3", partner_create, actor=editor, name="Nippon", kind="country", iso3="JPN")


def test_unknown_kind_is_refused(editor):
    refused("kind", partner_create, actor=editor, name="Someone", kind="planet")


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "No code", "kind": "country", "iso3": None},
        {"name": "Bad code", "kind": "country", "iso3": "jp1"},
        {"name": "Company code", "kind": "company", "iso3": "USA"},
        {"name": "", "kind": "company"},
    ],
)
def test_iso3_and_name_rules_are_held_by_the_database(fields):
    db_refuses(**fields)


def test_designation_cannot_end_before_it_starts(editor):
    refused(
        "designations[0].valid_to",
        partner_create,
        actor=editor,
        name="Argentina",
        kind="country",
        iso3="ARG",
        designations=[
            {
                "category": "mnna",
                "valid_from": datetime.date(1998, 1, 6),
                "valid_to": datetime.date(1997, 1, 1),
            }
        ],
    )


def test_designation_unknown_category_is_refused(editor):
    refused(
        "designations[0].category",
        partner_create,
        actor=editor,
        name="Argentina",
        kind="country",
        iso3="ARG",
        designations=[{"category": "best_friend", "valid_from": datetime.date(1998, 1, 6)}],
    )


def test_designation_listed_twice_is_refused(editor):
    row = {"category": "mnna", "valid_from": datetime.date(1998, 1, 6)}
    refused(
        "designations[1].category",
        partner_create,
        actor=editor,
        name="Argentina",
        kind="country",
        iso3="ARG",
        designations=[row, dict(row)],
    )


def test_designation_dates_are_held_by_the_database():
    partner = CountryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerDesignation.objects.create(
            partner=partner,
            category="mnna",
            valid_from=datetime.date(2000, 1, 1),
            valid_to=datetime.date(1999, 1, 1),
        )


def test_designation_holds_on_inclusive_dates():
    row = PartnerDesignation(
        category="mnna", valid_from=datetime.date(2000, 1, 1), valid_to=datetime.date(2000, 12, 31)
    )
    assert row.holds_on(datetime.date(2000, 1, 1))
    assert row.holds_on(datetime.date(2000, 12, 31))
    assert not row.holds_on(datetime.date(2001, 1, 1))


def test_partner_cannot_be_its_own_parent(editor):
    partner = PartnerFactory()
    with pytest.raises(ValidationError) as error:
        partner_update(partner=partner, actor=editor, parent=partner)
    assert "parent" in error.value.message_dict
    partner.refresh_from_db()
    assert partner.parent_id is None and partner.version == 1


def test_parent_cycle_is_refused(editor):
    country = CountryFactory()
    agency = PartnerFactory(kind="government_agency", parent=country)
    with pytest.raises(ValidationError) as error:
        partner_update(partner=country, actor=editor, parent=agency)
    assert "parent" in error.value.message_dict
    country.refresh_from_db()
    assert country.parent_id is None


def test_update_raises_version_and_replaces_designations(editor):
    partner = CountryFactory(name="Sweden", iso3="SWE")
    updated = partner_update(
        partner=partner,
        actor=editor,
        expected_version=1,
        notes="Joined NATO in 2024.",
        designations=[{"category": "nato_member", "valid_from": datetime.date(2024, 3, 7)}],
    )
    assert updated.version == 2
    assert list(updated.designations.values_list("category", flat=True)) == ["nato_member"]


def test_stale_version_is_refused_and_nothing_changes(editor):
    partner = PartnerFactory(name="Old name")
    partner_update(partner=partner, actor=editor, expected_version=1, name="First edit")
    with pytest.raises(StaleObjectError):
        partner_update(partner=partner, actor=editor, expected_version=1, name="Second edit")
    partner.refresh_from_db()
    assert (partner.name, partner.version) == ("First edit", 2)


def test_unknown_field_is_refused(editor):
    partner = PartnerFactory()
    with pytest.raises(ValidationError) as error:
        partner_update(partner=partner, actor=editor, version=9)
    assert "version" in error.value.message_dict


def test_deleting_a_partner_with_agreements_is_refused():
    participant = ParticipantFactory()
    with pytest.raises(ProtectedError), transaction.atomic():
        participant.partner.delete()
    assert Partner.objects.filter(pk=participant.partner_id).exists()


def test_service_writes_history_with_the_actor(editor):
    partner = partner_create(actor=editor, name="Rafael", kind="company")
    event = Partner.pgh_event_model.objects.filter(pgh_obj_id=partner.pk).get()
    assert event.pgh_label == "insert"
    assert event.pgh_context.metadata["actor"] == "editor"
