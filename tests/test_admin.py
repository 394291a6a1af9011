"""The Django admin: admin role only, writes through the services, nothing deleted."""

import pytest
from django.contrib import admin
from django.urls import reverse

from agreements.models import Agreement, AgreementParticipant, TechnologyArea
from conditions.models import Flag, WaiverEntry
from conditions.services import waiver_record
from partners.models import Partner
from tests.factories import (
    ConditionFactory,
    CountryFactory,
    ParticipantFactory,
    PartnerFactory,
    UserFactory,
    waiver_fields,
)

pytestmark = pytest.mark.django_db


def inline(prefix, rows=(), initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{k}": v for k, v in row.items()})
    return data


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_role_gets_in(admin_client):
    assert admin_client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", ["editor", "auditor", None])
def test_other_users_are_sent_to_the_login_even_when_staff(client, role):
    user = UserFactory(role=role)
    user.is_staff = True
    user.save()
    client.force_login(user)
    for url in ("/admin/", "/admin/partners/partner/", "/admin/partners/partner/add/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post("/admin/partners/partner/add/", {"name": "X", "kind": "company"})
    assert response.status_code == 302 and not Partner.objects.exists()


def test_every_admin_page_renders(admin_client):
    ConditionFactory(agreement=ParticipantFactory().agreement)
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url
        obj = model.objects.first()
        if obj is not None:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert admin_client.get(url).status_code == 200, url


def test_admin_adds_a_partner_through_the_service(admin_client):
    data = {"name": "Finland", "kind": "country", "iso3": "fin", "notes": "",
            **inline("designations", [{"category": "nato_member",
                                       "valid_from": "2023-04-04"}])}  # fmt: skip
    response = admin_client.post("/admin/partners/partner/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    partner = Partner.objects.get()
    assert (partner.iso3, partner.version) == ("FIN", 1)
    assert partner.designations.get().category == "nato_member"
    # The history context with the actor is set by the service decorator only.
    event = Partner.pgh_event_model.objects.get(pgh_obj_id=partner.pk)
    assert event.pgh_context.metadata["actor"] == "admin"


def test_admin_shows_validation_errors_and_writes_nothing(admin_client):
    response = admin_client.post("/admin/partners/partner/add/",
                                 {"name": "Nowhere", "kind": "country", "iso3": "QQQ",
                                  **inline("designations")})  # fmt: skip
    assert response.status_code == 200
    assert "iso3" in response.context["adminform"].form.errors
    assert not Partner.objects.exists()


def test_admin_edit_raises_version_and_refuses_stale_edits(admin_client):
    partner = PartnerFactory(name="Old", kind="company")
    url = f"/admin/partners/partner/{partner.pk}/change/"
    data = {"kind": "company", "iso3": "", "notes": "", "expected_version": "1",
            **inline("designations")}  # fmt: skip
    assert admin_client.post(url, {**data, "name": "New"}).status_code == 302
    partner.refresh_from_db()
    assert (partner.name, partner.version) == ("New", 2)
    response = admin_client.post(url, {**data, "name": "Stale"})
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    partner.refresh_from_db()
    assert (partner.name, partner.version) == ("New", 2)


def test_service_errors_are_shown_on_the_form(admin_client):
    a, b = CountryFactory(), CountryFactory()
    hypersonics = TechnologyArea.objects.get(slug="hypersonics")
    data = {
        "reference": "DTC-2024-0001", "title": "Program", "summary": "",
        "agreement_type": "co_development", "status": "proposed",
        "technology_transfer_risk": "low", "industrial_base_notes": "",
        "human_rights_notes": "", "fms_cases": "",
        **inline("technology_areas", [{"technology_area": hypersonics.pk}]),
        **inline("legal_bases"),
        **inline("industrial_participants"),
        **inline("participants", [
            {"partner": a.pk, "role": "lead", "cost_share_percent": "70"},
            {"partner": b.pk, "role": "participant", "cost_share_percent": "40"},
        ]),
    }  # fmt: skip
    response = admin_client.post("/admin/agreements/agreement/add/", data)
    assert response.status_code == 200
    assert "more than 100%" in response.content.decode()
    assert not Agreement.objects.exists() and not AgreementParticipant.objects.exists()
    data["participants-1-cost_share_percent"] = "30"
    assert admin_client.post("/admin/agreements/agreement/add/", data).status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.participants.count() == 2
    assert list(agreement.technology_areas.all()) == [hypersonics]


def test_nothing_can_be_deleted(admin_client):
    partner = PartnerFactory()
    assert admin_client.get(f"/admin/partners/partner/{partner.pk}/delete/").status_code == 403
    response = admin_client.post("/admin/partners/partner/",
                                 {"action": "delete_selected", "_selected_action": [partner.pk],
                                  "post": "yes"})  # fmt: skip
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert response.status_code in (200, 302)
    changelist = admin_client.get("/admin/partners/partner/")
    assert "delete_selected" not in changelist.content.decode()


def test_waiver_entries_are_read_only(admin_client, admin_user):
    entry = waiver_record(condition=ConditionFactory(), actor=admin_user, **waiver_fields())
    assert admin_client.get("/admin/conditions/waiverentry/add/").status_code == 403
    url = f"/admin/conditions/waiverentry/{entry.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="justification"' not in page.content.decode()
    assert admin_client.post(url, {"justification": "Rewritten"}).status_code == 403
    entry.refresh_from_db()
    assert entry.justification != "Rewritten"
    assert admin_client.get(url.replace("change/", "delete/")).status_code == 403
    assert WaiverEntry.objects.count() == 1


def test_flag_actions_use_the_services(admin_client, admin_user):
    flag = Flag.objects.create(condition=ConditionFactory(), kind="review_overdue")
    admin_client.post("/admin/conditions/flag/",
                      {"action": "acknowledge", "_selected_action": [flag.pk]})  # fmt: skip
    flag.refresh_from_db()
    assert (flag.status, flag.acknowledged_by) == ("acknowledged", admin_user)
