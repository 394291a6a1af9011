"""Every write to conditions, reviews, the waiver ledger and flags goes through these."""

from conditions.services.conditions import condition_create, condition_update
from conditions.services.flags import flag_acknowledge, flag_reopen, flag_resolve
from conditions.services.reviews import condition_review_record
from conditions.services.waivers import waiver_record

__all__ = [
    "condition_create",
    "condition_update",
    "condition_review_record",
    "flag_acknowledge",
    "flag_reopen",
    "flag_resolve",
    "waiver_record",
]
