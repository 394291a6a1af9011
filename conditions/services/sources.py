"""Source documents attached to append-only records (reviews, waiver entries)."""

from django.core.exceptions import ValidationError

from conditions import fields as spec
from conditions.models import SourceDocument
from core.domain import prefix_errors


def build_sources(items, **owner) -> list[SourceDocument]:
    """Validated, unsaved source rows for `owner` (review= or waiver_entry=)."""
    errors: dict = {}
    rows = []
    for index, data in enumerate(items):
        unknown = set(data) - set(spec.SOURCE_FIELDS)
        if unknown:
            errors.update({f"sources[{index}].{n}": ["Unknown field."] for n in sorted(unknown)})
            continue
        row = SourceDocument(**data)
        try:
            row.full_clean(
                exclude=["condition", "review", "waiver_entry"], validate_constraints=False
            )
        except ValidationError as error:
            errors.update(prefix_errors(error, f"sources[{index}]").error_dict)
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows


def save_sources(rows: list[SourceDocument], **owner) -> None:
    for row in rows:
        for name, value in owner.items():
            setattr(row, name, value)
    SourceDocument.objects.bulk_create(rows)
