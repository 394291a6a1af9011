"""Report pages, CSV exports and API endpoints: roles, filters, numbers, schema."""

import csv
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import AgreementFactory, ParticipantFactory, PartnerFactory

PAGES = ["reports:access", "reports:industrial_base", "reports:enforcement"]
CSVS = ["reports:access_csv", "reports:industrial_base_csv", "reports:enforcement_csv"]
APIS = [
    "/api/v1/reports/access/",
    "/api/v1/reports/industrial-base/",
    "/api/v1/reports/enforcement/",
]
PERIOD = "year_from=2023&year_to=2025&as_of=2025-06-30"


@pytest.mark.parametrize("name", PAGES + CSVS)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_auditors_read_every_report_page(client, auditor, name):
    client.force_login(auditor)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b"Download CSV" in response.content


def test_enforcement_page_shows_the_hand_computed_numbers(client, auditor, enforcement_data):
    client.force_login(auditor)
    response = client.get(reverse("reports:enforcement") + "?" + PERIOD)
    text = response.content.decode()
    assert "73.44" in text and "37.90%" in text  # Egypt FY2023, Egypt over the period
    assert "<svg" in text and 'role="img"' in text
    assert "style=" not in text and "<script>" not in text


def test_access_page_matrix(client, auditor, access_data):
    client.force_login(auditor)
    response = client.get(reverse("reports:access") + "?as_of=2024-01-01")
    text = response.content.decode()
    assert "Missile defense" in text and "Co-development, Licensed manufacturing" in text
    # Counts per partner, not references: Japan holds 3, Turkey is suspended from 1.
    rows = {row["partner"]: row for row in response.context["report"].rows}
    assert (rows["Japan"]["agreements_count"], rows["Japan"]["suspended_count"]) == (3, 0)
    assert (rows["Turkey"]["agreements_count"], rows["Turkey"]["suspended_count"]) == (0, 1)
    assert "<td>3</td>\n      <td>0</td>" in text and "<td>0</td>\n      <td>1</td>" in text
    assert "DTC-F35" not in text and "Agreements held" in text


def test_access_csv_lists_every_reference_the_page_counts(client, auditor, access_data):
    client.force_login(auditor)
    rows = read_csv(client.get(reverse("reports:access_csv") + "?as_of=2024-01-01"))
    lines = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    # Each area's line lists the agreements giving that area; together, all the page counts.
    japan = [line["agreements"].split() for line in lines if line["partner"] == "Japan"]
    assert {ref for refs in japan for ref in refs} == {"DTC-F35", "DTC-PAC3", "DTC-SM3"}
    turkey = next(line for line in lines if line["partner"] == "Turkey")
    assert turkey["suspended_participations"] == "DTC-F35"


def test_access_page_size_does_not_grow_with_the_agreements(client, auditor, db):
    norway = PartnerFactory(name="Norway", iso3="NOR", kind="country")
    client.force_login(auditor)
    sizes = []
    for more in (12, 48):  # 12 agreements, then 60: two-digit counts both times
        for _ in range(more):
            ParticipantFactory(agreement=AgreementFactory(), partner=norway)
        sizes.append(len(client.get(reverse("reports:access")).content))
    # A reference per agreement would add some 15 bytes each.
    assert sizes[0] == sizes[1]


def test_invalid_filters_are_named_not_a_crash(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("reports:enforcement") + "?year_from=2025&year_to=2020")
    assert response.status_code == 200
    assert b"The last year comes before the first." in response.content
    response = client.get(reverse("reports:enforcement_csv") + "?as_of=yesterday")
    assert response.status_code == 400
    assert b"as_of" in b"".join(response.streaming_content)


