"""Type-ahead look-ups and record fields of forms never reach a record the user may not see:
suggestions come from the (filtered) API, and a hidden record's id or key typed by hand is
refused on its field as if it did not exist."""

from django.urls import reverse

from conditions.models import Condition
from core.web.typeahead import SOURCES
from tests.api.conftest import token_client


def test_suggestions_come_from_the_filtered_api(marked, cleared, uncleared):
    url = SOURCES["agreements.agreement"].api
    assert url.startswith("/api/v1/")  # the box asks the API, filtered by the token's user
    found = token_client(uncleared).get(url, {"page_size": 10, "search": "DTC-2024"}).json()
    assert [a["reference"] for a in found["results"]] == ["DTC-2024-OPEN"]
    found = token_client(cleared).get(url, {"page_size": 10, "search": "DTC-2024"}).json()
    assert sorted(a["reference"] for a in found["results"]) == ["DTC-2024-OPEN", "DTC-2024-SECRET"]


def _post_agreement(client, condition, agreement: str):
    url = reverse("conditions:condition_update", args=[condition.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        agreement=agreement,
        version=Condition.objects.get(pk=condition.pk).version,
        **{
            "requirements-TOTAL_FORMS": 0,
            "requirements-INITIAL_FORMS": 0,
            "sources-TOTAL_FORMS": 0,
            "sources-INITIAL_FORMS": 0,
        },
    )
    return client.post(url, data)


def test_a_hidden_record_typed_by_hand_is_refused_as_if_it_did_not_exist(
    client, marked, cleared, uncleared
):
    condition, secret = marked["open_condition"], marked["secret_agreement"]
    client.force_login(uncleared)
    for typed in (str(secret.pk), secret.reference):
        response = _post_agreement(client, condition, typed)
        assert response.status_code == 200
        assert "No agreement matches this" in response.context["form"].errors["agreement"][0]
        assert f"Selected: {secret.reference}" not in response.content.decode()  # not named
    assert Condition.objects.get(pk=condition.pk).agreement_id != secret.pk
    client.force_login(cleared)
    response = _post_agreement(client, condition, secret.reference)
    assert response.status_code == 302, response.context["form"].errors
    assert Condition.objects.get(pk=condition.pk).agreement_id == secret.pk


def test_a_list_filter_box_never_names_a_hidden_record(client, marked, cleared, uncleared):
    url = reverse("conditions:condition_list") + f"?agreement={marked['secret_agreement'].pk}"
    client.force_login(uncleared)
    assert "DTC-2024-SECRET" not in client.get(url).content.decode()
    client.force_login(cleared)
    assert "Selected: DTC-2024-SECRET" in client.get(url).content.decode()
