"""Every write to technology items, release decisions, end-use checks, transfers and
violations goes through these functions (keyword-only, atomic, with the acting user)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from core.domain import apply_changes, check_version, save_new_version, validate
from core.history.context import service
from partners.models import Partner
from safeguards import fields as spec
from safeguards.models import (
    APPROVED,
    EndUseCheck,
    EndUseCheckItem,
    ReleaseDecision,
    TechnologyItem,
    Transfer,
    TransferItem,
    Violation,
    ViolationItem,
)

PROSCRIBED = "itar_126_1"


def _create(model, fields: dict, allowed: tuple[str, ...]):
    instance = model()
    apply_changes(instance, fields, allowed=set(allowed))
    validate(instance)
    return instance


def _locked(model, instance, expected_version, changes, allowed):
    instance = model.objects.select_for_update().get(pk=instance.pk)
    check_version(instance, expected_version)
    apply_changes(instance, changes, allowed=set(allowed))
    validate(instance)
    return instance


def _refuse_proscribed(partner_id, day, field: str, what: str) -> None:
    """A release or an approved transfer to a partner that holds ITAR §126.1 on `day`."""
    if partner_id is None or day is None:
        return
    if Partner.objects.with_designation(PROSCRIBED, on=day).filter(pk=partner_id).exists():
        raise ValidationError(
            {
                field: [
                    f"This partner is a proscribed destination (ITAR §126.1) on "
                    f"{day.isoformat()}: {what} is refused."
                ]
            }
        )


def _item_ids(items: Iterable) -> list[int]:
    """The ids of `items` (ids or items), each once, in order; unknown ids are a 400."""
    ids = list(dict.fromkeys(getattr(i, "pk", i) for i in items))
    found = set(TechnologyItem.objects.filter(pk__in=ids).values_list("pk", flat=True))
    unknown = [str(i) for i in ids if i not in found]
    if unknown:
        raise ValidationError({"items": [f"Unknown technology item: {', '.join(unknown)}."]})
    return ids


def _sync_items(link_model, owner_field: str, owner, ids: list[int]) -> None:
    """Make the record's item links these ids; unchanged links are left alone (history)."""
    links = link_model.objects.filter(**{owner_field: owner})
    have = set(links.values_list("item_id", flat=True))
    links.exclude(item_id__in=ids).delete()
    link_model.objects.bulk_create(
        [link_model(**{owner_field: owner, "item_id": i}) for i in ids if i not in have]
    )


def released_item_ids(partner_id: int, item_ids: Iterable[int]) -> set[int]:
    """Of `item_ids`, those the partner holds by consent: an approved release decision to it,
    or an approved third-party transfer to it that covers the item."""
    ids = list(item_ids)
    released = ReleaseDecision.objects.filter(
        partner_id=partner_id, item_id__in=ids, decision__in=APPROVED
    ).values_list("item_id", flat=True)
    transferred = TransferItem.objects.filter(
        item_id__in=ids, transfer__to_partner_id=partner_id, transfer__decision__in=APPROVED
    ).values_list("item_id", flat=True)
    return set(released) | set(transferred)


# --- technology items ------------------------------------------------------------------------


@service
def technology_item_create(*, actor, **fields) -> TechnologyItem:
    item = _create(TechnologyItem, fields, spec.TECHNOLOGY_ITEM_FIELDS)
    item.save()
    return item


@service
def technology_item_update(
    *, item: TechnologyItem, actor, expected_version: int | None = None, **changes
) -> TechnologyItem:
    item = _locked(TechnologyItem, item, expected_version, changes, spec.TECHNOLOGY_ITEM_FIELDS)
    save_new_version(item)
    return item


# --- release decisions -----------------------------------------------------------------------


def _check_release(release: ReleaseDecision) -> None:
    if release.decision != ReleaseDecision.Decision.DENIED:
        _refuse_proscribed(release.partner_id, release.decided_on, "partner", "a release")


