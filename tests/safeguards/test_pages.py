"""Safeguards pages: the forms write through the services, refusals land on the field, and
pages show labels, not codes."""

import datetime

import pytest
from django.urls import reverse

from safeguards.models import EndUseCheck, Transfer
from tests.factories import DesignationFactory, PartnerFactory
from tests.safeguards.factories import ReleaseFactory, TechnologyItemFactory, TransferFactory

pytestmark = pytest.mark.django_db


def test_editor_records_a_transfer_with_its_items_and_edits_them(client, editor):
    client.force_login(editor)
    release = ReleaseFactory()
    other = TechnologyItemFactory()
    target = PartnerFactory(name="Receiver")
    data = {
        "from_partner": release.partner.pk,
        "to_partner": target.pk,
        "items": [release.item.pk, other.pk],
        "value_usd": "30000000",
        "major_defense_equipment": "on",
        "requested_on": "2024-01-05",
        "decision": "pending",
    }
    response = client.post(reverse("safeguards:transfer_create"), data)
    transfer = Transfer.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(transfer.items.values_list("pk", flat=True)) == sorted(
        [release.item.pk, other.pk]
    )
    page = client.get(reverse("safeguards:transfer_detail", kwargs={"pk": transfer.pk}))
    html = page.content.decode()
    assert "Pending" in html and "Required: the value reaches" in html
    edit_url = reverse("safeguards:transfer_update", kwargs={"pk": transfer.pk})
    form = client.get(edit_url).context["form"]
    assert sorted(form.initial["items"]) == sorted([release.item.pk, other.pk])
    data.update(items=[other.pk], version="1")
    assert client.post(edit_url, data).status_code == 302
    assert list(transfer.items.values_list("pk", flat=True)) == [other.pk]


def test_a_refused_release_shows_the_error_on_the_partner_field(client, editor):
    client.force_login(editor)
    partner = PartnerFactory(name="Embargoed")
    DesignationFactory(partner=partner, category="itar_126_1", valid_from=datetime.date(2000, 1, 1))
    data = {
        "item": TechnologyItemFactory().pk,
        "partner": partner.pk,
        "decision": "approved",
        "authority": "itar_license",
        "decided_on": "2024-01-05",
    }
    response = client.post(reverse("safeguards:release_decision_create"), data)
    assert response.status_code == 200
    assert "proscribed destination" in response.context["form"].errors["partner"][0]


def test_a_check_of_unreleased_items_shows_the_error_on_items(client, editor):
    client.force_login(editor)
    data = {
        "program": "golden_sentry",
        "check_type": "eeum_inventory",
        "partner": PartnerFactory().pk,
        "items": [TechnologyItemFactory().pk],
        "performed_on": "2024-01-05",
        "result": "favorable",
    }
    response = client.post(reverse("safeguards:end_use_check_create"), data)
    assert response.status_code == 200
    assert "Not released to this partner" in response.context["form"].errors["items"][0]
    assert not EndUseCheck.objects.exists()


def test_item_page_links_releases_and_transfers_with_labels(client, auditor):
    client.force_login(auditor)
    release = ReleaseFactory(decision="approved_with_provisos", provisos=["no_retransfer"])
    TransferFactory(from_partner=release.partner, items=[release.item])
    html = client.get(
        reverse("safeguards:technology_item_detail", kwargs={"pk": release.item.pk})
    ).content.decode()
    assert "Approved with provisos" in html and "U.S. Munitions List (ITAR)" in html
    assert "approved_with_provisos" not in html
    listing = client.get(reverse("safeguards:technology_item_list")).content.decode()
    assert release.item.name in listing and "Secret" in listing
    release_page = client.get(
        reverse("safeguards:release_decision_detail", kwargs={"pk": release.pk})
    ).content.decode()
    assert "No re-transfer" in release_page


def test_partner_and_agreement_pages_link_to_their_safeguards(client, auditor):
    client.force_login(auditor)
    release = ReleaseFactory()
    partner_page = client.get(
        reverse("partners:partner_detail", kwargs={"pk": release.partner.pk})
    ).content.decode()
    assert f"/reports/technology-exposure/?partner={release.partner.pk}" in partner_page
    agreement = release.item.agreement
    agreement_page = client.get(
        reverse("agreements:agreement_detail", kwargs={"pk": agreement.pk})
    ).content.decode()
    link = f"/technology-items/?agreement={agreement.pk}"
    assert link in agreement_page
    listed = client.get(link).context["object_list"]
    assert [item.pk for item in listed] == [release.item.pk]
