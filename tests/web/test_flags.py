"""The flag list: filters people can read, links from the dashboard, acting on flags in place."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conditions.models import Flag
from tests.factories import ConditionFactory, CountryFactory

pytestmark = pytest.mark.django_db
FLAGS = reverse("conditions:flag_list")


@pytest.fixture
def flags(db):
    egypt = CountryFactory(name="Egypt", iso3="EGY")
    israel = CountryFactory(name="Israel", iso3="ISR")
    egypt_fmf = ConditionFactory(
        partner=egypt, title="FMF certification", responsible_office="PM/SA"
    )
    israel_leahy = ConditionFactory(
        partner=israel, title="Leahy vetting, unit X", responsible_office="DRL/SFA"
    )
    return {
        "overdue": Flag.objects.create(condition=egypt_fmf, kind=Flag.Kind.REVIEW_OVERDUE),
        "expiring": Flag.objects.create(condition=israel_leahy, kind=Flag.Kind.WAIVER_EXPIRING),
        "resolved": Flag.objects.create(
            condition=israel_leahy, kind=Flag.Kind.REVIEW_OVERDUE, status=Flag.Status.RESOLVED
        ),
    }


def rows(response) -> list[str]:
    """The visible text of each table row, tags stripped."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in body.split("</tr>")
        if "<td" in row
    ]


def test_dashboard_counts_link_to_the_list_filtered_to_that_kind(client, auditor, flags):
    client.force_login(auditor)
    dashboard = client.get(reverse("dashboard")).content.decode()
    link = re.search(r'href="(/flags/\?kind=review_overdue&amp;status=open)"', dashboard)
    assert link, "the review-overdue count does not link to the flag list"

    listed = rows(client.get(link.group(1).replace("&amp;", "&")))
    assert len(listed) == 1
    assert "FMF certification" in listed[0] and "Review overdue" in listed[0]


def test_the_list_shows_labels_not_codes(client, auditor, flags):
    client.force_login(auditor)
    text = " ".join(rows(client.get(FLAGS)))
    assert "Waiver expiring" in text and "Open" in text and "Resolved" in text
    assert "waiver_expiring" not in text and "review_overdue" not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "waiver_expiring"}, ["Leahy vetting, unit X"]),
        ({"status": "resolved"}, ["Leahy vetting, unit X"]),
        ({"office": "pm/sa"}, ["FMF certification"]),
        ({"partner_name": "egy"}, ["FMF certification"]),
        ({"partner_name": "Israel", "status": "open"}, ["Leahy vetting, unit X"]),
    ],
)
def test_each_filter_narrows_the_list(client, auditor, flags, query, expected):
    client.force_login(auditor)
    listed = rows(client.get(FLAGS, query))
    assert len(listed) == len(expected)
    for row, title in zip(listed, expected, strict=True):
        assert title in row


def test_partner_filter_is_typed_not_a_select_of_every_partner(client, auditor, flags):
    client.force_login(auditor)
    html = client.get(FLAGS).content.decode()
    partner_input = re.search(r'<input[^>]*name="partner_name"[^>]*>', html)
    assert partner_input and 'type="text"' in partner_input.group(0)
    assert '<select name="partner"' not in html and '<select name="condition"' not in html
    assert "<option" not in html.split('name="partner_name"', 1)[1].split("</form>", 1)[0]


def test_a_link_to_one_partner_names_it_and_offers_every_partner(client, auditor, flags):
    client.force_login(auditor)
    egypt = flags["overdue"].condition.partner
    response = client.get(FLAGS, {"partner": egypt.pk})
    listed = rows(response)
    assert len(listed) == 1 and "FMF certification" in listed[0]
    html = response.content.decode()
    assert "Only flags of the partner <strong>Egypt</strong>" in html
    assert "Show every partner" in html


def test_the_list_is_paginated(client, auditor):
    for _ in range(30):
        ConditionFactory().flags.create(kind=Flag.Kind.REVIEW_DUE_SOON)
    client.force_login(auditor)
    first = client.get(FLAGS)
    assert len(rows(first)) == 25 and "more on the next page" in first.content.decode()
    second = client.get(FLAGS, {"cursor": first.context["page_obj"].next_cursor})
    assert len(rows(second)) == 5 and not second.context["page_obj"].has_next()


def test_editor_acknowledges_then_resolves_from_the_list(client, editor, flags):
    client.force_login(editor)
    flag = flags["overdue"]
    here = FLAGS + "?status=open&kind=review_overdue"
    page = client.get(here).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert reverse("conditions:flag_acknowledge", args=[flag.pk]) in page

    response = client.post(
        reverse("conditions:flag_acknowledge", args=[flag.pk]), {"next": here}, follow=True
    )
    assert response.redirect_chain[-1][0] == here
    assert "Flag “Review overdue” on “FMF certification” acknowledged." in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ACKNOWLEDGED and flag.acknowledged_by == editor
    # An acknowledged flag offers Resolve, no longer Acknowledge.
    assert reverse("conditions:flag_acknowledge", args=[flag.pk]) not in response.content.decode()

    client.post(reverse("conditions:flag_resolve", args=[flag.pk]), {"next": here})
    flag.refresh_from_db()
    assert flag.status == Flag.Status.RESOLVED and flag.resolved_by == editor


def test_acting_twice_says_why_it_cannot(client, editor, flags):
    client.force_login(editor)
    url = reverse("conditions:flag_resolve", args=[flags["resolved"].pk])
    response = client.post(url, {"next": FLAGS}, follow=True)
    assert "This flag is already resolved." in response.content.decode()


