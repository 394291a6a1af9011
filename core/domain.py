"""Pieces every domain model and service shares: versioning, validation, stale-edit errors,
and the range of dates the registry keeps."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# Dates the registry stores or is asked about (docs/decisions/0018): wide enough for every
# law and agreement on record and every review planned, narrow enough that date arithmetic
# (a day after, a review interval later) and PostgreSQL's own range never overflow.
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2200, 12, 31)
DATE_RANGE_MESSAGE = "Enter a date between 1900-01-01 and 2200-12-31."
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def validate_registry_date(value) -> None:
    """Refuse a date outside FIRST_DATE..LAST_DATE (the caller names the field)."""
    if isinstance(value, datetime.date) and not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


def parse_iso_date(raw) -> datetime.date:
    """A YYYY-MM-DD text as a date in the registry's range; ValueError with a message otherwise.

    Strict: `2026-1-1` and `20260101` (which Python's fromisoformat accepts) are refused.
    """
    text = raw if isinstance(raw, str) else ""
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError("Enter a date as YYYY-MM-DD.") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(DATE_RANGE_MESSAGE)
    return day


class RegistryDateFormField(forms.DateField):
    """A form date in the registry's range; strict YYYY-MM-DD when `strict` (query filters)."""

    def __init__(self, *args, strict: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = strict
        if validate_registry_date not in self.validators:
            self.validators.append(validate_registry_date)

    def to_python(self, value):
        if self.strict and isinstance(value, str) and value.strip():
            try:
                return parse_iso_date(value)
            except ValueError as error:
                raise ValidationError(str(error), code="invalid") from None
        return super().to_python(value)


class RegistryDateField(models.DateField):
    """A date column whose values stay in the registry's range, checked by full_clean().

    It is the same column as models.DateField, and migrations record it as one: the range
    is a validator, not a database change.
    """

    default_validators = [validate_registry_date]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RegistryDateFormField, **kwargs})


def ordering_indexes(orderable, *, covered=()) -> list[models.Index]:
    """An index on (field, id) for each field a list may be sorted by and no other index
    leads with (`covered`): every ordering's page is then one index range, its keyset
    ending on the id that breaks ties, however large the table (issue 14). Django names
    each index from its model and fields."""
    return [
        models.Index(fields=[name, "id"])
        for name in orderable
        if name != "id" and name not in covered
    ]


class StaleObjectError(Exception):
    """Raised when an edit was based on a version someone else has since replaced."""

    def __init__(self, current_version: int):
        super().__init__(
            f"This record was changed by someone else (now version {current_version})."
        )
        self.current_version = current_version


class VersionedModel(models.Model):
    """A record edited by people: a version that rises with every change, and timestamps."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def validate(instance, *, exclude=None) -> None:
    """Full validation with field-named messages first, then the database constraints."""
    instance.full_clean(exclude=exclude, validate_constraints=False)
    instance.validate_constraints(exclude=exclude)


def check_version(instance, expected_version: int | None) -> None:
    """Refuse an edit made against an old version."""
    if expected_version is not None and expected_version != instance.version:
        raise StaleObjectError(instance.version)


def apply_changes(instance, changes: dict, *, allowed: set[str]) -> None:
    """Set the given fields on the instance, refusing unknown names."""
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    for name, value in changes.items():
        setattr(instance, name, value)


def save_new_version(instance) -> None:
    """Save an edited record with its version raised by one."""
    instance.version += 1
    instance.save()


def prefix_errors(error: ValidationError, prefix: str) -> ValidationError:
    """Re-key nested errors as `prefix.field`, e.g. `participants[1].cost_share_percent`."""
    if hasattr(error, "error_dict"):
        return ValidationError(
            {
                (prefix if field == "__all__" else f"{prefix}.{field}"): errors
                for field, errors in error.error_dict.items()
            }
        )
    return ValidationError({prefix: error.messages})


def sync_children(
    *, model, parent_field: str, parent, items, key: tuple[str, ...], prefix: str
) -> list:
    """Make the parent's child rows equal `items` (dicts), matching existing rows by `key`.

    Unchanged rows are left alone, so the change history shows only real edits. Errors are
    named after the item, e.g. `participants[1].cost_share_percent`, and nothing is written
    unless every item is valid.
    """
    allowed = {f.name for f in model._meta.concrete_fields} - {"id", parent_field}
    existing = {
        tuple(_key_value(getattr(row, f"{k}_id", getattr(row, k, None))) for k in key): row
        for row in model.objects.filter(**{parent_field: parent})
    }
    # What each row held before this edit, to save only the rows that really change.
    before = {row.pk: _values(row) for row in existing.values()}
    errors: dict = {}
    seen: dict = {}
    wanted = []
    for index, data in enumerate(items):
        label = f"{prefix}[{index}]"
        unknown = set(data) - allowed
        if unknown:
            errors.update({f"{label}.{name}": ["Unknown field."] for name in sorted(unknown)})
            continue
        row_key = tuple(_key_value(data.get(k)) for k in key)
        if row_key in seen:
            errors[f"{label}.{key[0]}"] = [f"Listed twice (also {prefix}[{seen[row_key]}])."]
            continue
        seen[row_key] = index
        row = existing.get(row_key) or model(**{parent_field: parent})
        for name, value in data.items():
            setattr(row, name, value)
        try:
            row.full_clean(
                exclude=[parent_field], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors.update(prefix_errors(error, label).error_dict)
        wanted.append((row_key, row))
    if errors:
        raise ValidationError(errors)
    kept_keys = {k for k, _ in wanted}
    stale = [row.pk for k, row in existing.items() if k not in kept_keys]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    result = []
    for _key, row in wanted:
        if row.pk is None or _values(row) != before[row.pk]:
            row.save()
        result.append(row)
    return result


def _key_value(value):
    return getattr(value, "pk", value)


def _values(row) -> dict:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
