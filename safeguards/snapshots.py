"""Safeguards records as the registry recorded them at the end of a day (core/history/as_of.py)."""

import datetime

from core.history.as_of import end_of_day, rows_as_of, state_as_of
from safeguards.models import (
    EndUseCheck,
    EndUseCheckItem,
    ReleaseDecision,
    TechnologyItem,
    Transfer,
    TransferItem,
    Violation,
    ViolationItem,
)


def _record_as_of(model, pk: int, day: datetime.date, link=None, owner: str = "") -> dict | None:
    """A record at the end of `day`, with its item ids as then recorded when it has items."""
    moment = end_of_day(day)
    data = state_as_of(model, pk, moment)
    if data is None:
        return None
    if link is not None:
        data["items"] = [row["item"] for row in rows_as_of(link, moment, **{owner: pk})]
    data["as_of"] = day
    return data


def technology_item_as_of(pk: int, day: datetime.date) -> dict | None:
    return _record_as_of(TechnologyItem, pk, day)


def release_decision_as_of(pk: int, day: datetime.date) -> dict | None:
    return _record_as_of(ReleaseDecision, pk, day)


def end_use_check_as_of(pk: int, day: datetime.date) -> dict | None:
    return _record_as_of(EndUseCheck, pk, day, EndUseCheckItem, "end_use_check")


def transfer_as_of(pk: int, day: datetime.date) -> dict | None:
    return _record_as_of(Transfer, pk, day, TransferItem, "transfer")


def violation_as_of(pk: int, day: datetime.date) -> dict | None:
    return _record_as_of(Violation, pk, day, ViolationItem, "violation")
