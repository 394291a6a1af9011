"""The fields of the safeguards records, declared once.

The services accept these keys, and the forms, the API and the admin show them, in this
order; adding a field means the model, its migration and one list here. `items` (a list of
technology item ids) is written by the services as a whole list, beside these.
"""

from core.marked import MARKING_FIELDS

TECHNOLOGY_ITEM_FIELDS = (
    "agreement", "name", "control_list", "control_entry", "kind", "classification",
    "mtcr_category", "eeum", "anti_tamper_required", *MARKING_FIELDS,
)  # fmt: skip
RELEASE_DECISION_FIELDS = (
    "item", "partner", "decision", "authority", "reference", "decided_on", "expires_on",
    "provisos", "proviso_text", *MARKING_FIELDS,
)  # fmt: skip
END_USE_CHECK_FIELDS = (
    "program", "check_type", "partner", "performed_on", "result", "findings", "follow_up_due",
    "resolved_on", *MARKING_FIELDS,
)  # fmt: skip
TRANSFER_FIELDS = (
    "from_partner", "to_partner", "value_usd", "major_defense_equipment", "requested_on",
    "decision", "decided_on", *MARKING_FIELDS,
)  # fmt: skip
VIOLATION_FIELDS = (
    "partner", "kind", "occurred_on", "discovered_on", "reported_to_congress_on", "description",
    "outcome", *MARKING_FIELDS,
)  # fmt: skip

# What each API list may be sorted by (`?ordering=`). Clients send these names, so none is
# taken away (CONTRACT.md).
TECHNOLOGY_ITEM_ORDERING = (
    "id", "name", "agreement", "control_list", "control_entry", "kind", "classification",
    "mtcr_category", "version",
)  # fmt: skip
RELEASE_DECISION_ORDERING = (
    "id", "item", "partner", "decision", "authority", "decided_on", "expires_on", "version",
)  # fmt: skip
END_USE_CHECK_ORDERING = (
    "id", "partner", "program", "check_type", "performed_on", "result", "follow_up_due",
    "resolved_on", "version",
)  # fmt: skip
TRANSFER_ORDERING = (
    "id", "from_partner", "to_partner", "value_usd", "requested_on", "decision", "decided_on",
    "version",
)  # fmt: skip
VIOLATION_ORDERING = (
    "id", "partner", "kind", "occurred_on", "discovered_on", "reported_to_congress_on", "version",
)  # fmt: skip
