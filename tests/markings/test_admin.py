"""The Django admin follows the same predicate as every other read: an admin without
cui:EXPT walks every registered admin and finds no hidden record, by list, search, change
view, autocomplete or inline (docs/decisions/0034-need-to-know.md)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from conditions.models import Flag, SourceDocument
from conditions.services import condition_review_record
from core.registry_day import registry_today
from tests.factories import (
    CountryFactory,
    DesignationFactory,
    ParticipantFactory,
    RequirementFactory,
    UserFactory,
)
from tests.markings.conftest import EXPT

SECRET = "zzsecretzz"


@pytest.fixture
def hidden(marked, cleared):
    """Every kind of record the admin shows, hidden from an admin without cui:EXPT."""
    secret = marked["secret_condition"]
    partner = CountryFactory(name=f"Partner {SECRET}", iso3="ZZZ", **EXPT)
    DesignationFactory(partner=partner)
    RequirementFactory(condition=secret, text=f"Requirement {SECRET}")
    ParticipantFactory(agreement=marked["secret_agreement"], partner=partner)
    review = condition_review_record(
        condition=secret,
        actor=cleared,
        reviewed_on=registry_today(),
        outcome="met",
        notes=f"Notes {SECRET}",
        sources=[{"url": f"https://example.org/{SECRET}", "publisher": SECRET, "kind": "other"}],
    )
    flag = Flag.objects.create(condition=secret, kind=Flag.Kind.REVIEW_OVERDUE)
    flag.notifications.create(office="DRL", subject=f"Flag {SECRET}", body=SECRET)
    entry = secret.waiver_entries.get()
    return {
        "partners.partner": {partner.pk},
        "agreements.agreement": {marked["secret_agreement"].pk},
        "conditions.condition": {secret.pk},
        "conditions.conditionreview": {review.pk},
        "conditions.waiverentry": {entry.pk},
        "conditions.flag": {flag.pk},
        "conditions.sourcedocument": set(
            SourceDocument.objects.filter(review=review).values_list("pk", flat=True)
        ),
        "conditions.notification": set(flag.notifications.values_list("pk", flat=True)),
    }


def _admin(cleared: bool):
    user = UserFactory(username=f"admin{cleared}", role="admin")
    if cleared:
        user.groups.add(Group.objects.get_or_create(name="cui:EXPT")[0])
    return user


def test_an_uncleared_admin_finds_no_hidden_record_in_any_admin(client, hidden):
    client.force_login(_admin(cleared=False))
    for model in admin.site._registry:
        opts = model._meta
        listed = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert listed.status_code == 200, opts.label
        assert SECRET not in listed.content.decode(), opts.label
        shown = {obj.pk for obj in listed.context["cl"].result_list}
        assert not shown & hidden.get(opts.label_lower, set()), opts.label
        if listed.context["cl"].search_fields:
            searched = client.get(listed.request["PATH_INFO"], {"q": SECRET})
            assert searched.context["cl"].result_count == 0, opts.label  # the query is echoed
        for pk in hidden.get(opts.label_lower, ()):
            for view in ("change", "history"):
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[pk])
                missing = url.replace(f"/{pk}/", "/987654321/")
                seen, gone = client.get(url, follow=True), client.get(missing, follow=True)
                assert SECRET not in seen.content.decode(), url
                assert seen.redirect_chain and seen.redirect_chain[-1][0] == "/admin/", url
                said = [m.message.replace(str(pk), "ID") for m in seen.context["messages"]]
                unsaid = [m.message.replace("987654321", "ID") for m in gone.context["messages"]]
                assert said == unsaid, url


def test_the_admin_autocomplete_and_inlines_leave_out_hidden_records(client, marked, hidden):
    client.force_login(_admin(cleared=False))
    suggestions = client.get(
        "/admin/autocomplete/",
        {"app_label": "conditions", "model_name": "waiverentry", "field_name": "condition"},
    ).json()["results"]
    assert [s["text"] for s in suggestions] == ["Condition open"]
    israel = client.get(
        reverse("admin:partners_partner_change", args=[marked["partner"].pk])
    ).content.decode()
    assert SECRET not in israel
    open_condition = client.get(
        reverse("admin:conditions_condition_change", args=[marked["open_condition"].pk])
    )
    assert open_condition.status_code == 200


def test_a_cleared_admin_sees_the_hidden_records(client, hidden):
    client.force_login(_admin(cleared=True))
    for label, pks in hidden.items():
        app_label, model_name = label.split(".")
        for pk in pks:
            url = reverse(f"admin:{app_label}_{model_name}_change", args=[pk])
            assert client.get(url).status_code == 200, url
