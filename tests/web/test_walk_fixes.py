"""What a demanding user noticed walking the pages: amounts, filter labels, technology areas."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import AgreementTechnologyArea, IndustrialParticipant, TechnologyArea
from conditions.services import waiver_record
from tests.factories import AgreementFactory, PartnerFactory, waiver_fields

pytestmark = pytest.mark.django_db


def test_amounts_show_dollars_and_thousands_separators(client, editor, world):
    condition = world["condition"]
    condition.amount_conditioned_usd = Decimal("320000000.00")
    condition.save(update_fields=["amount_conditioned_usd"])
    waiver_record(
        condition=condition,
        actor=editor,
        **waiver_fields(authority=condition.legal_basis, amount_usd=Decimal("235000000.50")),
    )
    company = PartnerFactory(kind="company", name="Lockheed Martin")
    IndustrialParticipant.objects.create(
        agreement=world["agreement"], company=company, contract_value_usd=Decimal("30000000000")
    )
    client.force_login(editor)

    detail = client.get(reverse("conditions:condition_detail", args=[condition.pk])).content
    assert b"$320,000,000" in detail and b"320000000" not in detail
    assert b"$235,000,000.50" in detail
    waivers = client.get(reverse("conditions:waiver_list")).content
    assert b"$235,000,000.50" in waivers
    agreement = client.get(reverse("agreements:agreement_detail", args=[world["agreement"].pk]))
    assert b"$30,000,000,000" in agreement.content


def test_filter_forms_read_any_and_plain_date_labels(client, editor):
    client.force_login(editor)
    page = client.get(reverse("agreements:agreement_list")).content.decode()
    assert "---------" not in page
    assert "Signed on or after" in page and "Signed on or before" in page
    assert "greater than or equal" not in page and "(slug)" not in page
    conditions = client.get(reverse("conditions:condition_list")).content.decode()
    assert "Next review due on or before" in conditions and "---------" not in conditions


def test_change_log_filters_have_names_a_person_reads(client, auditor):
    client.force_login(auditor)
    page = client.get(reverse("history:changes")).content.decode()
    assert "[invalid name]" not in page and "Pgh label" not in page
    assert ">Channel<" in page and ">created<" in page
    assert 'class="usa-select' in page  # styled like every other filter form


def test_technology_area_pages_list_link_and_show_agreements(client, auditor):
    area = TechnologyArea.objects.get(slug="hypersonics")
    agreement = AgreementFactory(title="Hypersonic test bed")
    AgreementTechnologyArea.objects.create(agreement=agreement, technology_area=area)
    client.force_login(auditor)

    listing = client.get(reverse("agreements:technology_area_list")).content.decode()
    assert reverse("agreements:technology_area_detail", args=[area.pk]) in listing
    assert "?technology_area=hypersonics" in listing
    assert "New technology area" not in listing  # auditors never see edit controls
    detail = client.get(reverse("agreements:technology_area_detail", args=[area.pk]))
    assert "Hypersonic test bed" in detail.content.decode()
    agreement_page = client.get(reverse("agreements:agreement_detail", args=[agreement.pk]))
    assert reverse("agreements:technology_area_detail", args=[area.pk]) in (
        agreement_page.content.decode()
    )
    assert client.get(reverse("agreements:technology_area_create")).status_code == 403


def test_editor_creates_and_renames_a_technology_area(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("agreements:technology_area_create"),
        {"name": "Directed-energy lasers", "slug": "lasers", "description": ""},
    )
    area = TechnologyArea.objects.get(slug="lasers")
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:technology_area_detail", args=[area.pk])

    stale = client.post(
        reverse("agreements:technology_area_update", args=[area.pk]),
        {"name": "Lasers", "slug": "lasers", "description": "", "version": area.version + 5},
    )
    assert "Someone else saved this record" in stale.content.decode()
    area.refresh_from_db()
    assert area.name == "Directed-energy lasers"

    duplicate = client.post(
        reverse("agreements:technology_area_create"),
        {"name": "Again", "slug": "lasers", "description": ""},
    )
    assert duplicate.status_code == 200
    assert "already exists" in duplicate.content.decode()
    assert TechnologyArea.objects.filter(slug="lasers").count() == 1


def test_waiver_form_pages_mark_conditions_in_the_navigation(client, editor, world):
    client.force_login(editor)
    url = reverse("conditions:waiver_create", args=[world["condition"].pk])
    page = client.get(url).content.decode()
    current = page.split("usa-current", 1)[1][:80]
    assert "Conditions" in current
