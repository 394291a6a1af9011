"""Every write to partners goes through these functions."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.domain import apply_changes, check_version, save_new_version, sync_children, validate
from core.history.context import service
from core.marked import refuse_unheld_marking
from partners.fields import PARTNER_FIELDS
from partners.models import Partner, PartnerDesignation


@service
def partner_create(*, actor, designations: Iterable[dict] = (), **fields) -> Partner:
    """A new partner from the fields in partners.fields.PARTNER_FIELDS (name and kind needed)."""
    refuse_unheld_marking(actor, fields)
    partner = Partner()
    apply_changes(partner, fields, allowed=set(PARTNER_FIELDS))
    partner.iso3 = partner.iso3 or None  # "" from a form or a file means no code
    validate(partner)
    partner.save()
    _sync_designations(partner, designations)
    return partner


@service
def partner_update(
    *,
    partner: Partner,
    actor,
    expected_version: int | None = None,
    designations: Iterable[dict] | None = None,
    **changes,
) -> Partner:
    refuse_unheld_marking(actor, changes)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    check_version(partner, expected_version)
    apply_changes(partner, changes, allowed=set(PARTNER_FIELDS))
    if partner.parent_id and _parent_cycle(partner):
        raise ValidationError({"parent": ["This parent would make a cycle of partners."]})
    validate(partner)
    save_new_version(partner)
    if designations is not None:
        _sync_designations(partner, designations)
    return partner


@service
def partner_archive(*, partner: Partner, actor, expected_version: int | None = None) -> Partner:
    """Take a partner out of use without deleting it; the change history records who did it."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    check_version(partner, expected_version)
    if partner.archived_at is None:
        partner.archived_at = timezone.now()
        save_new_version(partner)
    return partner


def _sync_designations(partner: Partner, designations: Iterable[dict]) -> None:
    sync_children(
        model=PartnerDesignation,
        parent_field="partner",
        parent=partner,
        items=list(designations),
        key=("category", "valid_from"),
        prefix="designations",
    )


def _parent_cycle(partner: Partner) -> bool:
    seen, current = set(), partner.parent_id
    while current is not None and current not in seen:
        if current == partner.pk:
            return True
        seen.add(current)
        current = Partner.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return False
