"""The Django admin: admin role only, and read-only for the registry's records."""

import pytest
from django.contrib import admin
from django.urls import reverse

from agreements.models import Agreement, TechnologyArea
from conditions.models import Flag, WaiverEntry
from conditions.services import waiver_record
from partners.models import Partner
from tests.factories import (
    ConditionFactory,
    ParticipantFactory,
    PartnerFactory,
    UserFactory,
    waiver_fields,
)

pytestmark = pytest.mark.django_db
DOMAIN_APPS = ("partners", "agreements", "safeguards", "conditions")


def inline(prefix, rows=(), initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{k}": v for k, v in row.items()})
    return data


def domain_admins():
    return [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label in DOMAIN_APPS]


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


def test_every_domain_model_is_read_only_for_the_admin_role(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    admins = domain_admins()
    assert {m._meta.model_name for m, _ in admins} >= {
        "partner",
        "agreement",
        "act",
        "provision",
        "technologyarea",
        "condition",
        "conditionreview",
        "waiverentry",
        "flag",
    }
    for model, model_admin in admins:
        assert model_admin.has_view_permission(request), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        assert model_admin.get_actions(request) == {}, model
        for inline_admin in model_admin.get_inline_instances(request):
            assert not inline_admin.has_add_permission(request, None), inline_admin
            assert not inline_admin.has_change_permission(request), inline_admin
            assert not inline_admin.has_delete_permission(request), inline_admin


def test_the_admin_adds_nothing(admin_client):
    for model, _ in domain_admins():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        assert admin_client.get(url).status_code == 403, url
    data = {
        "name": "Finland",
        "kind": "country",
        "iso3": "FIN",
        "notes": "",
        **inline("designations", [{"category": "nato_member", "valid_from": "2023-04-04"}]),
    }
    assert admin_client.post("/admin/partners/partner/add/", data).status_code == 403
    area = {"slug": "admin_area", "name": "Admin area", "description": ""}
    assert admin_client.post("/admin/agreements/technologyarea/add/", area).status_code == 403
    assert not Partner.objects.exists()
    assert not TechnologyArea.objects.filter(slug="admin_area").exists()


def test_the_admin_shows_a_record_without_a_form_and_changes_nothing(admin_client):
    partner = PartnerFactory(name="Old", kind="company", notes="Kept as it was")
    url = f"/admin/partners/partner/{partner.pk}/change/"
    page = admin_client.get(url)
    content = page.content.decode()
    assert page.status_code == 200
    assert "Kept as it was" in content and 'name="name"' not in content
    assert 'name="_save"' not in content
    data = {
        "name": "New",
        "kind": "company",
        "iso3": "",
        "notes": "",
        "expected_version": "1",
        **inline("designations"),
    }
    assert admin_client.post(url, data).status_code == 403
    partner.refresh_from_db()
    assert (partner.name, partner.version) == ("Old", 1)


def test_an_agreement_page_shows_its_rows_and_areas(admin_client):
    participant = ParticipantFactory()
    agreement = participant.agreement
    agreement.technology_areas.add(TechnologyArea.objects.get(slug="hypersonics"))
    page = admin_client.get(f"/admin/agreements/agreement/{agreement.pk}/change/")
    content = page.content.decode()
    assert page.status_code == 200
    assert agreement.reference in content and str(participant.partner) in content
    assert TechnologyArea.objects.get(slug="hypersonics").name in content
    assert 'name="participants-0-partner"' not in content
    assert Agreement.objects.get(pk=agreement.pk).version == agreement.version


def test_lists_are_searchable(admin_client):
    PartnerFactory(name="Finland Defence Forces")
    PartnerFactory(name="Norway Procurement")
    page = admin_client.get("/admin/partners/partner/", {"q": "finland"})
    content = page.content.decode()
    assert "Finland Defence Forces" in content and "Norway Procurement" not in content


def test_users_keep_their_own_admin(admin_client):
    # Users, groups and tokens are not registry records: their admin still edits them.
    assert admin_client.get("/admin/auth/user/add/").status_code == 200
    assert admin_client.get("/admin/auth/group/").status_code == 200


def test_nothing_can_be_deleted(admin_client):
    partner = PartnerFactory()
    assert admin_client.get(f"/admin/partners/partner/{partner.pk}/delete/").status_code == 403
    response = admin_client.post(
        "/admin/partners/partner/",
        {"action": "delete_selected", "_selected_action": [partner.pk], "post": "yes"},
    )
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


def test_flags_are_handled_on_the_flag_pages_not_in_the_admin(admin_client):
    flag = Flag.objects.create(condition=ConditionFactory(), kind="review_overdue")
    changelist = admin_client.get("/admin/conditions/flag/").content.decode()
    assert 'name="action"' not in changelist and 'value="acknowledge"' not in changelist
    admin_client.post(
        "/admin/conditions/flag/", {"action": "acknowledge", "_selected_action": [flag.pk]}
    )
    flag.refresh_from_db()
    assert (flag.status, flag.acknowledged_by) == ("open", None)
