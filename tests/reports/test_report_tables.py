"""Report pages hide rows and columns that are zero throughout unless asked (issue 15 item 2)."""

from decimal import Decimal

import pytest

from registry.reports.enforcement import COLUMNS as ENFORCEMENT_COLUMNS
from registry.reports.tables import ZeroFilter, enforcement_table

pytestmark = pytest.mark.django_db
COLUMNS = [
    ("partner", "Partner"),
    ("fiscal_year", "Fiscal year"),
    ("conditions_in_force", "Conditions in force"),
    ("waivers_revoked", "Waivers revoked"),
    ("amount_conditioned_usd", "Amount conditioned (USD)"),
    ("amount_waived_usd", "Amount waived (USD)"),
    ("share_waived_percent", "Share waived (%)"),
    ("amount_withheld_usd", "Amount withheld (USD)"),
]


class Report:
    def __init__(self, rows):
        self.rows = rows


def row(partner, conditions, conditioned):
    return {
        "partner": partner,
        "fiscal_year": 2025,
        "conditions_in_force": conditions,
        "waivers_revoked": 0,
        "amount_conditioned_usd": Decimal(conditioned),
        "amount_waived_usd": Decimal("0"),
        "share_waived_percent": None,
        "amount_withheld_usd": Decimal("0.00"),
    }


def test_zero_rows_and_columns_are_hidden_and_named_key_columns_kept():
    report = Report([row("Egypt", 2, "100"), row("Chad", 0, "0")])
    zeros = ZeroFilter()
    table = enforcement_table(report, COLUMNS, zeros)
    keys = [key for key, _ in table["columns"]]
    # Amounts first; the key amounts stay even when zero; revoked and withheld were all zero.
    assert keys == [
        "partner",
        "fiscal_year",
        "amount_conditioned_usd",
        "amount_waived_usd",
        "share_waived_percent",
        "conditions_in_force",
    ]
    assert [r["values"][0] for r in table["table_rows"]] == ["Egypt"]
    assert zeros.hidden_rows == 1
    assert zeros.hidden_columns == ["Amount withheld (USD)", "Waivers revoked"]


def test_show_zero_keeps_everything():
    report = Report([row("Egypt", 2, "100"), row("Chad", 0, "0")])
    zeros = ZeroFilter(shown=True)
    table = enforcement_table(report, COLUMNS, zeros)
    assert len(table["columns"]) == len(COLUMNS) and len(table["table_rows"]) == 2
    assert not zeros.anything_hidden


def test_enforcement_page_hides_zeros_by_default_and_the_csv_keeps_them(
    client, auditor, enforcement_data
):
    client.force_login(auditor)
    query = "?year_from=2023&year_to=2025&as_of=2025-06-30"
    page = client.get("/reports/enforcement/" + query).content.decode()
    assert "Hidden because they are zero throughout" in page
    assert "show_zero=1" in page
    shown = client.get("/reports/enforcement/" + query + "&show_zero=1").content.decode()
    assert "are shown" in shown and shown.count('<th scope="col"') > page.count('<th scope="col"')
    assert 'class="app-key">Amount conditioned (USD)</th>' in page
    csv = b"".join(client.get("/reports/enforcement.csv" + query).streaming_content).decode()
    header = next(line for line in csv.splitlines() if line.startswith("as_of"))
    assert header.split(",")[1:] == [key for key, _ in ENFORCEMENT_COLUMNS]  # every column


def test_the_enforcement_table_writes_money_in_dollars():
    report = Report([row("Egypt", 2, "320000000.00")])
    table = enforcement_table(report, COLUMNS, ZeroFilter(shown=True))
    keys = [key for key, _ in table["columns"]]
    values = dict(zip(keys, table["table_rows"][0]["values"], strict=True))
    assert values["amount_conditioned_usd"] == "$320,000,000.00"
    assert "320000000.00" not in table["table_rows"][0]["values"]
    assert values["fiscal_year"] == "2025"
