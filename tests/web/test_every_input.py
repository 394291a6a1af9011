"""Issue 13 on the pages: dates outside 1900..2200 are a message naming the field, not a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
RANGE = "Enter a date between 1900-01-01 and 2200-12-31."


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("conditions:condition_detail", {"as_of": "9999-12-31"}),
        ("agreements:agreement_detail", {"as_of": "0001-01-01"}),
        ("history:changes", {"date_before": "9999-12-31"}),
        ("reports:enforcement", {"as_of": "9999-12-31"}),
        ("reports:enforcement_csv", {"as_of": "9999-12-31"}),
        ("conditions:waiver_list", {"signed_after": "2201-01-01"}),
    ],
)
def test_a_date_outside_the_range_is_a_message_on_the_page(client, world, auditor, name, query):
    client.force_login(auditor)
    kwargs = {"pk": world[name.split(":")[1].split("_")[0]].pk} if "detail" in name else {}
    response = client.get(reverse(name, kwargs=kwargs), query)
    assert response.status_code in (200, 400)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert RANGE in body.decode()


def test_a_review_dated_year_one_is_a_form_error(client, world, editor):
    condition = world["condition"]
    client.force_login(editor)
    url = reverse("conditions:review_create", kwargs={"condition_pk": condition.pk})
    response = client.post(url, {"reviewed_on": "0001-01-01", "outcome": "met", "notes": ""})
    assert response.status_code == 200
    assert RANGE in response.content.decode()
    assert condition.reviews.count() == 1  # the world's own review only


def test_a_condition_due_in_year_9999_is_a_form_error(client, world, editor):
    condition = world["condition"]
    client.force_login(editor)
    url = reverse("conditions:condition_update", kwargs={"pk": condition.pk})
    page = client.get(url)
    form = page.context["form"]
    data = {b.html_name: b.value() for b in form if b.value() not in (None, False)}
    data = {k: getattr(v, "isoformat", lambda v=v: v)() for k, v in data.items()}
    for formset in page.context["formsets"].values():
        for b in formset.management_form:
            data[b.html_name] = b.value()
    data["next_review_due"] = "9999-12-31"
    response = client.post(url, data)
    assert response.status_code == 200
    assert RANGE in response.content.decode()