@service
def release_decision_create(*, actor, **fields) -> ReleaseDecision:
    release = _create(ReleaseDecision, fields, spec.RELEASE_DECISION_FIELDS)
    _check_release(release)
    release.save()
    return release


@service
def release_decision_update(
    *, release: ReleaseDecision, actor, expected_version: int | None = None, **changes
) -> ReleaseDecision:
    release = _locked(
        ReleaseDecision, release, expected_version, changes, spec.RELEASE_DECISION_FIELDS
    )
    _check_release(release)
    save_new_version(release)
    return release


# --- end-use checks --------------------------------------------------------------------------


def _check_items_released(check: EndUseCheck, ids: list[int]) -> None:
    missing = [str(i) for i in ids if i not in released_item_ids(check.partner_id, ids)]
    if missing:
        raise ValidationError(
            {
                "items": [
                    f"Not released to this partner (no approved release or transfer): "
                    f"item {', '.join(missing)}."
                ]
            }
        )


@service
def end_use_check_create(*, actor, items: Iterable = (), **fields) -> EndUseCheck:
    check = _create(EndUseCheck, fields, spec.END_USE_CHECK_FIELDS)
    ids = _item_ids(items)
    _check_items_released(check, ids)
    check.save()
    _sync_items(EndUseCheckItem, "end_use_check", check, ids)
    return check


@service
def end_use_check_update(
    *,
    check: EndUseCheck,
    actor,
    expected_version: int | None = None,
    items: Iterable | None = None,
    **changes,
) -> EndUseCheck:
    check = _locked(EndUseCheck, check, expected_version, changes, spec.END_USE_CHECK_FIELDS)
    if items is None:
        ids = list(
            EndUseCheckItem.objects.filter(end_use_check=check).values_list("item_id", flat=True)
        )
    else:
        ids = _item_ids(items)
    _check_items_released(check, ids)
    save_new_version(check)
    _sync_items(EndUseCheckItem, "end_use_check", check, ids)
    return check


# --- third-party transfers -------------------------------------------------------------------


def _check_transfer(transfer: Transfer) -> None:
    if transfer.decision in APPROVED:
        _refuse_proscribed(
            transfer.to_partner_id, transfer.decided_on, "to_partner", "an approved transfer"
        )


@service
def transfer_create(*, actor, items: Iterable = (), **fields) -> Transfer:
    transfer = _create(Transfer, fields, spec.TRANSFER_FIELDS)
    ids = _item_ids(items)
    _check_transfer(transfer)
    transfer.save()
    _sync_items(TransferItem, "transfer", transfer, ids)
    return transfer


@service
def transfer_update(
    *,
    transfer: Transfer,
    actor,
    expected_version: int | None = None,
    items: Iterable | None = None,
    **changes,
) -> Transfer:
    transfer = _locked(Transfer, transfer, expected_version, changes, spec.TRANSFER_FIELDS)
    ids = None if items is None else _item_ids(items)
    _check_transfer(transfer)
    save_new_version(transfer)
    if ids is not None:
        _sync_items(TransferItem, "transfer", transfer, ids)
    return transfer


# --- violations ------------------------------------------------------------------------------


@service
def violation_create(*, actor, items: Iterable = (), **fields) -> Violation:
    violation = _create(Violation, fields, spec.VIOLATION_FIELDS)
    ids = _item_ids(items)
    violation.save()
    _sync_items(ViolationItem, "violation", violation, ids)
    return violation


@service
def violation_update(
    *,
    violation: Violation,
    actor,
    expected_version: int | None = None,
    items: Iterable | None = None,
    **changes,
) -> Violation:
    violation = _locked(Violation, violation, expected_version, changes, spec.VIOLATION_FIELDS)
    ids = None if items is None else _item_ids(items)
    save_new_version(violation)
    if ids is not None:
        _sync_items(ViolationItem, "violation", violation, ids)
    return violation
