"""A user without cui:EXPT sees no EXPT record, in lists, on its own URL, in the API, in the
reports' counts and in exports; a user with it sees them, marked."""

import csv
import datetime
import io

from django.urls import reverse

from registry.reports.access import access_report
from registry.reports.enforcement import enforcement_report
from registry.reports.params import ReportParams
from tests.api.conftest import token_client

BANNER = "CUI//SP-EXPT//NOFORN"


def test_api_lists_and_details_leave_out_what_the_user_may_not_see(marked, uncleared):
    api = token_client(uncleared)
    listed = api.get("/api/v1/conditions/").json()["results"]
    assert [c["title"] for c in listed] == ["Condition open"]
    assert listed[0]["marking"] == "UNCLASSIFIED"
    secret = marked["secret_condition"]
    assert api.get(f"/api/v1/conditions/{secret.pk}/").status_code == 404
    assert api.patch(f"/api/v1/conditions/{secret.pk}/", {"title": "x"}).status_code == 404
    assert api.get(f"/api/v1/agreements/{marked['secret_agreement'].pk}/").status_code == 404
    waivers = api.get("/api/v1/waivers/").json()["results"]
    assert {w["condition"] for w in waivers} == {marked["open_condition"].pk}
    history = api.get(f"/api/v1/conditions/{marked['open_condition'].pk}/waiver-history/")
    assert history["X-CUI-Marking"] == "UNCLASSIFIED"


def test_api_shows_a_cleared_user_the_marking_field_and_header(marked, cleared):
    api = token_client(cleared)
    secret = marked["secret_condition"]
    response = api.get(f"/api/v1/conditions/{secret.pk}/")
    assert response.status_code == 200
    assert response.json()["marking"] == BANNER
    assert response.json()["marking_categories"] == ["EXPT"]
    assert response["X-CUI-Marking"] == BANNER
    listed = api.get("/api/v1/conditions/")
    assert len(listed.json()["results"]) == 2
    assert listed["X-CUI-Marking"] == BANNER


def test_api_writes_a_marking_and_refuses_a_bad_one(marked, cleared):
    from django.contrib.auth.models import Group

    cleared.groups.add(Group.objects.get_or_create(name="cui:PRVCY")[0])  # marks what it holds
    api = token_client(cleared)
    url = f"/api/v1/partners/{marked['partner'].pk}/"
    bad = api.patch(url, {"marking_dissemination": "NOFORN"}, format="json")
    assert bad.status_code == 400
    assert "marking_dissemination" in bad.json()
    good = api.patch(
        url,
        {"marking_categories": ["PRVCY"], "marking_dissemination": "REL TO"}
        | {"marking_rel_to": ["gbr"]},
        format="json",
    )
    assert good.status_code == 200, good.json()
    assert good.json()["marking"] == "CUI//PRVCY//REL TO USA, GBR"


def test_pages_leave_out_and_404_what_the_user_may_not_see(client, marked, uncleared):
    client.force_login(uncleared)
    page = client.get(reverse("conditions:condition_list"))
    assert b"Condition open" in page.content and b"Condition secret" not in page.content
    assert page.context["marking"].banner == "UNCLASSIFIED"
    secret = marked["secret_condition"]
    for name in ("condition_detail", "condition_update", "waiver_create", "review_create"):
        url = reverse(f"conditions:{name}", args=[secret.pk])
        assert client.get(url).status_code == 404, name
    detail = reverse("conditions:condition_detail", args=[secret.pk])
    assert client.get(detail + "?as_of=2020-01-01").status_code == 404
    partner = client.get(reverse("partners:partner_detail", args=[marked["partner"].pk]))
    assert b"Condition secret" not in partner.content and b"DTC-2024-SECRET" not in partner.content


def test_pages_mark_what_a_cleared_user_sees(client, marked, cleared):
    client.force_login(cleared)
    page = client.get(reverse("conditions:condition_list"))
    assert page.context["marking"].banner == BANNER
    assert page.content.count(f'data-marking="{BANNER}"'.encode()) == 2  # top and bottom
    assert b'class="usa-tag app-marking-tag"' in page.content  # the row's tag
    partner = client.get(reverse("partners:partner_detail", args=[marked["partner"].pk]))
    assert partner.context["marking"].banner == BANNER  # it lists an EXPT condition
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.context["marking"].banner == BANNER


