"""Choice sets of the registry app: the change feed, webhooks and imports.

A data module, like migrations and demo data: values and labels only, no logic."""

from django.db import models


class ChangeAction(models.TextChoices):
    CREATED = "created"
    UPDATED = "updated"
    ARCHIVED = "archived"
    RECORDED = "recorded"  # a ledger entry or review: written once, never changed
    DELETED = "deleted"  # never through the application; a database owner could


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active"
    PAUSED = "paused"


class DeliveryStatus(models.TextChoices):
    DELIVERED = "delivered"
    FAILED = "failed"


class ImportJobStatus(models.TextChoices):
    CHECKING = "checking", "Checking"  # the dry run is queued or running
    CHECKED = "checked", "Checked"  # the dry run is done: problems listed, or ready to save
    SAVING = "saving", "Saving"  # the real run is queued or running
    SAVED = "saved", "Saved"
    FAILED = "failed", "Not saved"  # the real run found problems; nothing was written
