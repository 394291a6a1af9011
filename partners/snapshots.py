"""Partners as the registry recorded them at the end of a day (core/history/as_of.py)."""

import datetime

from core.history.as_of import children_as_of, end_of_day, rows_as_of, state_as_of
from partners.models import Partner, PartnerDesignation


def designations_as_of(partner_ids, day: datetime.date) -> list[dict]:
    """Per partner: its name then, and the designations that held on `day`."""
    moment = end_of_day(day)
    result = []
    for partner_id in sorted(set(partner_ids)):
        partner = state_as_of(Partner, partner_id, moment) or {"name": None}
        held = [
            {k: d[k] for k in ("category", "valid_from", "valid_to", "instrument")}
            for d in rows_as_of(PartnerDesignation, moment, partner=partner_id)
            if (d["valid_from"] is None or d["valid_from"] <= day)
            and (d["valid_to"] is None or day <= d["valid_to"])
        ]
        result.append(
            {"partner": partner_id, "partner_name": partner["name"], "designations": held}
        )
    return result


def partner_as_of(pk: int, day: datetime.date) -> dict | None:
    """A partner at the end of `day`: its fields and its designations as then recorded."""
    moment = end_of_day(day)
    data = state_as_of(Partner, pk, moment)
    if data is None:
        return None
    data["designations"] = children_as_of(PartnerDesignation, moment, "partner", partner=pk)
    return data