def test_enforcement_report_counts_only_what_the_reader_may_see(marked):
    def israel_2025(categories):
        report = enforcement_report(ReportParams(categories=categories))
        return next(r for r in report.rows if r["partner"] == "Israel" and r["fiscal_year"] == 2025)

    assert israel_2025(())["conditions_in_force"] == 1
    assert israel_2025(())["waivers_granted"] == 1
    assert israel_2025(("EXPT",))["conditions_in_force"] == 2
    assert israel_2025(("EXPT",))["waivers_granted"] == 2


def test_access_report_counts_only_what_the_reader_may_see(marked):
    def held(categories):
        report = access_report(ReportParams(categories=categories))
        return next(r for r in report.rows if r["partner"] == "Israel")["agreements"]

    assert held(()) == ["DTC-2024-OPEN"]
    assert held(("EXPT",)) == ["DTC-2024-OPEN", "DTC-2024-SECRET"]


def test_report_pages_and_api_follow_the_readers_groups(client, marked, uncleared, cleared):
    client.force_login(uncleared)
    page = client.get(reverse("reports:enforcement"))
    assert page.context["marking"].banner == "UNCLASSIFIED"
    assert b"DTC-2024-SECRET" not in client.get(reverse("reports:access")).content
    api = token_client(uncleared).get("/api/v1/reports/access/")
    assert "DTC-2024-SECRET" not in api.content.decode()
    assert api["X-CUI-Marking"] == "UNCLASSIFIED"
    client.force_login(cleared)
    assert client.get(reverse("reports:access")).context["marking"].banner == BANNER


def test_a_cui_export_begins_with_its_marking_line(client, marked, cleared, uncleared):
    client.force_login(cleared)
    response = client.get(reverse("reports:enforcement_csv"))
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0] == [BANNER]
    assert lines[1][:3] == ["as_of", "partner", "fiscal_year"]
    waivers = client.get(reverse("conditions:waiver_export"))
    assert b"".join(waivers.streaming_content).decode().splitlines()[0] == BANNER
    client.force_login(uncleared)  # nothing controlled in it: the header comes first
    plain = b"".join(client.get(reverse("conditions:waiver_export")).streaming_content).decode()
    assert plain.splitlines()[0].startswith("id,")
    assert "Condition secret" not in plain


def test_a_classified_justification_is_only_a_short_summary(client, marked, cleared):
    from tests.factories import waiver_fields

    condition = marked["open_condition"]
    body = waiver_fields(authority=condition.legal_basis, justification_classified=True)
    body = {k: (v.pk if hasattr(v, "pk") else v) for k, v in body.items()}
    body = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in body.items()}
    api = token_client(cleared)
    refused = api.post(
        "/api/v1/waivers/",
        {**body, "condition": condition.pk} | {"justification": "x" * 501},
        format="json",
    )
    assert refused.status_code == 400
    assert "justification" in refused.json()
    accepted = api.post("/api/v1/waivers/", {**body, "condition": condition.pk}, format="json")
    assert accepted.status_code == 201, accepted.json()
    client.force_login(cleared)
    page = client.get(reverse("conditions:condition_detail", args=[condition.pk]))
    assert b"The classified justification is not held here." in page.content


def test_a_past_state_through_the_api_is_marked_and_hidden_alike(marked, cleared, uncleared):
    url = f"/api/v1/agreements/{marked['secret_agreement'].pk}/"
    day = {"as_of": datetime.date.today().isoformat()}
    assert token_client(uncleared).get(url, day).status_code == 404
    then = token_client(cleared).get(url, day)
    assert then.status_code == 200 and then.json()["marking"] == "CUI//SP-EXPT//NOFORN"
    open_url = f"/api/v1/agreements/{marked['open_agreement'].pk}/"
    assert token_client(uncleared).get(open_url, day).json()["marking"] == "UNCLASSIFIED"
