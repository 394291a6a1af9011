"""The Case Act report leaves out agreements (and parties) the reader may not see, and is
marked with what it shows: page, CSV and API."""

import csv
import io

from django.urls import reverse

from agreements.case_act import case_act_report
from tests.api.conftest import token_client
from tests.factories import CountryFactory, ParticipantFactory
from tests.markings.conftest import EXPT

BANNER = "CUI//SP-EXPT//NOFORN"


def _hidden_party(marked):
    """An EXPT partner as a party of the open agreement."""
    secret = CountryFactory(name="Secretland", iso3="SEC", **EXPT)
    ParticipantFactory(agreement=marked["open_agreement"], partner=secret)


def test_report_leaves_out_hidden_agreements_and_parties(marked, cleared, uncleared):
    _hidden_party(marked)
    month = marked["open_agreement"].signed_on
    shown = case_act_report(month, user=uncleared)
    listed = [*shown.rows, *shown.errors]
    assert [r["reference"] for r in listed] == ["DTC-2024-OPEN"]
    assert [p["name"] for p in listed[0]["parties"]] == ["Israel"]
    assert shown.marking.banner == "UNCLASSIFIED"
    full = case_act_report(month, user=cleared)
    references = sorted(r["reference"] for r in [*full.rows, *full.errors])
    assert references == ["DTC-2024-OPEN", "DTC-2024-SECRET"]
    assert full.marking.banner == BANNER
    assert case_act_report(month).marking.banner == "UNCLASSIFIED"  # no user: uncontrolled


def test_page_csv_and_api_are_filtered_and_marked(client, marked, cleared, uncleared):
    month = {"month": "2024-01"}
    client.force_login(uncleared)
    page = client.get(reverse("reports:case_act"), month).content.decode()
    assert "DTC-2024-OPEN" in page and "DTC-2024-SECRET" not in page
    assert "UNCLASSIFIED" in page
    exported = b"".join(client.get(reverse("reports:case_act_csv"), month).streaming_content)
    assert b"DTC-2024-SECRET" not in exported and not exported.startswith(b"CUI")
    api = token_client(uncleared).get("/api/v1/reports/case-act/", month)
    assert api["X-CUI-Marking"] == "UNCLASSIFIED"
    assert "DTC-2024-SECRET" not in api.content.decode()

    client.force_login(cleared)
    page = client.get(reverse("reports:case_act"), month).content.decode()
    assert "DTC-2024-SECRET" in page and BANNER in page
    exported = b"".join(client.get(reverse("reports:case_act_csv"), month).streaming_content)
    lines = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert lines[0] == [BANNER]
    assert any("DTC-2024-SECRET" in line for line in lines)
    api = token_client(cleared).get("/api/v1/reports/case-act/", month)
    assert api["X-CUI-Marking"] == BANNER
    assert "DTC-2024-SECRET" in api.content.decode()
