"""An agreement as the registry recorded it at the end of a day (core/history/as_of.py)."""

import datetime

from agreements.models import (
    Agreement,
    AgreementParticipant,
    AgreementTechnologyArea,
    IndustrialParticipant,
    LegalBasis,
    TechnologyArea,
)
from core.history.as_of import children_as_of, end_of_day, state_as_of
from partners.snapshots import designations_as_of


def agreement_as_of(pk: int, day: datetime.date) -> dict | None:
    """An agreement at the end of `day`: fields, nested lists, partners' designations."""
    moment = end_of_day(day)
    data = state_as_of(Agreement, pk, moment)
    if data is None:
        return None
    slugs = []
    for link in children_as_of(AgreementTechnologyArea, moment, "agreement", agreement=pk):
        area = state_as_of(TechnologyArea, link["technology_area"], moment)
        slugs.append(area["slug"] if area else None)
    participants = children_as_of(AgreementParticipant, moment, "agreement", agreement=pk)
    data.update(
        technology_areas=sorted(s for s in slugs if s),
        participants=participants,
        legal_bases=children_as_of(LegalBasis, moment, "agreement", agreement=pk),
        industrial_participants=children_as_of(
            IndustrialParticipant, moment, "agreement", agreement=pk
        ),
        partner_designations=designations_as_of([p["partner"] for p in participants], day),
        as_of=day,
    )
    return data
