"""Every write to legislation, technology areas and agreements goes through these functions."""

from collections.abc import Iterable
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError

from agreements import fields as spec
from agreements.models import (
    Act,
    Agreement,
    AgreementParticipant,
    AgreementTechnologyArea,
    IndustrialParticipant,
    LegalBasis,
    Provision,
    TechnologyArea,
)
from core.domain import apply_changes, check_version, save_new_version, sync_children, validate
from core.history.context import service
from core.marked import refuse_unheld_marking


def _create(model, fields: dict, allowed: tuple[str, ...]):
    instance = model()
    apply_changes(instance, fields, allowed=set(allowed))
    validate(instance)
    instance.save()
    return instance


def _update(model, instance, expected_version, changes, allowed):
    instance = model.objects.select_for_update().get(pk=instance.pk)
    check_version(instance, expected_version)
    apply_changes(instance, changes, allowed=set(allowed))
    validate(instance)
    save_new_version(instance)
    return instance


@service
def act_create(*, actor, **fields) -> Act:
    return _create(Act, fields, spec.ACT_FIELDS)


@service
def act_update(*, act: Act, actor, expected_version: int | None = None, **changes) -> Act:
    return _update(Act, act, expected_version, changes, spec.ACT_FIELDS)


@service
def provision_create(*, actor, **fields) -> Provision:
    return _create(Provision, fields, spec.PROVISION_FIELDS)


@service
def provision_update(
    *, provision: Provision, actor, expected_version: int | None = None, **changes
) -> Provision:
    return _update(Provision, provision, expected_version, changes, spec.PROVISION_FIELDS)


@service
def technology_area_create(*, actor, **fields) -> TechnologyArea:
    return _create(TechnologyArea, fields, spec.TECHNOLOGY_AREA_FIELDS)


@service
def technology_area_update(
    *, area: TechnologyArea, actor, expected_version: int | None = None, **changes
) -> TechnologyArea:
    return _update(TechnologyArea, area, expected_version, changes, spec.TECHNOLOGY_AREA_FIELDS)


@service
def agreement_create(
    *,
    actor,
    technology_areas: Iterable = (),
    participants: Iterable[dict] = (),
    legal_bases: Iterable[dict] = (),
    industrial_participants: Iterable[dict] = (),
    **fields,
) -> Agreement:
    refuse_unheld_marking(actor, fields)
    participants = list(participants)
    with _nested_rules_too(participants):
        agreement = _create(Agreement, fields, spec.AGREEMENT_FIELDS)
    _sync_nested(agreement, technology_areas, participants, legal_bases, industrial_participants)
    return agreement


@service
def agreement_update(
    *,
    agreement: Agreement,
    actor,
    expected_version: int | None = None,
    technology_areas: Iterable | None = None,
    participants: Iterable[dict] | None = None,
    legal_bases: Iterable[dict] | None = None,
    industrial_participants: Iterable[dict] | None = None,
    **changes,
) -> Agreement:
    refuse_unheld_marking(actor, changes)
    participants = None if participants is None else list(participants)
    with _nested_rules_too(participants):
        agreement = _update(Agreement, agreement, expected_version, changes, spec.AGREEMENT_FIELDS)
    _sync_nested(agreement, technology_areas, participants, legal_bases, industrial_participants)
    return agreement


def _nested_rules(participants: list[dict] | None) -> dict:
    """The rules over the nested lists that need no saved agreement (cost shares)."""
    if participants is None:
        return {}
    total = sum(
        Decimal(str(p["cost_share_percent"])) for p in participants if p.get("cost_share_percent")
    )
    if total > 100:
        return {"participants": [f"Cost shares add up to {total}%, more than 100%."]}
    return {}


@contextmanager
def _nested_rules_too(participants: list[dict] | None):
    """When the agreement's own fields are refused, report the nested lists' rules with them,
    so that one submission shows every error (issue 30)."""
    try:
        yield
    except ValidationError as error:
        errors = error.update_error_dict({})
        for key, messages in _nested_rules(participants).items():
            errors.setdefault(key, []).extend(messages)
        raise ValidationError(errors) from None


def _sync_nested(agreement, technology_areas, participants, legal_bases, industrial) -> None:
    """Write the nested lists that were given; collect every item's errors before raising."""
    errors: dict = {}
    steps = [
        (technology_areas, _sync_areas),
        (participants, _sync_participants),
        (legal_bases, _sync_legal_bases),
        (industrial, _sync_industrial),
    ]
    for items, step in steps:
        if items is None:
            continue
        try:
            step(agreement, list(items))
        except ValidationError as error:
            errors.update(error.message_dict)
    for key, messages in _nested_rules(participants).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _sync_areas(agreement: Agreement, areas: list) -> None:
    slugs = [getattr(a, "slug", a) for a in areas]
    found = {a.slug: a for a in TechnologyArea.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ValidationError(
            {"technology_areas": [f"Unknown technology area: {', '.join(map(str, unknown))}."]}
        )
    rows = [{"technology_area": found[s]} for s in dict.fromkeys(slugs)]
    _sync_rows(agreement, rows, AgreementTechnologyArea, ("technology_area",), "technology_areas")


def _sync_participants(agreement: Agreement, items: list[dict]) -> None:
    _sync_rows(agreement, items, AgreementParticipant, ("partner",), "participants")


def _sync_legal_bases(agreement: Agreement, items: list[dict]) -> None:
    _sync_rows(agreement, items, LegalBasis, ("provision", "role"), "legal_bases")


def _sync_industrial(agreement: Agreement, items: list[dict]) -> None:
    _sync_rows(
        agreement,
        items,
        IndustrialParticipant,
        ("company", "us_state", "naics_code"),
        "industrial_participants",
    )


def _sync_rows(agreement: Agreement, items: list, model, key: tuple[str, ...], prefix: str) -> None:
    """Make the agreement's rows of one nested list these; `key` tells one row from another,
    `prefix` is the list's name in errors (`participants[0].role`)."""
    sync_children(
        model=model,
        parent_field="agreement",
        parent=agreement,
        items=items,
        key=key,
        prefix=prefix,
    )
