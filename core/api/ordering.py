"""`?ordering=`: only the fields a list names; an unknown one is a 400, never silently ignored.

Kept apart from core/api/base.py because DRF imports it while loading its own settings.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class StrictOrderingFilter(OrderingFilter):
    """?ordering= on the listed fields only; an unknown field is a 400, not silently ignored."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = {item[0] for item in self.get_valid_fields(queryset, view, {"request": request})}
        wrong = [term for term in fields if term.removeprefix("-") not in valid]
        if wrong:
            raise ValidationError(
                {"ordering": [f"Cannot order by {', '.join(wrong)}; use one of {sorted(valid)}."]}
            )
        return fields

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is not None and not raw.strip(" ,"):
            raise ValidationError({"ordering": ["Name a field to order by, or leave it out."]})
        # A foreign key sorts by the id it names (the field's value in the API), not by the
        # related model's own ordering, so keyset pagination compares like with like.
        ordering = super().get_ordering(request, queryset, view)
        return [self._by_id(queryset.model, term) for term in ordering or ()] or ordering

    @staticmethod
    def _by_id(model, term: str) -> str:
        name = term.removeprefix("-")
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 (not a model field: left as it is)
            return term
        if field.many_to_one:
            return term.replace(name, field.attname, 1)
        return term

    def get_schema_operation_parameters(self, view):
        terms = [t for f in view.ordering_fields for t in (f, f"-{f}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Comma-separated fields to sort by; prefix `-` for descending.",
                "schema": {"type": "array", "items": {"type": "string", "enum": terms}},
                "style": "form",
                "explode": False,
            }
        ]
