"""Federal-site conventions: banner, identifier, system-use notice, breadcrumbs, error summary."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from core.web.signin import NOT_ACCEPTED
from core.web.site import DEFAULT_SYSTEM_USE_NOTICE
from tests.factories import AgreementFactory, ConditionFactory, UserFactory

pytestmark = pytest.mark.django_db
BANNER = "An official website of the United States government"
PASSWORD = "correct-horse-battery-staple"
LOGIN = reverse("login")


def test_banner_and_identifier_on_signed_in_pages_sign_in_and_error_pages(client, auditor):
    login_page = client.get(LOGIN).content.decode()
    assert BANNER in login_page and "usa-identifier" in login_page
    client.force_login(auditor)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert dashboard.index(BANNER) < dashboard.index("usa-header")  # at the very top
    assert "usa-identifier" in dashboard and "Visit USA.gov" in dashboard
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and BANNER in missing.content.decode()
    api_docs = client.get(reverse("api-docs")).content.decode()
    assert api_docs.index(BANNER) < api_docs.index('id="swagger-ui"')


@override_settings(
    SITE_AGENCY_NAME="U.S. Department of State",
    SITE_AGENCY_URL="https://www.state.gov/",
    SITE_DOMAIN="registry.example.gov",
    SITE_IDENTIFIER_LINKS=["Privacy policy|https://www.state.gov/privacy-policy/"],
)
def test_the_identifier_names_the_configured_agency(client):
    html = client.get(LOGIN).content.decode()
    assert (
        'official website of the <a href="https://www.state.gov/">U.S. Department of State' in html
    )
    assert "registry.example.gov" in html and "Privacy policy" in html


def test_sign_in_page_shows_the_system_use_notice(client):
    html = client.get(LOGIN).content.decode()
    assert "System-use notice" in html
    assert "provided for U.S. Government-authorized use only" in html
    assert 'name="accept_notice"' in html


@override_settings(SYSTEM_USE_NOTICE="Authorized users only.\n\nEverything is logged.")
def test_the_notice_text_comes_from_the_setting(client):
    html = client.get(LOGIN).content.decode()
    assert "<p>Authorized users only.</p>" in html and "<p>Everything is logged.</p>" in html
    assert DEFAULT_SYSTEM_USE_NOTICE[:40] not in html


def test_nobody_signs_in_without_accepting_the_notice(client):
    UserFactory(username="alice", role="editor")
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert NOT_ACCEPTED in html and 'href="#id_accept_notice"' in html
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_notice_is_accepted_once_per_session(client):
    UserFactory(username="alice", role="editor")
    mistyped = client.post(LOGIN, {"username": "alice", "password": "wrong", "accept_notice": "on"})
    html = mistyped.content.decode()
    assert "did not match" in html
    assert "You accepted the system-use notice for this session." in html
    assert 'name="accept_notice"' not in html  # not asked again in this session

    signed_in = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200

    client.post(reverse("logout"))  # a new session: the notice again
    assert 'name="accept_notice"' in client.get(LOGIN).content.decode()


def crumbs(html: str) -> list[str]:
    nav = html.split('aria-label="Breadcrumbs">', 1)[1].split("</nav>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in nav.split("</li>")[:-1]]


def test_detail_and_edit_pages_have_breadcrumbs(client, editor):
    agreement = AgreementFactory(reference="DTC-2026-0042", title="Glide phase interceptor")
    condition = ConditionFactory(title="Leahy vetting, unit X")
    client.force_login(editor)
    detail = client.get(reverse("agreements:agreement_detail", args=[agreement.pk]))
    html = detail.content.decode()
    assert crumbs(html)[:2] == ["Home", "Agreements"]
    assert 'aria-current="page"' in html.split('aria-label="Breadcrumbs"', 1)[1]
    edit = client.get(reverse("agreements:agreement_update", args=[agreement.pk]))
    assert crumbs(edit.content.decode())[:2] == ["Home", "Agreements"]
    assert crumbs(edit.content.decode())[-1] == "Edit"
    new = client.get(reverse("agreements:technology_area_create")).content.decode()
    assert crumbs(new) == ["Home", "Technology areas", "New technology area"]
    review = client.get(reverse("conditions:review_create", args=[condition.pk]))
    assert crumbs(review.content.decode()) == [
        "Home",
        "Conditions",
        "Leahy vetting, unit X",
        "New review",
    ]
    on_condition = client.get(reverse("conditions:condition_detail", args=[condition.pk]))
    assert crumbs(on_condition.content.decode()) == ["Home", "Conditions", "Leahy vetting, unit X"]


def test_error_summary_lists_every_error_with_a_link_to_its_field(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("agreements:agreement_create"),
        {
            "reference": "",
            "title": "",
            "agreement_type": "co_development",
            "status": "signed",
            "technology_transfer_risk": "high",
            "participants-TOTAL_FORMS": "1",
            "participants-INITIAL_FORMS": "0",
            "participants-0-role": "lead",
            "participants-0-cost_share_percent": "50",
            "legal_bases-TOTAL_FORMS": "0",
            "legal_bases-INITIAL_FORMS": "0",
            "industrial_participants-TOTAL_FORMS": "0",
            "industrial_participants-INITIAL_FORMS": "0",
        },
    )
    html = response.content.decode()
    summary = html.split('class="usa-alert usa-alert--error app-error-summary"', 1)[1]
    summary = summary.split("</div>\n</div>", 1)[0]
    assert 'tabindex="-1"' in html.split("app-error-summary", 1)[1][:120]
    assert '<a href="#id_reference">Reference: This field is required.</a>' in summary
    assert '<a href="#id_title">Title: This field is required.</a>' in summary
    assert 'href="#id_participants-0-partner">Participants, row 1: Partner' in summary
    for anchor in re.findall(r'href="#([^"]+)"', summary):
        assert f'id="{anchor}"' in html, anchor


def test_legal_fields_explain_their_format(client, editor):
    client.force_login(editor)
    agreement_form = client.get(reverse("agreements:agreement_create")).content.decode()
    assert "e.g. DTC-2026-0042" in agreement_form
    act_form = client.get(reverse("agreements:act_create")).content.decode()
    assert "e.g. 119-60 for Pub. L. 119-60" in act_form and "e.g. 82 Stat. 1320" in act_form


def test_a_form_outside_the_service_views_lists_its_errors_too(client, editor):
    client.force_login(editor)
    response = client.post(reverse("imports:upload"), {})
    html = response.content.decode()
    summary = html.split("app-error-summary", 1)[1].split("</ul>", 1)[0]
    assert '<a href="#id_file">' in summary and "This field is required." in summary


def test_a_records_history_page_has_breadcrumbs_back_to_the_record(client, auditor):
    agreement = AgreementFactory(reference="DTC-2026-0042", title="Glide phase interceptor")
    client.force_login(auditor)
    url = reverse("history:object", args=["agreements.agreement", agreement.pk])
    html = client.get(url).content.decode()
    trail = crumbs(html)
    assert trail[:2] == ["Home", "Agreements"] and trail[-1] == "Change history"
    assert f'href="{reverse("agreements:agreement_detail", args=[agreement.pk])}"' in html
