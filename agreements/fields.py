"""The fields of legislation, technology areas and agreements, declared once.

The services accept these keys, and the forms, the API, the admin and the import show them,
in this order; adding a field to an agreement means the model, its migration and one list
here. The API shows an agreement's nested lists between its heading and its terms, so an
agreement's fields come in those two parts.
"""

from core.marked import MARKING_FIELDS

ACT_FIELDS = (
    "kind", "title", "short_title", "congress", "bill_type", "bill_number", "status",
    "public_law", "statutes_at_large", "enacted_on", "fiscal_year", "url",
)  # fmt: skip
PROVISION_FIELDS = (
    "act", "section", "path", "heading", "codification", "status", "valid_from", "valid_to",
    "report_deadline_days",
)  # fmt: skip
TECHNOLOGY_AREA_FIELDS = ("slug", "name", "description")

AGREEMENT_HEADING_FIELDS = (
    "reference", "title", "summary", "agreement_type", "status", "parent", "supersedes",
)  # fmt: skip
AGREEMENT_TERMS_FIELDS = (
    "signed_on", "entry_into_force_on", "expires_on", "terminated_on",
    "technology_transfer_risk", "industrial_base_notes", "human_rights_notes", "fms_cases",
    "binding", "case_act_transmitted_on", *MARKING_FIELDS,
)  # fmt: skip
AGREEMENT_FIELDS = (*AGREEMENT_HEADING_FIELDS, *AGREEMENT_TERMS_FIELDS)
# The rows an agreement carries, each written as a whole list by the agreement's services.
AGREEMENT_NESTED = ("technology_areas", "participants", "legal_bases", "industrial_participants")

PARTICIPANT_FIELDS = (
    "partner", "role", "cost_share_percent", "signed_on", "joined_on", "suspended_on",
    "withdrawn_on",
)  # fmt: skip
LEGAL_BASIS_FIELDS = ("provision", "role", "pinpoint")
INDUSTRIAL_PARTICIPANT_FIELDS = (
    "company", "us_state", "naics_code", "contract_value_usd", "work_share_percent",
    "fiscal_year", "description",
)  # fmt: skip

# What each API list may be sorted by (`?ordering=`), in the order its OpenAPI document
# lists them. Clients send these names, so none is taken away (CONTRACT.md). Every field of
# an act or a provision sorts, so a field added to one sorts too.
ACT_ORDERING = ("id", *ACT_FIELDS, "version")
PROVISION_ORDERING = ("id", *PROVISION_FIELDS, "version")
TECHNOLOGY_AREA_ORDERING = ("id", "slug", "name", "version")
AGREEMENT_ORDERING = (
    "id", "reference", "title", "agreement_type", "status", "signed_on", "entry_into_force_on",
    "expires_on", "terminated_on", "technology_transfer_risk", "parent", "supersedes", "version",
)  # fmt: skip
