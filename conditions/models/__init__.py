"""The conditions app's models: conditions and reviews, the waiver ledger, and flags."""

from conditions.models.conditions import (
    REVIEW_OUTCOMES,
    Condition,
    ConditionQuerySet,
    ConditionRequirement,
    ConditionReview,
    ConditionStatus,
)
from conditions.models.flags import Flag, Notification
from conditions.models.ledger import (
    WAIVING_ACTIONS,
    HistoryContextGuard,
    LedgerCheck,
    SourceDocument,
    WaiverEntry,
    WaiverEntryQuerySet,
)

__all__ = [
    "REVIEW_OUTCOMES",
    "WAIVING_ACTIONS",
    "Condition",
    "ConditionQuerySet",
    "ConditionRequirement",
    "ConditionReview",
    "ConditionStatus",
    "Flag",
    "HistoryContextGuard",
    "LedgerCheck",
    "Notification",
    "SourceDocument",
    "WaiverEntry",
    "WaiverEntryQuerySet",
]