def read_csv(response) -> list[list[str]]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_enforcement_csv_is_streamed_with_the_same_numbers(client, auditor, enforcement_data):
    client.force_login(auditor)
    response = client.get(reverse("reports:enforcement_csv") + "?" + PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    header = rows[0]
    egypt = dict(zip(header, next(r for r in rows if r[1:3] == ["Egypt", "2023"]), strict=True))
    assert egypt["amount_conditioned_usd"] == "320000000.00"
    assert egypt["amount_waived_usd"] == "235000000.00"
    assert egypt["amount_withheld_usd"] == "85000000.00"
    assert egypt["notifications_late"] == "1"


def test_industrial_and_access_csv(client, auditor, industrial_data):
    client.force_login(auditor)
    rows = read_csv(client.get(reverse("reports:industrial_base_csv")))
    assert rows[0][:3] == ["partner", "year", "us_state"]
    assert [
        "Israel",
        "2020",
        "AZ",
        "31-33 Manufacturing",
        "1",
        "1",
        "200000000.00",
        "100.00",
        "55.00",
    ] in rows
    japan = industrial_data["japan"]
    rows = read_csv(client.get(reverse("reports:access_csv") + f"?partner={japan.pk}"))
    assert {r[1] for r in rows[1:]} == {"Japan"}


ACCESS_HEADER = [
    "as_of",
    "partner",
    "iso3",
    "designations",
    "designations_label",
    "technology_area",
    "agreements_in_force",
    "agreement_types",
    "agreement_types_label",
    "agreements",
    "suspended_participations",
]
INDUSTRIAL_HEADER = [
    "partner",
    "year",
    "us_state",
    "sector_name",
    "contracts",
    "agreements",
    "value_usd",
    "share_of_partner_year_value_percent",
    "average_work_share_percent",
]
CASE_ACT_HEADER = [
    "month",
    "reference",
    "title",
    "instrument",
    "agreement_type",
    "status",
    "events",
    "signed_on",
    "entry_into_force_on",
    "parties",
    "authorities",
    "transmitted_on",
    "due_on",
    "error",
]


@pytest.mark.parametrize(
    ("name", "filename", "header"),
    [
        ("reports:access_csv", "access", ACCESS_HEADER),
        ("reports:industrial_base_csv", "industrial-base", INDUSTRIAL_HEADER),
        ("reports:case_act_csv", "case-act", CASE_ACT_HEADER),
    ],
)
def test_each_report_csv_keeps_its_header_and_filename(client, auditor, name, filename, header):
    from core.registry_day import registry_today

    client.force_login(auditor)
    response = client.get(reverse(name))
    stamp = registry_today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="{filename}-{stamp}.csv"'
    assert read_csv(response)[0] == header


def test_enforcement_csv_header(client, auditor):
    client.force_login(auditor)
    header = read_csv(client.get(reverse("reports:enforcement_csv")))[0]
    assert header[:7] == [
        "as_of",
        "partner",
        "fiscal_year",
        "conditions_in_force",
        "reviews_held",
        "reviews_on_time",
        "reviews_late",
    ]
    assert header[-3:] == ["days_under_waiver", "notifications_late", "notifications_missing"]


def test_access_csv_has_a_label_beside_each_code(client, auditor, access_data):
    client.force_login(auditor)
    rows = read_csv(client.get(reverse("reports:access_csv") + "?as_of=2024-01-01"))
    lines = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    turkey = next(line for line in lines if line["partner"] == "Turkey")
    assert (turkey["designations"], turkey["designations_label"]) == ("nato_member", "NATO member")
    japan = next(r for r in lines if (r["partner"], r["technology_area"]) == ("Japan", "Aircraft"))
    assert (japan["agreement_types"], japan["agreement_types_label"]) == (
        "co_development",
        "Co-development",
    )


def test_csv_cells_cannot_start_a_formula(client, auditor, db):
    from partners.models import Partner
    from tests.factories import AgreementFactory, ParticipantFactory

    evil = Partner.objects.create(name="=HYPERLINK(1)", kind="company")
    ParticipantFactory(agreement=AgreementFactory(), partner=evil)
    client.force_login(auditor)
    rows = read_csv(client.get(reverse("reports:access_csv")))
    assert rows[1][1] == "'=HYPERLINK(1)"


@pytest.fixture
def api(auditor):
    client = APIClient()
    client.force_authenticate(auditor)
    return client


def test_api_enforcement_numbers(api, enforcement_data):
    data = api.get(f"/api/v1/reports/enforcement/?{PERIOD}").json()
    assert data["as_of"] == "2025-06-30"
    row = next(r for r in data["rows"] if (r["partner"], r["fiscal_year"]) == ("Egypt", 2023))
    assert row["amount_waived_usd"] == 235000000 and row["amount_withheld_usd"] == 85000000
    assert row["share_waived_percent"] == 73.44 and row["days_under_waiver"] == 17
    assert {h["partner"]: h["share_waived_percent"] for h in data["headline"]} == {
        "Egypt": 37.9,
        "Israel": 40.0,
    }


def test_api_access_and_industrial(api, industrial_data):
    japan = industrial_data["japan"]
    data = api.get(f"/api/v1/reports/access/?as_of=2024-01-01&partner={japan.pk}").json()
    assert [r["partner"] for r in data["rows"]] == ["Japan"]
    cells = {c["technology_area"]: c["agreements"] for c in data["rows"][0]["cells"]}
    assert cells == {"aircraft": 1, "missile_defense": 2, "air_defense": 1}
    data = api.get("/api/v1/reports/industrial-base/").json()
    assert data["total_value_usd"] == 375000000
    assert data["by_state"][0] == {"us_state": "AZ", "value_usd": 250000000, "contracts": 2}


@pytest.mark.parametrize("url", APIS)
def test_api_roles_and_bad_input(api, url, db):
    assert APIClient().get(url).status_code == 401
    response = api.get(url + "?year_from=2030&year_to=2020&partner=999999&as_of=x")
    assert response.status_code == 400
    assert set(response.json()) == {"year_to", "partner", "as_of"}
    assert api.post(url, {}, format="json").status_code == 403  # auditors never write


def test_api_reports_are_in_the_schema(api, db):
    schema = api.get("/api/schema/?format=json").json()
    for url in APIS:
        operation = schema["paths"][url]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"partner", "year_from", "year_to", "as_of"} <= names
        assert "$ref" in str(operation["responses"]["200"])
