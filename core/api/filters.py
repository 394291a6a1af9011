"""Filter pieces shared by every app's FilterSet (HTML lists and API alike)."""

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.domain import RegistryDateFormField

# PostgreSQL's bigint range: values outside it cannot be stored, so they match nothing.
BIGINT_MAX = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.Filter):
    """A whole number (not 1.5, not 1e3); a value no column can hold matches nothing."""

    field_class = forms.IntegerField

    def filter(self, qs, value):
        if value is not None and not -BIGINT_MAX <= value <= BIGINT_MAX:
            return qs.none()
        return super().filter(qs, value)


class _IdChoiceField(forms.ModelChoiceField):
    """A select of records that yields the chosen id; an id that exists nowhere is no error."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def validate(self, value):
        return None


@extend_schema_field(OpenApiTypes.INT)
class ModelIdFilter(django_filters.ModelChoiceFilter):
    """Rendered as a select of records on HTML lists; in the API, an id (unknown: no rows)."""

    field_class = _IdChoiceField

    def filter(self, qs, value):
        if value is not None and not -BIGINT_MAX <= value <= BIGINT_MAX:
            return qs.none()
        return super().filter(qs, value)


class _StrictDateField(RegistryDateFormField):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, strict=True, **kwargs)


class DateFilter(django_filters.DateFilter):
    """A YYYY-MM-DD date between 1900 and 2200; anything else is an error naming the filter."""

    field_class = _StrictDateField


class SearchFilter(django_filters.CharFilter):
    """A list's `search`: rows where any of `lookups` (e.g. "title__icontains") matches."""

    def __init__(self, *lookups: str):
        super().__init__(label="Search")
        self.lookups = lookups

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        match = Q()
        for lookup in self.lookups:
            match |= Q(**{lookup: value})
        return qs.filter(match)


class _TrueFalseField(forms.Field):
    """`true` or `false` (as the API writes booleans), empty for no filter; anything else,
    `null` included, is an error naming the filter."""

    widget = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError("Enter true or false.", code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class TrueFalseFilter(django_filters.BooleanFilter):
    field_class = _TrueFalseField
