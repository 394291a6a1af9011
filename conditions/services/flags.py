"""People acknowledging, resolving and re-opening flags."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from conditions.models import Flag
from core.history.context import service

NOTE_MAX = Flag._meta.get_field("note").max_length


@service
def flag_acknowledge(*, flag: Flag, actor) -> Flag:
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status != Flag.Status.OPEN:
        raise ValidationError(
            {"status": [f"Only an open flag can be acknowledged (it is {flag.status})."]}
        )
    flag.status = Flag.Status.ACKNOWLEDGED
    flag.acknowledged_by = actor
    flag.acknowledged_at = timezone.now()
    flag.save()
    return flag


@service
def flag_resolve(*, flag: Flag, actor, note: str = "") -> Flag:
    """Resolve an open or acknowledged flag, with an optional note on why (kept in history)."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status == Flag.Status.RESOLVED:
        raise ValidationError({"status": ["This flag is already resolved."]})
    flag.status = Flag.Status.RESOLVED
    flag.resolved_by = actor
    flag.resolved_at = timezone.now()
    flag.note = _note(note)
    flag.save()
    return flag


@service
def flag_reopen(*, flag: Flag, actor, note: str = "") -> Flag:
    """Undo a resolution: the flag is open again, with an optional note on why.

    Refused when the scan has since raised a new flag of the same kind on the same record
    (at most one is active): that newer flag is the one to act on."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status != Flag.Status.RESOLVED:
        status = flag.get_status_display().lower()
        raise ValidationError(
            {"status": [f"Only a resolved flag can be re-opened (it is {status})."]}
        )
    active = Flag.objects.filter(
        kind=flag.kind,
        condition_id=flag.condition_id,
        agreement_id=flag.agreement_id,
        status__in=[Flag.Status.OPEN, Flag.Status.ACKNOWLEDGED],
    )
    if active.exists():
        raise ValidationError(
            {"status": ["A newer flag of this kind is open on the same record: act on that one."]}
        )
    flag.status = Flag.Status.OPEN
    flag.acknowledged_by = flag.acknowledged_at = None
    flag.resolved_by = flag.resolved_at = None
    flag.note = _note(note)
    flag.save()
    return flag


def _note(note) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": [f"Keep the note to {NOTE_MAX} characters (it has {len(note)})."]}
        )
    return note
