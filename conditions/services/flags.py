"""People acknowledging and resolving flags."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from conditions.models import Flag
from core.history.context import service


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
def flag_resolve(*, flag: Flag, actor) -> Flag:
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status == Flag.Status.RESOLVED:
        raise ValidationError({"status": ["This flag is already resolved."]})
    flag.status = Flag.Status.RESOLVED
    flag.resolved_by = actor
    flag.resolved_at = timezone.now()
    flag.save()
    return flag
