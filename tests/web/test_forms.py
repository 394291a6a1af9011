"""Create and edit pages: services do the writing, their errors land next to the field."""

import datetime

import pytest
from django.core.exceptions import FieldError
from django.urls import resolve, reverse

from agreements.models import Agreement
from core.web.forms import RegistryModelForm
from core.web.typeahead import TypeaheadModelChoiceField
from partners.fields import PARTNER_FIELDS
from partners.forms import PartnerForm
from partners.models import Partner
from tests.factories import (
    CountryFactory,
    DesignationFactory,
    LegalBasisFactory,
    ProvisionFactory,
    RequirementFactory,
)


def _management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def agreement_post(**overrides):
    data = {
        "reference": "DTC-2026-0001",
        "title": "Glide phase interceptor co-development",
        "agreement_type": "co_development",
        "status": "signed",
        "signed_on": "2024-05-01",
        "technology_transfer_risk": "high",
        "technology_areas": ["missile_defense", "hypersonics"],
        "fms_cases": "JA-D-ABC, JA-D-XYZ",
        **_management("participants", 2),
        **_management("legal_bases", 1),
        **_management("industrial_participants", 1),
    }
    data.update(overrides)
    return data


def test_editor_creates_an_agreement_with_nested_rows(client, editor):
    japan, israel = CountryFactory(), CountryFactory()
    provision = ProvisionFactory()
    client.force_login(editor)
    data = agreement_post(
        **{
            "participants-0-partner": japan.pk,
            "participants-0-role": "lead",
            "participants-0-cost_share_percent": "60",
            "participants-1-partner": israel.pk,
            "participants-1-role": "participant",
            "participants-1-cost_share_percent": "40",
            "legal_bases-0-provision": provision.pk,
            "legal_bases-0-role": "authorizes",
        }
    )
    response = client.post(reverse("agreements:agreement_create"), data)
    agreement = Agreement.objects.get(reference="DTC-2026-0001")
    assert response.status_code == 302
    assert response.url == reverse("agreements:agreement_detail", kwargs={"pk": agreement.pk})
    assert [p.partner for p in agreement.participants.order_by("id")] == [japan, israel]
    assert agreement.legal_bases.get().provision == provision
    assert agreement.fms_cases == ["JA-D-ABC", "JA-D-XYZ"]
    assert sorted(agreement.technology_areas.values_list("slug", flat=True)) == [
        "hypersonics",
        "missile_defense",
    ]
    page = client.get(response.url).content.decode()
    assert "Glide phase interceptor" in page and japan.name in page


def test_service_error_on_a_row_is_shown_next_to_that_row(client, editor):
    japan, israel = CountryFactory(), CountryFactory()
    client.force_login(editor)
    data = agreement_post(
        **{
            "participants-0-partner": japan.pk,
            "participants-0-role": "lead",
            "participants-0-joined_on": "2024-06-01",
            "participants-1-partner": israel.pk,
            "participants-1-role": "participant",
            "participants-1-joined_on": "2024-06-01",
            "participants-1-withdrawn_on": "2024-01-01",
        }
    )
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 200
    formset = response.context["formsets"]["participants"]
    assert formset.forms[1].errors["withdrawn_on"]
    assert not formset.forms[0].errors
    assert not Agreement.objects.exists()
    html = response.content.decode()
    assert "usa-form-group--error" in html and 'id="id_participants-1-withdrawn_on_error"' in html


def test_shares_above_100_are_reported_above_the_rows(client, editor):
    japan, israel = CountryFactory(), CountryFactory()
    client.force_login(editor)
    data = agreement_post(
        **{
            "participants-0-partner": japan.pk,
            "participants-0-role": "lead",
            "participants-0-cost_share_percent": "70",
            "participants-1-partner": israel.pk,
            "participants-1-role": "participant",
            "participants-1-cost_share_percent": "40",
        }
    )
    response = client.post(reverse("agreements:agreement_create"), data)
    errors = response.context["formsets"]["participants"].non_form_errors()
    assert any("110" in e for e in errors)
    assert not Agreement.objects.exists()


def test_top_level_service_error_lands_on_its_field(client, editor):
    client.force_login(editor)
    data = agreement_post(signed_on="2024-05-01", expires_on="2024-01-01")
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.context["form"].errors["expires_on"]