def test_next_never_leaves_the_site(client, editor, flags):
    client.force_login(editor)
    flag = flags["overdue"]
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        flag.status = Flag.Status.OPEN
        flag.save()
        response = client.post(
            reverse("conditions:flag_acknowledge", args=[flag.pk]), {"next": target}
        )
        assert response.url.startswith(f"/conditions/{flag.condition_id}/"), target


def test_auditor_sees_no_buttons_and_cannot_post(client, auditor, flags):
    client.force_login(auditor)
    html = client.get(FLAGS).content.decode()
    assert "/acknowledge/" not in html and "/resolve/" not in html
    assert ">Acknowledge<" not in html and ">Resolve<" not in html
    flag = flags["overdue"]
    for name in ("conditions:flag_acknowledge", "conditions:flag_resolve"):
        assert client.post(reverse(name, args=[flag.pk]), {"next": FLAGS}).status_code == 403
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN


def test_posting_without_the_csrf_token_is_refused(editor, flags):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = reverse("conditions:flag_acknowledge", args=[flags["overdue"].pk])
    assert client.post(url, {"next": FLAGS}).status_code == 403
    flags["overdue"].refresh_from_db()
    assert flags["overdue"].status == Flag.Status.OPEN


def test_query_count_does_not_grow_with_rows(client, editor, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            ConditionFactory(responsible_office="DRL/SFA").flags.create(
                kind=Flag.Kind.WAIVER_IN_EFFECT
            )

    client.force_login(editor)
    url = FLAGS + "?page_size=100&office=drl&status=open"  # with filters, as people use it
    make(1)
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(url).context["object_list"]) == 1
    for more, total in ((9, 10), (90, 100)):
        make(more)
        with django_assert_num_queries(len(queries)):
            response = client.get(url)
        assert len(response.context["object_list"]) == total


def test_resolve_asks_for_a_note_records_it_and_re_open_undoes_it(client, editor, flags):
    """Resolve opens a page with an optional note; the note is kept in the flag's history;
    a resolved flag can be re-opened, with its own note."""
    from conditions.models import FlagEvent

    client.force_login(editor)
    flag = flags["overdue"]
    here = FLAGS + "?status=open"
    listing = client.get(here).content.decode()
    resolve = reverse("conditions:flag_resolve", args=[flag.pk])
    assert f'href="{resolve}?next=' in listing  # a page, not a one-click POST
    page = client.get(resolve, {"next": here})
    assert page.status_code == 200
    assert 'name="note"' in page.content.decode() and "Resolve flag" in page.content.decode()

    response = client.post(resolve, {"next": here, "note": "Reviewed by phone with PM/SA."})
    assert response.url == here
    flag.refresh_from_db()
    assert (flag.status, flag.note) == (Flag.Status.RESOLVED, "Reviewed by phone with PM/SA.")
    resolved = client.get(FLAGS + "?status=resolved").content.decode()
    reopen = reverse("conditions:flag_reopen", args=[flag.pk])
    assert reopen in resolved and "Reviewed by phone with PM/SA." in resolved

    client.post(reopen, {"next": here, "note": "Resolved by mistake."})
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN and flag.resolved_by is None
    assert flag.note == "Resolved by mistake."
    history = list(
        FlagEvent.objects.filter(pgh_obj=flag).order_by("pgh_id").values_list("status", "note")
    )
    assert history[-2:] == [
        ("resolved", "Reviewed by phone with PM/SA."),
        ("open", "Resolved by mistake."),
    ]


def test_a_note_too_long_is_refused_on_the_page(client, editor, flags):
    client.force_login(editor)
    flag = flags["overdue"]
    response = client.post(reverse("conditions:flag_resolve", args=[flag.pk]), {"note": "x" * 2001})
    assert response.status_code == 400
    assert response.context["form"].errors["note"]
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN


def test_re_opening_is_refused_while_a_newer_flag_of_that_kind_is_open(client, editor, flags):
    """The Leahy condition has a resolved overdue flag; a newer one raised since is the
    one to act on (at most one active flag per record and kind)."""
    resolved = flags["resolved"]
    Flag.objects.create(condition=resolved.condition, kind=Flag.Kind.REVIEW_OVERDUE)
    client.force_login(editor)
    response = client.post(
        reverse("conditions:flag_reopen", args=[resolved.pk]), {"next": FLAGS}, follow=True
    )
    assert "A newer flag of this kind is open" in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == Flag.Status.RESOLVED


def test_the_list_names_what_a_flag_is_about_and_writes_dates_one_way(client, auditor):
    import datetime

    from tests.factories import AgreementFactory

    condition = ConditionFactory(title="FMF certification")
    Flag.objects.create(
        condition=condition, kind=Flag.Kind.REVIEW_OVERDUE, due_on=datetime.date(2026, 3, 5)
    )
    agreement = AgreementFactory(reference="DTC-2026-0099")
    Flag.objects.create(
        agreement=agreement, kind=Flag.Kind.CASE_ACT_OVERDUE, due_on=datetime.date(2026, 3, 5)
    )
    client.force_login(auditor)
    response = client.get(FLAGS)
    html = response.content.decode()
    assert ">About<" in html and ">Condition<" not in html
    texts = rows(response)
    assert any("Condition FMF certification" in t for t in texts)
    assert any("Agreement DTC-2026-0099" in t for t in texts)
    assert all("Mar 5, 2026" in t for t in texts)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", " ".join(texts))
