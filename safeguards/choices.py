"""Choice sets of the safeguards app: technology items, releases, checks, transfers, violations.

A data module, like migrations and demo data: values and labels only, no logic."""

from django.db import models


class ControlList(models.TextChoices):
    USML = "usml", "U.S. Munitions List (ITAR)"
    CCL = "ccl", "Commerce Control List (EAR)"
    NONE = "none", "Not on a control list"


class ItemKind(models.TextChoices):
    HARDWARE = "hardware"
    TECHNICAL_DATA = "technical_data", "Technical data"
    SOFTWARE = "software"
    SOURCE_CODE = "source_code", "Source code"
    MANUFACTURING_KNOW_HOW = "manufacturing_know_how", "Manufacturing know-how"
    SERVICES = "services", "Defense services"


class Classification(models.TextChoices):
    UNCLASSIFIED = "unclassified"
    CONFIDENTIAL = "confidential"
    SECRET = "secret"  # noqa: S105 (a classification level, not a password)
    TOP_SECRET = "top_secret", "Top secret"


class MtcrCategory(models.IntegerChoices):
    CATEGORY_1 = 1, "MTCR Category I"
    CATEGORY_2 = 2, "MTCR Category II"


class ReleaseOutcome(models.TextChoices):
    APPROVED = "approved"
    APPROVED_WITH_PROVISOS = "approved_with_provisos", "Approved with provisos"
    DENIED = "denied"


class ReleaseAuthority(models.TextChoices):
    TSFD = "tsfd", "Technology security and foreign disclosure review"
    NDP_EXCEPTION = "ndp_exception", "Exception to National Disclosure Policy"
    ITAR_LICENSE = "itar_license", "ITAR licence"
    TAA = "taa", "Technical assistance agreement"
    OTHER = "other"


class Proviso(models.TextChoices):
    NO_RETRANSFER = "no_retransfer", "No re-transfer"
    NO_SOURCE_CODE = "no_source_code", "No source code"
    US_PERSONS_ONLY = "us_persons_only", "U.S. persons only"
    ANTI_TAMPER = "anti_tamper", "Anti-tamper protection"
    OTHER = "other"


class CheckProgram(models.TextChoices):
    GOLDEN_SENTRY = "golden_sentry", "Golden Sentry (DoD)"
    BLUE_LANTERN = "blue_lantern", "Blue Lantern (State)"


class CheckType(models.TextChoices):
    PRE_LICENSE = "pre_license", "Pre-licence"
    PRE_SHIPMENT = "pre_shipment", "Pre-shipment"
    POST_SHIPMENT = "post_shipment", "Post-shipment"
    ROUTINE = "routine"
    EEUM_INVENTORY = "eeum_inventory", "EEUM serial-number inventory"


class CheckResult(models.TextChoices):
    PENDING = "pending"
    FAVORABLE = "favorable"
    UNFAVORABLE = "unfavorable"
    INCONCLUSIVE = "inconclusive"


class TransferDecision(models.TextChoices):
    PENDING = "pending"
    APPROVED = "approved"
    APPROVED_WITH_PROVISOS = "approved_with_provisos", "Approved with provisos"
    DENIED = "denied"


class ViolationKind(models.TextChoices):
    DIVERSION = "diversion"
    UNAUTHORIZED_ACCESS = "unauthorized_access", "Unauthorized access"
    UNAUTHORIZED_USE = "unauthorized_use", "Use beyond the agreed purpose"
    RETRANSFER_WITHOUT_CONSENT = "retransfer_without_consent", "Re-transfer without consent"
    OTHER = "other"
