"""Admin for conditions, reviews, the waiver ledger, sources, notifications and flags:
read-only; the condition, review, waiver and flag pages (through conditions.services) write."""

from django.contrib import admin

from conditions import fields as spec
from conditions.models import (
    Condition,
    ConditionRequirement,
    ConditionReview,
    Flag,
    Notification,
    SourceDocument,
    WaiverEntry,
)
from core.admin import ReadOnlyAdmin, ReadOnlyInline

RECORDED = ("recorded_by", "recorded_at")  # who entered an append-only record, and when


class RequirementInline(ReadOnlyInline):
    model = ConditionRequirement
    fields = spec.REQUIREMENT_FIELDS


class SourceInline(ReadOnlyInline):
    model = SourceDocument
    fk_name = "condition"
    fields = spec.SOURCE_FIELDS


@admin.register(Condition)
class ConditionAdmin(ReadOnlyAdmin):
    fields = (*spec.CONDITION_FIELDS, "version")
    inlines = [RequirementInline, SourceInline]
    list_display = ["title", "partner", "status", "next_review_due", "leahy_applicable"]
    list_filter = ["status", "leahy_applicable"]
    list_select_related = ["partner"]
    search_fields = ["title", "unit", "responsible_office", "partner__name"]
    autocomplete_fields = ["partner", "agreement", "legal_basis"]


@admin.register(WaiverEntry)
class WaiverEntryAdmin(ReadOnlyAdmin):
    """The ledger is append-only: entries are recorded through the registry, never edited."""

    fields = (
        "condition",
        *spec.WAIVER_FIELDS,
        *RECORDED,
        "sequence",
        "previous_hash",
        "entry_hash",
    )
    readonly_fields = (*RECORDED, "sequence", "previous_hash", "entry_hash")  # not editable
    list_display = ["sequence", "condition", "action", "standard", "signed_on", "amount_usd"]
    list_filter = ["action", "standard", "publicity"]
    list_select_related = ["condition"]
    search_fields = ["official_title", "official_name", "instrument", "condition__title"]
    autocomplete_fields = ["condition", "amends", "authority"]


@admin.register(ConditionReview)
class ConditionReviewAdmin(ReadOnlyAdmin):
    fields = ("condition", *spec.REVIEW_FIELDS, *RECORDED)
    readonly_fields = ("recorded_at",)  # not editable
    list_display = ["condition", "reviewed_on", "outcome", "next_review_due", "recorded_by"]
    list_filter = ["outcome"]
    list_select_related = ["condition", "recorded_by"]
    search_fields = ["condition__title", "notes"]
    autocomplete_fields = ["condition"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(ReadOnlyAdmin):
    list_display = ["url", "publisher", "published_on", "kind"]
    list_filter = ["kind"]
    search_fields = ["url", "publisher"]
    autocomplete_fields = ["condition", "review", "waiver_entry"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["subject", "office", "recipient", "created_at", "sent_at"]
    search_fields = ["subject", "office", "recipient"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    """Flags are acknowledged and resolved on the flag pages (conditions/views/flags.py)."""

    list_display = ["condition", "kind", "status", "due_on", "raised_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["condition"]
    search_fields = ["condition__title"]
    autocomplete_fields = ["condition", "agreement"]