def test_stale_edit_is_refused_and_input_kept(client, editor):
    partner = CountryFactory(name="Norway", iso3="NOR")
    client.force_login(editor)
    url = reverse("partners:partner_update", kwargs={"pk": partner.pk})
    form = {
        "name": "Kingdom of Norway",
        "kind": "country",
        "iso3": "NOR",
        "notes": "mine",
        "version": str(partner.version),
        **_management("designations", 1),
    }
    # A colleague saves first.
    from partners.services import partner_update

    partner_update(partner=partner, actor=editor, notes="theirs")
    response = client.post(url, form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this record" in html
    assert 'value="Kingdom of Norway"' in html
    partner.refresh_from_db()
    assert partner.name == "Norway" and partner.notes == "theirs"
    # The page now carries the current version: saving again, knowingly, goes through.
    assert response.context["form"].data["version"] == str(partner.version)
    form["version"] = str(partner.version)
    assert client.post(url, form).status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Kingdom of Norway"


def test_partner_form_rejects_a_bad_iso_code_next_to_the_field(client, editor):
    client.force_login(editor)
    data = {"name": "Atlantis", "kind": "country", "iso3": "ZZZ", **_management("designations", 1)}
    response = client.post(reverse("partners:partner_create"), data)
    assert "iso3" in response.context["form"].errors
    assert not Partner.objects.filter(name="Atlantis").exists()


def test_partner_created_with_designations(client, editor):
    client.force_login(editor)
    data = {
        "name": "Finland",
        "kind": "country",
        "iso3": "FIN",
        **_management("designations", 1),
        "designations-0-category": "nato_member",
        "designations-0-valid_from": "2023-04-04",
    }
    response = client.post(reverse("partners:partner_create"), data)
    assert response.status_code == 302
    finland = Partner.objects.get(name="Finland")
    assert finland.designations.get().valid_from == datetime.date(2023, 4, 4)


def test_agreement_edit_keeps_rows_and_removes_deleted_ones(client, editor, world):
    agreement = world["agreement"]
    client.force_login(editor)
    url = reverse("agreements:agreement_update", kwargs={"pk": agreement.pk})
    form = client.get(url).context["form"]
    participants = client.get(url).context["formsets"]["participants"]
    assert participants.forms[0].initial["partner"] == world["partner"].pk
    data = agreement_post(
        reference=agreement.reference,
        title="Renamed",
        status="in_force",
        signed_on="2020-01-15",
        version=str(form.initial["version"]),
        **{
            "participants-0-partner": world["partner"].pk,
            "participants-0-role": "participant",
            "participants-0-DELETE": "on",
            "legal_bases-0-provision": world["provision"].pk,
            "legal_bases-0-role": "authorizes",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    agreement.refresh_from_db()
    assert agreement.title == "Renamed"
    assert not agreement.participants.exists()
    assert agreement.legal_bases.count() == 1


def test_edit_pages_start_from_every_field_of_each_row(client, editor):
    # The rows' starting values come from the field specs: nothing stored is left out
    # (a legal basis's pinpoint, a requirement the law does not let be waived).
    legal_basis = LegalBasisFactory(pinpoint="(a)(1)(B)")
    requirement = RequirementFactory(label="(b)", waivable=False)
    designation = DesignationFactory(instrument="PD 98-9")
    client.force_login(editor)
    agreement_url = reverse("agreements:agreement_update", kwargs={"pk": legal_basis.agreement_id})
    rows = client.get(agreement_url).context["formsets"]["legal_bases"]
    assert rows.forms[0].initial["pinpoint"] == "(a)(1)(B)"
    condition_url = reverse("conditions:condition_update", kwargs={"pk": requirement.condition_id})
    rows = client.get(condition_url).context["formsets"]["requirements"]
    assert rows.forms[0].initial["waivable"] is False
    partner_url = reverse("partners:partner_update", kwargs={"pk": designation.partner_id})
    page = client.get(partner_url).context
    assert page["formsets"]["designations"].forms[0].initial["instrument"] == "PD 98-9"
    assert page["form"].initial["parent"] == designation.partner.parent_id


def test_a_registry_form_takes_its_fields_from_the_model_and_refuses_unknown_ones(db):
    form = PartnerForm({"name": "Acme", "kind": "company", "iso3": "", "parent": "", "notes": ""})
    assert list(form.fields) == [*PARTNER_FIELDS, "version"]
    assert form.fields["version"].widget.is_hidden
    assert isinstance(form.fields["parent"], TypeaheadModelChoiceField)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["iso3"] is None  # empty text in a nullable column
    with pytest.raises(FieldError, match="colour"):

        class ColourForm(RegistryModelForm):
            class Meta:
                model = Partner
                fields = ("name", "colour")


@pytest.mark.parametrize(
    ("app", "noun", "name"),
    [
        ("agreements", "act", "Act"),
        ("agreements", "provision", "Provision"),
        ("agreements", "agreement", "Agreement"),
        ("agreements", "technology_area", "Technology area"),
        ("partners", "partner", "Partner"),
        ("conditions", "condition", "Condition"),
    ],
)
def test_form_pages_take_their_names_from_the_model(app, noun, name):
    """The template, the record's page and the message follow from the form's model."""
    for action, done, kwargs in [("create", "created", {}), ("update", "saved", {"pk": 1})]:
        view = resolve(reverse(f"{app}:{noun}_{action}", kwargs=kwargs)).func.view_class()
        assert view.get_template_names() == [f"{app}/{noun}_form.html"]
        assert view.get_detail_url_name() == f"{app}:{noun}_detail"
        assert view.get_success_message() == f"{name} {{obj}} {done}."
