"""The Case Act monthly report and its overdue flag (1 U.S.C. 112b; issue 16 part 4)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agreements.models import Agreement
from conditions.models import Flag, Notification
from conditions.services.scan import scan_conditions
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    LegalBasisFactory,
    ParticipantFactory,
    ProvisionFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def october(db):
    """October 2025: a signed MOU, an arrangement entered into force, one with no authority."""
    japan = CountryFactory(name="Japan", iso3="JPN")
    rdte = ProvisionFactory(section="2350a", codification="10 U.S.C. 2350a")
    mou = AgreementFactory(
        reference="DTC-2025-0010",
        title="RDT&E MOU",
        signed_on=D(2025, 10, 6),
        agreement_type="framework",
        binding=True,
    )
    ParticipantFactory(agreement=mou, partner=japan, role="lead")
    LegalBasisFactory(agreement=mou, provision=rdte, pinpoint="(a)(1)(B)")
    LegalBasisFactory(agreement=mou, role="funds")  # funding is no authority: not cited
    arrangement = AgreementFactory(
        reference="DTC-2025-0007",
        title="GPI project arrangement",
        signed_on=D(2025, 9, 2),
        entry_into_force_on=D(2025, 10, 20),
        binding=False,
    )
    LegalBasisFactory(agreement=arrangement, provision=rdte)
    orphan = AgreementFactory(reference="DTC-2025-0011", signed_on=D(2025, 10, 30))
    AgreementFactory(reference="DTC-2025-0099", signed_on=D(2025, 11, 1))  # next month
    return {"mou": mou, "arrangement": arrangement, "orphan": orphan}


def test_api_lists_the_months_agreements_with_pinpoint_citations(auditor, october):
    api = APIClient()
    api.force_authenticate(auditor)
    data = api.get("/api/v1/reports/case-act/?month=2025-10").json()
    assert (data["month"], data["due_on"]) == ("2025-10", "2025-11-30")
    rows = {r["reference"]: r for r in data["rows"]}
    assert list(rows) == ["DTC-2025-0007", "DTC-2025-0010"]  # by signature date
    mou = rows["DTC-2025-0010"]
    assert mou["authorities"] == ["10 U.S.C. 2350a(a)(1)(B)"]
    assert mou["parties"] == [
        {"partner_id": mou["parties"][0]["partner_id"], "name": "Japan", "role": "Lead"}
    ]
    assert (mou["instrument"], mou["events"]) == ("International agreement", "signature")
    arrangement = rows["DTC-2025-0007"]
    assert (arrangement["instrument"], arrangement["events"]) == (
        "Non-binding instrument",
        "entry into force",
    )
    assert [e["reference"] for e in data["errors"]] == ["DTC-2025-0011"]
    assert "No authorizing legal basis" in data["errors"][0]["error"]


def test_page_and_csv_show_the_same_report(client, auditor, october):
    client.force_login(auditor)
    page = client.get(reverse("reports:case_act") + "?month=2025-10")
    assert page.status_code == 200
    html = page.content.decode()
    assert "10 U.S.C. 2350a(a)(1)(B)" in html and "Agreements that cannot be reported yet" in html
    response = client.get(reverse("reports:case_act_csv") + "?month=2025-10")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r[1] for r in rows[1:]] == ["DTC-2025-0007", "DTC-2025-0010", "DTC-2025-0011"]
    assert rows[3][-1].startswith("No authorizing legal basis")
    assert response["Content-Disposition"].startswith('attachment; filename="case-act-')


def test_an_empty_month_is_refused_by_the_api_and_means_last_month_on_the_page(auditor, client):
    api = APIClient()
    api.force_authenticate(auditor)
    assert api.get("/api/v1/reports/case-act/?month=").status_code == 400
    assert api.get("/api/v1/reports/case-act/").status_code == 200
    client.force_login(auditor)
    assert client.get(reverse("reports:case_act") + "?month=").context["report"] is not None


@pytest.mark.parametrize("month", ["2025-13", "october", "9999-01", "2025-1"])
def test_a_bad_month_is_a_clear_400(auditor, client, month):
    api = APIClient()
    api.force_authenticate(auditor)
    response = api.get(f"/api/v1/reports/case-act/?month={month}")
    assert response.status_code == 400 and "month" in response.json()
    client.force_login(auditor)
    assert client.get(reverse("reports:case_act_csv") + f"?month={month}").status_code == 400
    page = client.get(reverse("reports:case_act") + f"?month={month}")
    assert page.status_code == 200 and page.context["report"] is None


def test_a_bad_pinpoint_is_refused_naming_the_field(editor):
    api = APIClient()
    api.force_authenticate(editor)
    agreement = AgreementFactory()
    provision = ProvisionFactory()
    response = api.patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"legal_bases": [{"provision": provision.pk, "role": "authorizes", "pinpoint": "a-1"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "pinpoint" in str(response.json())


def test_an_untransmitted_agreement_is_flagged_after_the_following_month(october):
    mou = october["mou"]
    scan_conditions(today=D(2025, 11, 30))  # still in time
    assert not Flag.objects.filter(agreement=mou, kind="case_act_overdue").exists()
    scan_conditions(today=D(2025, 12, 1))
    flag = Flag.objects.get(agreement=mou, kind="case_act_overdue")
    assert (flag.status, flag.due_on, flag.condition_id) == ("open", D(2025, 11, 30), None)
    note = Notification.objects.get(flag=flag)
    assert note.office == "Office of Treaty Affairs (L/T)" and "DTC-2025-0010" in note.subject
    # The arrangement signed in September was due by 31 October.
    arrangement = october["arrangement"]
    assert Flag.objects.get(agreement=arrangement, kind="case_act_overdue").due_on == D(
        2025, 10, 31
    )
    Agreement.objects.filter(pk=mou.pk).update(case_act_transmitted_on=D(2025, 12, 3))
    result = scan_conditions(today=D(2025, 12, 4))
    flag.refresh_from_db()
    assert flag.status == "resolved" and result.resolved >= 1
    assert not Flag.objects.filter(agreement=mou, status="open").exists()


def test_agreements_before_the_reporting_rule_are_not_flagged(db):
    AgreementFactory(signed_on=D(2014, 3, 5))
    scan_conditions(today=D(2025, 12, 1))
    assert not Flag.objects.filter(kind="case_act_overdue").exists()


def test_flag_list_shows_and_resolves_an_agreement_flag(client, editor, october):
    scan_conditions(today=D(2025, 12, 1))
    flag = Flag.objects.get(agreement=october["mou"], kind="case_act_overdue")
    client.force_login(editor)
    html = client.get(reverse("conditions:flag_list") + "?kind=case_act_overdue").content
    assert b"Case Act report overdue" in html and b"DTC-2025-0010" in html
    response = client.post(reverse("conditions:flag_resolve", args=[flag.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:agreement_detail", args=[october["mou"].pk])
    flag.refresh_from_db()
    assert flag.status == "resolved"
