"""The fields of congressional notifications, declared once.

The service accepts these keys, and the form, the API, the admin and the import show them,
in this order. The review fields (`review_days`, `earliest_action_on`, `acted_early`,
`due_on`, `late`) are computed by the database (models.NotificationQuerySet.with_review),
never typed, so they are not here.
"""

from core.marked import MARKING_FIELDS

NOTIFICATION_FIELDS = (
    "kind",
    "partner",
    "agreement",
    "waiver_entry",
    "transmittal_number",
    "informal_review_on",
    "received_on",
    "value_usd",
    "emergency_waiver",
    "emergency_justification",
    "acted_on",
    "committees",
    "notes",
    *MARKING_FIELDS,
)
COMPUTED_FIELDS = ("review_days", "earliest_action_on", "acted_early", "due_on", "late")

# What the API list may be sorted by (`?ordering=`).
NOTIFICATION_ORDERING = (
    "id",
    "kind",
    "partner",
    "received_on",
    "acted_on",
    "transmittal_number",
    "version",
)
