"""No page renders a whole table it does not list: type-ahead boxes instead of <select>s."""

import pytest
from django.urls import reverse

from conditions.models import Condition
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    CountryFactory,
    PartnerFactory,
    ProvisionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(editor):
    condition = ConditionFactory(partner=CountryFactory(name="Japan", iso3="JPN"))
    agreement = AgreementFactory(reference="DTC-2026-0001")
    return {"condition": condition, "agreement": agreement}


def pages(world) -> list[str]:
    condition, agreement = world["condition"], world["agreement"]
    return [
        reverse("conditions:condition_list"),
        reverse("conditions:condition_create"),
        reverse("conditions:condition_update", args=[condition.pk]),
        reverse("conditions:waiver_create", args=[condition.pk]),
        reverse("conditions:waiver_list"),
        reverse("agreements:agreement_list"),
        reverse("agreements:agreement_create"),
        reverse("agreements:agreement_update", args=[agreement.pk]),
        reverse("agreements:provision_create"),
        reverse("partners:partner_create"),
        reverse("reports:enforcement") + "?year_from=2020&year_to=2020",
        reverse("reports:access"),
    ]


def sizes(client, urls) -> dict:
    result = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        result[url] = len(response.content)
    return result


def test_forms_and_filters_do_not_grow_with_the_tables_they_point_at(client, editor, world):
    client.force_login(editor)
    urls = pages(world)
    before = sizes(client, urls)
    for n in range(150):  # rows that none of these pages lists
        partner = PartnerFactory(name=f"Unlisted partner {n}")
        ProvisionFactory(section=f"9{n:03d}")
        AgreementFactory(reference=f"DTC-2026-9{n:03d}")
        ConditionFactory(partner=partner, title=f"Unlisted condition {n}")
    after = sizes(client, urls)
    grown = {url: after[url] - before[url] for url in urls if after[url] != before[url]}
    # The condition list lists conditions (25 a page), the agreement list agreements and the
    # enforcement report a row per partner and year: they grow by their own rows only; every
    # form and every other page stays the same size, byte for byte.
    listed = {
        reverse("conditions:condition_list"),
        reverse("agreements:agreement_list"),
        reverse("reports:enforcement") + "?year_from=2020&year_to=2020",
    }
    assert set(grown) <= listed, grown
    html = client.get(reverse("reports:access")).content.decode()
    assert "Unlisted partner" not in html
    html = client.get(reverse("conditions:condition_create")).content.decode()
    assert "Unlisted partner" not in html and "<option" not in html.split('name="partner"')[1][:200]


def test_report_filters_take_several_partners_by_name_or_id(client, auditor, world):
    client.force_login(auditor)
    japan = world["condition"].partner
    israel = CountryFactory(name="Israel", iso3="ISR")
    url = reverse("reports:enforcement") + f"?partner=jpn&partner={israel.pk}&year_from=2024"
    response = client.get(url)
    assert response.status_code == 200
    assert set(response.context["filter_form"].cleaned_data["partner"]) == {japan, israel}
    html = response.content.decode()
    assert f'value="{japan.pk}" id="id_partner_chosen_{japan.pk}" checked' in html


def test_a_typed_name_or_code_resolves_to_its_record(client, editor, world):
    client.force_login(editor)
    condition = world["condition"]
    response = client.get(reverse("conditions:condition_list") + "?partner=jpn")
    assert list(response.context["object_list"]) == [condition]
    response = client.get(reverse("conditions:condition_list") + "?agreement=dtc-2026-0001")
    assert response.status_code == 200 and list(response.context["object_list"]) == []
    # The box shows the chosen record's name, never only its id.
    html = client.get(reverse("conditions:condition_update", args=[condition.pk])).content
    assert b"Selected: Japan." in html


def test_an_unknown_name_is_a_clear_error_on_the_field(client, editor, world):
    client.force_login(editor)
    condition = world["condition"]
    url = reverse("conditions:condition_update", args=[condition.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        partner="Atlantis",
        version=condition.version,
        **{
            "requirements-TOTAL_FORMS": 0,
            "requirements-INITIAL_FORMS": 0,
            "sources-TOTAL_FORMS": 0,
            "sources-INITIAL_FORMS": 0,
        },
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "No partner matches this" in response.context["form"].errors["partner"][0]
    assert Condition.objects.get(pk=condition.pk).partner_id == condition.partner_id
