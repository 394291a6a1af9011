"""What every report shares: its filters and the fiscal year of a date column."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear

from core.marked import visible_q
from core.registry_day import registry_today


@dataclass(frozen=True)
class ReportParams:
    """The filters every report takes: partners, a fiscal-year range and the as-of day."""

    partners: tuple[int, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    as_of: datetime.date | None = None
    # The CUI categories the reader may see (their `cui:<CODE>` groups): every record marked
    # with another is left out, its counts included. None given: uncontrolled records only.
    categories: tuple[str, ...] = ()

    @property
    def day(self) -> datetime.date:
        return self.as_of or registry_today()

    def visible(self, *paths: str) -> Q:
        """Each record on the paths ("" the row itself, "condition__" its condition, ...)
        marked with only categories the reader may see: one predicate per record."""
        allowed = list(self.categories)
        return Q(*[visible_q(allowed, path) for path in paths])


def fiscal_year_of(date_field: str):
    """The U.S. federal fiscal year of a date column: FY N runs 1 Oct N-1 to 30 Sep N."""
    return ExtractYear(date_field) + Case(
        When(**{f"{date_field}__month__gte": 10}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
