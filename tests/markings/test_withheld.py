"""Whatever is derived from records a reader may not see says so: `records_withheld` on
reports and on condition and agreement details, in words on the pages; a condition's status
and next review date are withheld when hidden records set them
(docs/decisions/0034-need-to-know.md)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from conditions.services import waiver_record
from tests.api.conftest import token_client
from tests.factories import (
    AgreementFactory,
    ConditionFactory,
    CountryFactory,
    ParticipantFactory,
    UserFactory,
    waiver_fields,
)
from tests.markings.conftest import EXPT

MILLION = Decimal("1000000")


@pytest.fixture
def cleared_auditor(db):
    user = UserFactory(username="cleared_auditor", role="auditor")
    user.groups.add(Group.objects.get_or_create(name="cui:EXPT")[0])
    return user


@pytest.fixture
def egypt(cleared):
    """Egypt FY2024: $320M conditioned (an open condition); a grant of $300M corrected to
    $224M (70 %), both entries marked CUI//SP-EXPT."""
    partner = CountryFactory(name="Egypt", iso3="EGY")
    condition = ConditionFactory(
        partner=partner,
        title="FMF human-rights condition",
        fiscal_year=2024,
        amount_conditioned_usd=320 * MILLION,
    )
    condition.refresh_from_db()
    grant = waiver_record(
        condition=condition,
        actor=cleared,
        **waiver_fields(authority=condition.legal_basis, amount_usd=300 * MILLION, **EXPT),
    )
    correction = waiver_record(
        condition=condition,
        actor=cleared,
        **waiver_fields(
            authority=condition.legal_basis,
            action="corrected",
            amends=grant,
            amount_usd=224 * MILLION,
        ),
    )
    assert correction.marking_categories == ["EXPT"]  # carries the entry it amends
    condition.refresh_from_db()
    return {"condition": condition, "grant": grant}


def _egypt_2024(body):
    return next(r for r in body["rows"] if r["partner"] == "Egypt" and r["fiscal_year"] == 2024)


def test_an_uncleared_auditors_enforcement_report_says_what_was_withheld(
    client, egypt, auditor, cleared_auditor
):
    uncleared = token_client(auditor).get("/api/v1/reports/enforcement/").json()
    assert uncleared["records_withheld"] == 2
    row = _egypt_2024(uncleared)
    assert Decimal(row["amount_withheld_usd"]) == 320 * MILLION
    assert not row["waivers_granted"]
    cleared = token_client(cleared_auditor).get("/api/v1/reports/enforcement/").json()
    assert cleared["records_withheld"] == 0
    row = _egypt_2024(cleared)
    assert Decimal(row["share_waived_percent"]) == Decimal("70.00")
    assert row["waivers_granted"] == 1 and row["waivers_corrected"] == 1
    client.force_login(auditor)
    page = client.get(reverse("reports:enforcement"))
    assert page.context["records_withheld"] == 2
    assert b"2 records you are not cleared for were left out" in page.content
    client.force_login(cleared_auditor)
    page = client.get(reverse("reports:enforcement"))
    assert b"you are not cleared for" not in page.content


def test_every_report_response_carries_records_withheld(client, egypt, marked, auditor):
    api = token_client(auditor)
    for name in ("access", "industrial-base", "enforcement", "case-act"):
        body = api.get(f"/api/v1/reports/{name}/").json()
        assert isinstance(body["records_withheld"], int), name
    assert api.get("/api/v1/reports/access/").json()["records_withheld"] >= 1  # SECRET agreement


def test_a_condition_shaped_by_hidden_entries_shows_its_status_as_withheld(
    client, egypt, auditor, cleared_auditor
):
    condition = egypt["condition"]
    url = f"/api/v1/conditions/{condition.pk}/"
    uncleared = token_client(auditor).get(url)
    body = uncleared.json()
    assert body["records_withheld"] == 2
    assert body["status"] is None and body["next_review_due"] is None
    assert uncleared["ETag"] == f'"{body["version"]}"'
    cleared = token_client(cleared_auditor).get(url).json()
    assert cleared["records_withheld"] == 0
    assert cleared["status"] == "waived"
    assert cleared["next_review_due"] == condition.next_review_due.isoformat()
    client.force_login(auditor)
    page = client.get(reverse("conditions:condition_detail", args=[condition.pk]))
    assert page.context["records_withheld"] == 2
    text = page.content.decode()
    assert "2 records you are not cleared for were left out" in text
    assert text.count("Withheld (2 records you are not cleared for)") == 3
    client.force_login(cleared_auditor)
    page = client.get(reverse("conditions:condition_detail", args=[condition.pk]))
    assert b"you are not cleared for" not in page.content


def test_a_hidden_entry_is_not_offered_for_amendment(client, egypt, uncleared):
    client.force_login(uncleared)
    url = reverse("conditions:waiver_create", args=[egypt["condition"].pk])
    page = client.get(url, {"amends": egypt["grant"].pk, "action": "extended"})
    assert page.status_code == 200
    assert "amends" not in page.context["form"].initial


def test_an_agreement_with_a_hidden_party_counts_it_and_leaves_it_out(
    client, auditor, cleared_auditor
):
    agreement = AgreementFactory(
        reference="DTC-2024-0042", signed_on=datetime.date(2024, 1, 2), status="in_force"
    )
    ParticipantFactory(agreement=agreement, partner=CountryFactory(name="Seen", iso3="SEE"))
    ParticipantFactory(
        agreement=agreement, partner=CountryFactory(name="Unseen", iso3="UNS", **EXPT)
    )
    url = f"/api/v1/agreements/{agreement.pk}/"
    assert token_client(auditor).get(url).json()["records_withheld"] == 1
    assert token_client(cleared_auditor).get(url).json()["records_withheld"] == 0
    client.force_login(auditor)
    page = client.get(reverse("agreements:agreement_detail", args=[agreement.pk]))
    assert b"Unseen" not in page.content and b"Seen" in page.content
    assert b"1 record you are not cleared for was left out" in page.content
