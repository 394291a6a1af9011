"""Creating and editing conditions with their requirements and sources."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from conditions import fields as spec
from conditions.models import Condition, ConditionRequirement, SourceDocument
from core.domain import apply_changes, check_version, save_new_version, sync_children, validate
from core.history.context import service
from core.marked import inherit_marking, refuse_unheld_marking


@service
def condition_create(
    *, actor, requirements: Iterable[dict] = (), sources: Iterable[dict] = (), **fields
) -> Condition:
    refuse_unheld_marking(actor, fields)
    condition = Condition()
    apply_changes(condition, fields, allowed=set(spec.CONDITION_FIELDS))
    _inherit(condition, actor)
    validate(condition)
    condition.save()
    _sync_nested(condition, requirements, sources)
    return condition


@service
def condition_update(
    *,
    condition: Condition,
    actor,
    expected_version: int | None = None,
    requirements: Iterable[dict] | None = None,
    sources: Iterable[dict] | None = None,
    **changes,
) -> Condition:
    refuse_unheld_marking(actor, changes)
    condition = Condition.objects.select_for_update().get(pk=condition.pk)
    check_version(condition, expected_version)
    apply_changes(condition, changes, allowed=set(spec.CONDITION_FIELDS))
    _inherit(condition, actor)
    validate(condition)
    save_new_version(condition)
    _sync_nested(condition, requirements, sources)
    return condition


def _inherit(condition: Condition, actor) -> None:
    """A condition names its partner and agreement: it carries at least their markings; an
    editor not cleared for them is refused rather than left with a record they cannot see."""
    parents = [
        condition.partner if condition.partner_id else None,
        condition.agreement if condition.agreement_id else None,
    ]
    inherit_marking(condition, *parents)
    refuse_unheld_marking(actor, {"marking_categories": condition.marking_categories})


def _sync_nested(condition: Condition, requirements, sources) -> None:
    errors: dict = {}
    for items, model, key, prefix in (
        (requirements, ConditionRequirement, ("label",), "requirements"),
        (sources, SourceDocument, ("url",), "sources"),
    ):
        if items is None:
            continue
        try:
            sync_children(
                model=model,
                parent_field="condition",
                parent=condition,
                items=list(items),
                key=key,
                prefix=prefix,
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
