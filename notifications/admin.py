"""Admin for notifications and review periods: read-only; the pages and migrations write."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from notifications.fields import NOTIFICATION_FIELDS
from notifications.models import CongressionalNotification, ReviewPeriod


@admin.register(CongressionalNotification)
class CongressionalNotificationAdmin(ReadOnlyAdmin):
    fields = (*NOTIFICATION_FIELDS, "version")
    list_display = ["kind", "transmittal_number", "partner", "received_on", "acted_on"]
    list_filter = ["kind", "emergency_waiver"]
    list_select_related = ["partner"]
    search_fields = ["transmittal_number", "partner__name"]


@admin.register(ReviewPeriod)
class ReviewPeriodAdmin(ReadOnlyAdmin):
    fields = (
        "kind",
        "valid_from",
        "review_days",
        "shortened_review_days",
        "shortened_for",
        "report_within_days",
        "citation",
    )
    list_display = ["kind", "valid_from", "review_days", "shortened_review_days"]
