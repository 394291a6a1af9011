"""The notification pages: list with filters, detail, create and edit, and the partner's and
agreement's pages listing theirs. Labels, never codes."""

import datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse

from notifications.models import CongressionalNotification
from notifications.services import notification_create
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db
LIST = reverse("notifications:congressional_notification_list")


def rows(response) -> str:
    """The table body of a list page (the filter form lists every kind's label too)."""
    assert response.status_code == 200
    return response.content.decode().split("<tbody")[1]


@pytest.fixture
def early(editor, plain_partner):
    return notification_create(
        actor=editor,
        kind="aeca_36c",
        partner=plain_partner,
        agreement=AgreementFactory(title="Rotary-wing sustainment"),
        transmittal_number="DDTC 24-012",
        received_on=datetime.date(2024, 3, 7),
        acted_on=datetime.date(2024, 3, 20),
    )


def test_list_shows_labels_and_filters(client, auditor, early, joining_partner, editor):
    other = notification_create(
        actor=editor, kind="mnna", partner=joining_partner, received_on=datetime.date(2024, 1, 2)
    )
    client.force_login(auditor)
    page = client.get(LIST).content.decode()
    assert "AECA §36(c) export licence" in page and "aeca_36c" not in page.split("<table")[1]
    assert "Acted before the review ended" in page and "DDTC 24-012" in page
    filtered = rows(client.get(LIST, {"acted_early": "true"}))
    assert "DDTC 24-012" in filtered and "Major non-NATO ally designation" not in filtered
    by_kind = rows(client.get(LIST, {"kind": "mnna"}))
    assert "Major non-NATO ally designation" in by_kind and "DDTC 24-012" not in by_kind
    detail = reverse("notifications:congressional_notification_detail", args=[other.pk])
    assert client.get(detail).status_code == 200


def test_detail_says_the_review_in_words(client, auditor, early):
    client.force_login(auditor)
    url = reverse("notifications:congressional_notification_detail", args=[early.pk])
    page = client.get(url).content.decode()
    assert "30 days (from the partner's categories on" in page
    assert f"<dt>Earliest action date</dt><dd>{date_filter(datetime.date(2024, 4, 6))}<" in page
    assert "Acted before the review ended" in page


def test_partner_and_agreement_pages_list_their_notifications(client, auditor, early):
    client.force_login(auditor)
    partner_page = client.get(reverse("partners:partner_detail", args=[early.partner_id]))
    assert "Notifications to Congress" in partner_page.content.decode()
    assert "DDTC 24-012" in partner_page.content.decode()
    agreement_page = client.get(reverse("agreements:agreement_detail", args=[early.agreement_id]))
    assert "DDTC 24-012" in agreement_page.content.decode()


def test_editor_creates_and_edits(client, editor, plain_partner):
    client.force_login(editor)
    create = reverse("notifications:congressional_notification_create")
    data = {
        "kind": "aeca_36b",
        "partner": str(plain_partner.pk),
        "received_on": "2024-03-07",
        "transmittal_number": "Transmittal No. 24-01",
    }
    response = client.post(create, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    notification = CongressionalNotification.objects.get()
    assert notification.transmittal_number == "Transmittal No. 24-01"
    edit = reverse("notifications:congressional_notification_update", args=[notification.pk])
    assert client.get(edit).status_code == 200
    changed = {**data, "acted_on": "2024-04-10", "version": "1"}
    assert client.post(edit, changed).status_code == 302
    notification.refresh_from_db()
    assert notification.acted_on == datetime.date(2024, 4, 10) and notification.version == 2


def test_form_errors_name_the_field(client, editor, plain_partner):
    client.force_login(editor)
    create = reverse("notifications:congressional_notification_create")
    data = {
        "kind": "aeca_36b",
        "partner": str(plain_partner.pk),
        "received_on": "2024-03-07",
        "emergency_waiver": "on",
    }
    response = client.post(create, data)
    assert response.status_code == 200
    assert "needs its justification" in response.content.decode()
    assert not CongressionalNotification.objects.exists()
