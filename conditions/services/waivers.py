"""Recording a waiver ledger entry: the chain rules, the hash chain, the condition's status.

Lock order: the condition's row, then the ledger (conditions/services/ledger.py). The entry's
`recorded_at` is read under the ledger lock, so the ledger's order and its clock agree.
"""

import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from conditions import chains
from conditions import fields as spec
from conditions.models import Condition, WaiverEntry
from conditions.services import ledger
from conditions.services.sources import build_sources, save_sources
from core.domain import save_new_version, validate
from core.history.context import service
from core.marked import inherit_marking, refuse_unheld_marking
from core.registry_day import registry_today

# Entries that may leave `requirements_waived` out and carry the amended entry's list; they
# carry its amount and fiscal year the same way (an extension releases no new money).
CARRYING_ACTIONS = ("extended", "corrected")
CARRIED_FIELDS = ("amount_usd", "fiscal_year")
# A classified justification is never stored here: only an unclassified summary of it, this
# long at most (the classified text stays where settings.CLASSIFIED_RECORDS_LOCATION says).
CLASSIFIED_SUMMARY_MAX = 500


@service
def waiver_record(
    *,
    condition: Condition,
    actor,
    sources: Iterable[dict] = (),
    dry_run: bool = False,
    **fields,
) -> WaiverEntry:
    """Append an entry to the ledger and bring the condition's status in line with it.

    `dry_run` is for a caller that will roll the transaction back (an import's check): the
    entry is written so that later rows can amend it, but it takes no ledger lock and links
    to no real entry, so a dry run never holds up the people recording waivers meanwhile."""
    unknown = set(fields) - set(spec.WAIVER_FIELDS)
    if unknown:
        raise ValidationError({n: ["Unknown field."] for n in sorted(unknown)})
    refuse_unheld_marking(actor, fields)
    condition = Condition.objects.select_for_update().get(pk=condition.pk)
    amended = fields.get("amends")
    carries = isinstance(amended, WaiverEntry) and fields.get("action") in CARRYING_ACTIONS
    if fields.get("requirements_waived") is None:
        fields["requirements_waived"] = list(amended.requirements_waived) if carries else []
    for name in CARRIED_FIELDS:
        if carries and name not in fields:
            fields[name] = getattr(amended, name)
    entry = WaiverEntry(
        condition=condition,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        sequence=0,
        previous_hash=ledger.GENESIS_HASH,
        entry_hash="pending",
        **fields,
    )
    # An entry is at least as marked as its condition and the entry it amends.
    inherit_marking(entry, condition, amended)
    errors = _errors_of(entry, condition)
    try:
        rows = build_sources(list(sources))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if dry_run:
        entry.sequence = ledger.next_sequence()
        entry.recorded_at = timezone.now()
        entry.previous_hash, entry.entry_hash = secrets.token_hex(32), secrets.token_hex(32)
    else:
        _link_to_ledger(entry, rows)
    entry.save()
    entry.refresh_from_db(fields=["chain", "effect"])  # set by the ledger_chain trigger
    save_sources(rows, waiver_entry=entry)
    condition_status_follow_ledger(condition=condition, day=registry_today())
    return entry


def _link_to_ledger(entry: WaiverEntry, rows: list) -> None:
    """Sequence, previous hash, time and hash, under the ledger lock (held until commit)."""
    ledger.lock_ledger()
    last = WaiverEntry.objects.order_by("-sequence").only("entry_hash", "recorded_at").first()
    entry.sequence = ledger.next_sequence()
    entry.previous_hash = last.entry_hash if last else ledger.GENESIS_HASH
    # Under the lock: never earlier than the entry before it, even if the clock steps back.
    entry.recorded_at = max(timezone.now(), last.recorded_at) if last else timezone.now()
    entry.entry_hash = ledger.compute_hash(entry, rows, entry.previous_hash)


def condition_status_follow_ledger(*, condition: Condition, day) -> None:
    """`waived` while one of its chains waives on `day`; a waived one without: pending review.

    The caller holds the condition's row lock (the scan does the same in SQL)."""
    waives = chains.waives_on(condition.waiver_entries.all(), day)
    if waives and condition.status != Condition.Status.WAIVED:
        condition.status = Condition.Status.WAIVED
    elif not waives and condition.status == Condition.Status.WAIVED:
        condition.status = Condition.Status.PENDING_REVIEW
    else:
        return
    save_new_version(condition)


def _errors_of(entry: WaiverEntry, condition: Condition) -> dict:
    errors: dict = {}
    try:
        validate(
            entry,
            exclude=["sequence", "previous_hash", "entry_hash", "recorded_by", "chain", "effect"],
        )
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
    errors.update(_requirement_errors(entry, condition))
    if entry.justification_classified and len(entry.justification or "") > CLASSIFIED_SUMMARY_MAX:
        errors.setdefault("justification", []).append(
            f"The justification is classified: enter an unclassified summary of at most "
            f"{CLASSIFIED_SUMMARY_MAX} characters; the classified text stays on the "
            f"classified system."
        )
    if entry.amount_usd is not None and Decimal(str(entry.amount_usd)) < 0:
        errors.setdefault("amount_usd", []).append("An amount cannot be negative.")
    return errors


def _amendment_errors(entry: WaiverEntry, amended: WaiverEntry, condition: Condition) -> dict:
    if amended.condition_id != condition.pk:
        return {"amends": ["The amended entry belongs to another condition."]}
    chain = WaiverEntry.objects.filter(chain_id=amended.chain_id)
    latest = chain.order_by("-sequence").first()
    if latest.pk != amended.pk:
        return {
            "amends": [
                f"Entry #{amended.pk} has been amended since; amend the latest entry of its "
                f"chain, #{latest.pk}."
            ]
        }
    if entry.action != WaiverEntry.Action.CORRECTED and chain.filter(effect="revoked").exists():
        return {"amends": ["This waiver was revoked; only a correction may amend it now."]}
    if entry.action == "extended":
        if entry.expires_on is None and amended.expires_on is None:
            return {"expires_on": ["The entry is open-ended already; nothing to extend."]}
        if entry.expires_on and amended.expires_on and entry.expires_on <= amended.expires_on:
            return {"expires_on": [f"An extension must end after {amended.expires_on}."]}
    if entry.signed_on and entry.signed_on < amended.signed_on:
        return {"signed_on": ["An amendment cannot be signed before the entry it amends."]}
    return {}


def _requirement_errors(entry: WaiverEntry, condition: Condition) -> dict:
    """Only waivable requirements of the condition; an extension never widens its waiver."""
    requirements = dict(condition.requirements.values_list("label", "waivable"))
    listed = list(entry.requirements_waived or [])
    unknown = [label for label in listed if label not in requirements]
    if unknown:
        return {
            "requirements_waived": [f"Not a requirement of this condition: {', '.join(unknown)}."]
        }
    fixed = [label for label in listed if not requirements[label]]
    if fixed:
        return {"requirements_waived": [f"The law does not allow waiving {', '.join(fixed)}."]}
    amended = entry.amends
    if entry.action == WaiverEntry.Action.EXTENDED and amended is not None:
        waivable = {label for label, can in requirements.items() if can}
        before = set(amended.requirements_waived or []) or waivable
        widened = sorted((set(listed) or waivable) - before)
        if widened:
            return {
                "requirements_waived": [
                    "An extension cannot waive what the amended entry did not: "
                    f"{', '.join(widened)}."
                ]
            }
    return {}
