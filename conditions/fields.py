"""The fields of conditions, reviews and waiver ledger entries, declared once.

The services accept these keys, and the forms, the API, the admin and the import show them,
in this order; adding a field means the model, its migration and one list here. The API
shows a condition's requirements and sources between its heading and its terms, so a
condition's fields come in those two parts.
"""

from core.marked import MARKING_FIELDS

CONDITION_HEADING_FIELDS = ("title", "description", "partner", "unit", "agreement", "legal_basis")
CONDITION_TERMS_FIELDS = (
    "review_interval_days", "next_review_due", "review_warning_days", "status",
    "responsible_office", "responsible_email", "leahy_applicable", "amount_conditioned_usd",
    "fiscal_year", *MARKING_FIELDS,
)  # fmt: skip
CONDITION_FIELDS = (*CONDITION_HEADING_FIELDS, *CONDITION_TERMS_FIELDS)
# The rows a condition carries, each written as a whole list by the condition's services.
CONDITION_NESTED = ("requirements", "sources")

REQUIREMENT_FIELDS = ("label", "text", "waivable")
SOURCE_FIELDS = ("url", "publisher", "published_on", "kind")
REVIEW_FIELDS = ("reviewed_on", "outcome", "notes", "next_review_due", *MARKING_FIELDS)
WAIVER_FIELDS = (
    "action", "amends", "authority", "standard", "official_title", "official_name",
    "instrument", "signed_on", "effective_on", "expires_on", "requirements_waived",
    "amount_usd", "fiscal_year", "justification", "justification_classified",
    "congress_notified_on", "publicity", *MARKING_FIELDS,
)  # fmt: skip

# What each API list may be sorted by (`?ordering=`), in the order its OpenAPI document
# lists them. Clients send these names, so none is taken away (CONTRACT.md).
CONDITION_ORDERING = (
    "id", "title", "partner", "unit", "agreement", "legal_basis", "review_interval_days",
    "next_review_due", "review_warning_days", "status", "responsible_office", "leahy_applicable",
    "version",
)  # fmt: skip
WAIVER_ORDERING = (
    "id", "sequence", "condition", "action", "amends", "authority", "standard", "official_title",
    "official_name", "instrument", "signed_on", "effective_on", "expires_on", "amount_usd",
    "fiscal_year", "justification_classified", "congress_notified_on", "publicity",
    "recorded_by", "recorded_at",
)  # fmt: skip
