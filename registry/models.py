"""The change feed (docs/decisions/0020) and webhook subscriptions (docs/decisions/0021)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from core.triggers import append_only, no_truncate
from registry.choices import ChangeAction, DeliveryStatus, ImportJobStatus, SubscriptionStatus

RESOURCES = (
    "partners",
    "acts",
    "provisions",
    "technology-areas",
    "agreements",
    "conditions",
    "reviews",
    "waivers",
    "flags",
    "notifications",
    "technology-items",
    "release-decisions",
    "end-use-checks",
    "transfers",
    "violations",
)


class Change(models.Model):
    """One change to a record, written by a trigger on its history table; ordered at commit."""

    Action = ChangeAction

    # The writing transaction (pg_current_xact_id()); its FeedCommit gives the feed position.
    txid = models.BigIntegerField()
    occurred_at = models.DateTimeField()
    resource = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    version = models.IntegerField(null=True)
    changed_fields = ArrayField(models.CharField(max_length=64), null=True)
    context_id = models.UUIDField(null=True)
    event_model = models.CharField(max_length=100)
    event_id = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["txid", "id"], name="registry_change_txid"),
        ]
        triggers = [append_only(), no_truncate()]

    def __str__(self) -> str:
        return f"{self.resource}/{self.object_id} {self.action}"


class FeedCommit(models.Model):
    """The feed position (`id`) of one committed transaction that changed records.

    Drawn at commit by a deferred trigger on `registry_change`, under a shared advisory lock
    that readers wait on (registry/changes.py), so positions follow commit order.
    """

    txid = models.BigIntegerField(unique=True)

    class Meta:
        triggers = [append_only(), no_truncate()]

    def __str__(self) -> str:
        return f"{self.id}: transaction {self.txid}"


class WebhookSubscription(models.Model):
    """A URL that receives signed deliveries of some kinds of change, in feed order."""

    Status = SubscriptionStatus

    url = models.URLField(max_length=1000)
    description = models.CharField(max_length=200, blank=True)
    # Resource names (`agreements`), or `<resource>.<action>` such as `flags.raised`.
    kinds = ArrayField(models.CharField(max_length=48))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )
    # Secrets, encrypted (registry/webhooks/secrets.py); the previous one keeps signing
    # beside the new one until `previous_secret_expires_at` (rotation overlap).
    secret_encrypted = models.TextField()
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # The last change delivered (feed cursor); delivery resumes after it.
    cursor_position = models.BigIntegerField(default=0)
    cursor_id = models.BigIntegerField(default=0)
    last_delivered_at = models.DateTimeField(null=True, blank=True)
    # The head change's failures: since when, how many attempts, when to try again.
    failing_since = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One attempt to deliver one change to one subscription: the delivery log."""

    Status = DeliveryStatus

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.PROTECT, related_name="deliveries"
    )
    change_id = models.BigIntegerField()
    webhook_id = models.CharField(max_length=64)
    attempt = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices)
    response_code = models.PositiveIntegerField(null=True)
    latency_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=500, blank=True)
    attempted_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["subscription", "id"], name="registry_delivery_sub")]
        triggers = [append_only(), no_truncate()]

    def __str__(self) -> str:
        return f"{self.webhook_id} attempt {self.attempt}: {self.status}"


class ImportJob(models.Model):
    """A bulk import too large for one request: checked, then saved, by a Celery task."""

    Status = ImportJobStatus

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs"
    )
    filename = models.CharField(max_length=255)
    # The staged file (registry/importing/staging.py) and its digest, checked before each run.
    staged_token = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    rows = models.PositiveIntegerField(default=0)  # records in the file, children included
    progress = models.PositiveIntegerField(default=0)  # records the current run has done
    created = models.JSONField(default=dict)  # records per kind the run would write / wrote
    errors = models.JSONField(default=list)  # [{"row", "field", "message"}]
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["checking", "checked", "saving", "saved", "failed"]),
                name="registry_importjob_status",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.SAVING)

    @property
    def percent(self) -> int:
        return min(100, self.progress * 100 // self.rows) if self.rows else 0
