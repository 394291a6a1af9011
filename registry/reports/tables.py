"""What a report page's table shows (issue 15 item 2): columns in reading order, the key
columns marked, and rows and columns that are zero throughout hidden unless `?show_zero=1`.

Decided here, in Python, so the template only loops; the CSV exports and the API keep every
row and column.
"""

from dataclasses import dataclass, field
from decimal import Decimal

SHOW_ZERO = "show_zero"

# The enforcement page reads the amounts first: who, which year, then what was conditioned and
# waived (the headline figures), then the counts. The CSV keeps the query module's order.
ENFORCEMENT_FIRST = (
    "partner",
    "fiscal_year",
    "amount_conditioned_usd",
    "amount_waived_usd",
    "share_waived_percent",
    "amount_withheld_usd",
)
ENFORCEMENT_KEYS = ("partner", *ENFORCEMENT_FIRST[2:5])
# An industrial row is zero when no money moved: counts of contracts alone are not a figure.
INDUSTRIAL_MEASURES = (
    "value_usd",
    "share_of_partner_year_value_percent",
    "average_work_share_percent",
)
INDUSTRIAL_KEYS = ("partner", "value_usd")


def is_zero(value) -> bool:
    """No figure: zero, none, or an empty list of names."""
    return value is None or value == 0 or value == [] or value == ""


@dataclass
class ZeroFilter:
    """Whether all-zero rows and columns are shown, and what was left out."""

    shown: bool = False
    hidden_rows: int = 0
    hidden_columns: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, request) -> "ZeroFilter":
        return cls(shown=request.GET.get(SHOW_ZERO) == "1")

    @property
    def anything_hidden(self) -> bool:
        return bool(self.hidden_rows or self.hidden_columns)

    def rows(self, rows: list[dict], measures: list[str]) -> list[dict]:
        zero = [r for r in rows if all(is_zero(r.get(key)) for key in measures)]
        if self.shown:
            return rows
        self.hidden_rows = len(zero)
        return [r for r in rows if r not in zero]

    def columns(self, rows: list[dict], columns: list[tuple[str, str]], measures) -> list:
        zero = {key for key in measures if rows and all(is_zero(r.get(key)) for r in rows)}
        if self.shown:
            return columns
        self.hidden_columns = [label for key, label in columns if key in zero]
        return [(key, label) for key, label in columns if key not in zero]


def enforcement_table(report, columns: list[tuple[str, str]], zeros: ZeroFilter) -> dict:
    """Rows (`values` in column order), the columns shown, and which of them are key columns."""
    by_key = dict(columns)
    ordered = [(k, by_key[k]) for k in ENFORCEMENT_FIRST]
    ordered += [(k, label) for k, label in columns if k not in ENFORCEMENT_FIRST]
    measures = [key for key, _ in ordered[2:]]
    rows = zeros.rows(report.rows, measures)
    shown = zeros.columns(rows, ordered, [m for m in measures if m not in ENFORCEMENT_KEYS])
    table = [{"values": [figure_text(row[key], key) for key, _ in shown]} for row in rows]
    return {"table_rows": table, "columns": shown, "key_columns": ENFORCEMENT_KEYS}


def figure_text(value, key: str = "") -> str:
    """A cell of the enforcement table as text: a dash for no figure; an amount (a `_usd`
    column) in dollars with separators, $320,000,000.00, as the `usd` template filter writes
    it; other numbers in plain digits (years stay 2026; a share's heading carries its %).

    Made here, not in the template, because localising some 30,000 cells one by one in the
    template took most of a second at full size. The CSV keeps plain digits."""
    if value is None:
        return "—"
    if key.endswith("_usd") and isinstance(value, Decimal | int):
        return f"${value:,.2f}"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def industrial_table(report, columns: list[tuple[str, str]], zeros: ZeroFilter) -> dict:
    rows = zeros.rows(report.rows, list(INDUSTRIAL_MEASURES))
    return {"table_rows": rows, "columns": columns, "key_columns": INDUSTRIAL_KEYS}


def access_table(report, zeros: ZeroFilter) -> dict:
    """Technology areas in which no partner had an agreement in force are columns of dashes."""
    slugs = [slug for slug, _ in report.areas]
    kept = zeros.columns(
        [
            {slug: cell for slug, cell in zip(slugs, row["matrix"], strict=True)}
            for row in report.rows
        ],
        list(report.areas),
        slugs,
    )
    keep = {slug for slug, _ in kept}
    for row in report.rows:
        row["matrix_shown"] = [
            cell for slug, cell in zip(slugs, row["matrix"], strict=True) if slug in keep
        ]
    return {"areas": kept}
