"""Admin for conditions (through conditions.services); the ledger, reviews and flags read-only."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from conditions.models import (
    Condition,
    ConditionRequirement,
    ConditionReview,
    Flag,
    Notification,
    SourceDocument,
    WaiverEntry,
)
from conditions.services import condition_create, condition_update, flag_acknowledge, flag_resolve
from core.admin import ReadOnlyAdmin, ServiceAdmin, ServiceInline


class RequirementInline(ServiceInline):
    model = ConditionRequirement
    service_kwarg = "requirements"
    fields = ["label", "text", "waivable"]


class SourceInline(ServiceInline):
    model = SourceDocument
    fk_name = "condition"
    service_kwarg = "sources"
    fields = ["url", "publisher", "published_on", "kind"]


@admin.register(Condition)
class ConditionAdmin(ServiceAdmin):
    create_service = staticmethod(condition_create)
    update_service = staticmethod(condition_update)
    instance_kwarg = "condition"
    fields = [
        "title", "description", "partner", "unit", "agreement", "legal_basis",
        "review_interval_days", "next_review_due", "review_warning_days", "status",
        "responsible_office", "responsible_email", "leahy_applicable",
        "amount_conditioned_usd", "fiscal_year", "version",
    ]  # fmt: skip
    readonly_fields = ["version"]
    inlines = [RequirementInline, SourceInline]
    list_display = ["title", "partner", "status", "next_review_due", "leahy_applicable"]
    list_filter = ["status", "leahy_applicable"]
    list_select_related = ["partner"]
    search_fields = ["title", "unit", "responsible_office", "partner__name"]
    autocomplete_fields = ["partner", "agreement", "legal_basis"]


@admin.register(WaiverEntry)
class WaiverEntryAdmin(ReadOnlyAdmin):
    """The ledger is append-only: entries are recorded through the registry, never edited."""

    list_display = ["sequence", "condition", "action", "standard", "signed_on", "amount_usd"]
    list_filter = ["action", "standard", "publicity"]
    list_select_related = ["condition"]
    search_fields = ["official_title", "official_name", "instrument", "condition__title"]


@admin.register(ConditionReview)
class ConditionReviewAdmin(ReadOnlyAdmin):
    list_display = ["condition", "reviewed_on", "outcome", "next_review_due", "recorded_by"]
    list_filter = ["outcome"]
    list_select_related = ["condition", "recorded_by"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(ReadOnlyAdmin):
    list_display = ["url", "publisher", "published_on", "kind"]
    list_filter = ["kind"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["subject", "office", "recipient", "created_at", "sent_at"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["condition", "kind", "status", "due_on", "raised_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["condition"]
    actions = ["acknowledge", "resolve"]

    @admin.action(description="Acknowledge the selected flags")
    def acknowledge(self, request, queryset):
        self._apply(request, queryset, flag_acknowledge, "acknowledged")

    @admin.action(description="Resolve the selected flags")
    def resolve(self, request, queryset):
        self._apply(request, queryset, flag_resolve, "resolved")

    def _apply(self, request, queryset, action, verb):
        done = 0
        for flag in queryset:
            try:
                action(flag=flag, actor=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{flag}: {' '.join(error.messages)}", messages.ERROR)
        self.message_user(request, f"{done} flag(s) {verb}.")
