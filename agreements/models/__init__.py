"""The agreements app's models: legislation, and the agreements that rest on it."""

from agreements.models.agreements import (
    US_STATES,
    Agreement,
    AgreementParticipant,
    AgreementQuerySet,
    AgreementTechnologyArea,
    IndustrialParticipant,
    LegalBasis,
    TechnologyArea,
)
from agreements.models.legislation import Act, Provision

__all__ = [
    "US_STATES",
    "Act",
    "Agreement",
    "AgreementParticipant",
    "AgreementQuerySet",
    "AgreementTechnologyArea",
    "IndustrialParticipant",
    "LegalBasis",
    "Provision",
    "TechnologyArea",
]
