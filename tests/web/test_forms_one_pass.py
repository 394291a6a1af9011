"""A form reports every error at once: the fields', the cross-field rules' and the service's
(issue 30, item 1); an impossible date is reported as such, not as missing."""

import pytest
from django.urls import reverse

from agreements.models import Agreement
from core.web.forms import NOT_A_DATE_MESSAGE
from tests.factories import AgreementFactory, CountryFactory
from tests.web.test_forms import _management, agreement_post

pytestmark = pytest.mark.django_db


def _rows(*rows):
    data = _management("participants", len(rows))
    for index, row in enumerate(rows):
        data.update({f"participants-{index}-{k}": v for k, v in row.items()})
    return data


def test_every_error_comes_back_on_the_first_submit(client, editor):
    """Shares of 60 % and 55 %, a reference already taken, an unknown partner, a signed
    agreement without its date and no title: one submission, every error."""
    AgreementFactory(reference="DTC-2026-0001")
    japan, israel = CountryFactory(), CountryFactory()
    client.force_login(editor)
    data = agreement_post(
        title="",
        signed_on="",
        **_rows(
            {"partner": japan.pk, "role": "lead", "cost_share_percent": "60"},
            {"partner": israel.pk, "role": "participant", "cost_share_percent": "55"},
            {"partner": "999999", "role": "participant"},
        ),
    )
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 200
    form, participants = response.context["form"], response.context["formsets"]["participants"]
    assert form.errors["title"]  # the field's own check
    assert "needs its signature date" in " ".join(form.errors["signed_on"])  # the model's rule
    assert form.errors["reference"]  # the database's uniqueness, through the service
    assert participants.forms[2].errors["partner"]  # a row's field
    assert any("115" in e for e in participants.non_form_errors())  # the rule across rows
    assert Agreement.objects.count() == 1  # the dry run left nothing behind
    summary = [item["text"] for item in response.context["error_summary"]]
    assert len(summary) == len(set(summary))  # nothing said twice


def test_a_service_error_is_not_repeated_on_a_field_already_wrong(client, editor):
    client.force_login(editor)
    data = agreement_post(signed_on="2024-05-01", expires_on="2024-01-01", title="")
    response = client.post(reverse("agreements:agreement_create"), data)
    form = response.context["form"]
    assert form.errors["title"] and form.errors["expires_on"]
    assert form.errors["title"] == ["This field is required."]


def test_an_impossible_date_is_not_reported_as_missing(client, editor):
    """The browser sends 02/30/2026 as an empty value with `signed_on__bad` (app.js)."""
    client.force_login(editor)
    data = agreement_post(signed_on="", signed_on__bad="1")
    response = client.post(reverse("agreements:agreement_create"), data)
    errors = response.context["form"].errors["signed_on"]
    assert errors == [NOT_A_DATE_MESSAGE]
    assert "needs its signature date" not in response.content.decode()
    # Typed by hand (no browser picker): the same words.
    response = client.post(
        reverse("agreements:agreement_create"), agreement_post(signed_on="2026-02-30")
    )
    assert response.context["form"].errors["signed_on"] == [NOT_A_DATE_MESSAGE]


def test_the_flag_only_speaks_for_an_empty_date(client, editor):
    client.force_login(editor)
    data = agreement_post(signed_on="2024-05-01", signed_on__bad="1")
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 302
