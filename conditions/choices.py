"""Choice sets of the conditions app: conditions, the waiver ledger, sources, flags.

A data module, like migrations and demo data: values and labels only, no logic."""

from django.db import models


class ConditionStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", "Pending review"
    UNDER_REVIEW = "under_review", "Under review"
    MET = "met", "Certified met"
    PARTIALLY_MET = "partially_met", "Partially met"
    NOT_MET = "not_met", "Not met"
    WAIVED = "waived"
    EXCEPTION_INVOKED = "exception_invoked", "Exception invoked"
    REMEDIATED = "remediated"
    WITHHELD = "withheld"
    REPROGRAMMED = "reprogrammed"
    LAPSED = "lapsed"


class WaiverAction(models.TextChoices):
    GRANTED = "granted"
    EXTENDED = "extended"
    REVOKED = "revoked"
    CORRECTED = "corrected"


class WaiverStandard(models.TextChoices):
    NATIONAL_SECURITY_INTEREST = "national_security_interest", "National security interest"
    EXTRAORDINARY_CIRCUMSTANCES = "extraordinary_circumstances", "Extraordinary circumstances"
    EMERGENCY = "emergency"
    HUMANITARIAN = "humanitarian"


class WaiverPublicity(models.TextChoices):
    PUBLISHED_OFFICIAL = "published_official", "Published officially"
    PRESS_REPORTED = "press_reported", "Press-reported only"
    NOTIFIED_ONLY = "notified_only", "Notified to Congress only"
    CLASSIFIED = "classified"


class SourceKind(models.TextChoices):
    OFFICIAL = "official"
    PRESS = "press"
    CRS = "crs", "CRS"
    GAO = "gao", "GAO"
    OTHER = "other"


class FlagKind(models.TextChoices):
    REVIEW_DUE_SOON = "review_due_soon", "Review due soon"
    REVIEW_OVERDUE = "review_overdue", "Review overdue"
    WAIVER_IN_EFFECT = "waiver_in_effect", "Waiver in effect"
    WAIVER_EXPIRING = "waiver_expiring", "Waiver expiring"
    WAIVER_EXPIRED = "waiver_expired", "Waiver expired"
    NOTIFICATION_OVERDUE = "notification_overdue", "Congress notification overdue"
    CASE_ACT_OVERDUE = "case_act_overdue", "Case Act report overdue"
    ACTED_BEFORE_REVIEW_ENDED = "acted_before_review_ended", "Acted before Congress's review ended"
    NOTIFICATION_MISSING = "notification_missing", "Notification to Congress missing"


class FlagStatus(models.TextChoices):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
