"""Recording a waiver ledger entry: validation, the hash chain, the condition's status."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from conditions.models import Condition, WaiverEntry
from conditions.services import ledger
from conditions.services.sources import build_sources, save_sources
from config.domain import save_new_version, validate
from config.history import service

WAIVER_FIELDS = {
    "action", "amends", "authority", "standard", "official_title", "official_name",
    "instrument", "signed_on", "effective_on", "expires_on", "requirements_waived",
    "amount_usd", "fiscal_year", "justification", "justification_classified",
    "congress_notified_on", "publicity",
}  # fmt: skip


@service
def waiver_record(
    *, condition: Condition, actor, sources: Iterable[dict] = (), **fields
) -> WaiverEntry:
    unknown = set(fields) - WAIVER_FIELDS
    if unknown:
        raise ValidationError({n: ["Unknown field."] for n in sorted(unknown)})
    condition = Condition.objects.select_for_update().get(pk=condition.pk)
    entry = WaiverEntry(
        condition=condition,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        recorded_at=timezone.now(),
        sequence=0,
        previous_hash=ledger.GENESIS_HASH,
        entry_hash="pending",
        **fields,
    )
    errors = _errors_of(entry, condition)
    try:
        rows = build_sources(list(sources))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    ledger.lock_ledger()
    entry.sequence = ledger.next_sequence()
    entry.previous_hash = ledger.last_hash()
    entry.entry_hash = ledger.compute_hash(entry, rows, entry.previous_hash)
    entry.save()
    save_sources(rows, waiver_entry=entry)
    _update_condition_status(condition, entry)
    return entry


def _errors_of(entry: WaiverEntry, condition: Condition) -> dict:
    errors: dict = {}
    try:
        validate(entry, exclude=["sequence", "previous_hash", "entry_hash", "recorded_by"])
    except ValidationError as error:
        errors.update(error.message_dict)
    # The check constraints' messages come without a field; name the field instead.
    if entry.signed_on and entry.effective_on and entry.effective_on < entry.signed_on:
        errors.pop("__all__", None)
        errors["effective_on"] = ["The effective date cannot be before the signature date."]
    if entry.effective_on and entry.expires_on and entry.expires_on <= entry.effective_on:
        errors.pop("__all__", None)
        errors["expires_on"] = ["The expiry date must be after the effective date."]
    amended = entry.amends
    if entry.action != WaiverEntry.Action.GRANTED and amended is None:
        errors.setdefault("amends", []).append(
            f"{entry.get_action_display().capitalize()} entries must name the entry they amend."
        )
    if entry.action == WaiverEntry.Action.GRANTED and amended is not None:
        errors.setdefault("amends", []).append("A granted entry amends nothing.")
    if amended is not None:
        errors.update(_amendment_errors(entry, amended, condition))
    labels = set(condition.requirements.values_list("label", flat=True))
    unknown = [label for label in entry.requirements_waived or [] if label not in labels]
    if unknown:
        errors["requirements_waived"] = [
            f"Not a requirement of this condition: {', '.join(unknown)}."
        ]
    if entry.amount_usd is not None and Decimal(str(entry.amount_usd)) < 0:
        errors.setdefault("amount_usd", []).append("An amount cannot be negative.")
    return errors


def _amendment_errors(entry: WaiverEntry, amended: WaiverEntry, condition: Condition) -> dict:
    if amended.condition_id != condition.pk:
        return {"amends": ["The amended entry belongs to another condition."]}
    if entry.action in ("extended", "revoked") and amended.action == WaiverEntry.Action.REVOKED:
        return {"amends": ["A revoked entry cannot be extended or revoked again."]}
    if (
        entry.action in ("extended", "revoked")
        and amended.amendments.filter(action__in=["extended", "revoked"]).exists()
    ):
        return {"amends": ["This entry was already extended or revoked; amend the latest one."]}
    if entry.action == "extended":
        if entry.expires_on is None and amended.expires_on is None:
            return {"expires_on": ["The entry is open-ended already; nothing to extend."]}
        if entry.expires_on and amended.expires_on and entry.expires_on <= amended.expires_on:
            return {"expires_on": [f"An extension must end after {amended.expires_on}."]}
    if entry.signed_on and entry.signed_on < amended.signed_on:
        return {"signed_on": ["An amendment cannot be signed before the entry it amends."]}
    return {}


def _update_condition_status(condition: Condition, entry: WaiverEntry) -> None:
    today = timezone.localdate()
    in_effect = WaiverEntry.objects.filter(condition=condition).in_effect_on(today).exists()
    if in_effect and condition.status != Condition.Status.WAIVED:
        condition.status = Condition.Status.WAIVED
    elif entry.action == WaiverEntry.Action.REVOKED and not in_effect:
        condition.status = Condition.Status.PENDING_REVIEW
    else:
        return
    save_new_version(condition)


def waiver_end(entry: WaiverEntry) -> datetime.date | None:
    """The last day an entry is in effect, taking later amendments into account."""
    ends = [entry.expires_on] if entry.expires_on else []
    for amendment in entry.amendments.all():
        ends.append(amendment.effective_on - datetime.timedelta(days=1))
    return min(ends) if ends else None
