"""Shared API pieces: strict JSON fields, the base serializer and viewset, ETag/If-Match."""

import re

from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, relations, serializers, viewsets
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response

from core.api.ordering import StrictOrderingFilter
from core.api.rows import RowReader
from core.domain import parse_iso_date
from core.marked import MARKING_FIELDS, MarkedModel, marking_of, visible
from core.markings import Marking, highest
from core.roles import can_read

# The response header that carries the highest marking of the records in a response.
MARKING_HEADER = "X-CUI-Marking"


def _strict(base, types: tuple, code: str = "invalid"):
    """A field that takes only the given JSON types (DRF would turn 5 into "5", "1" into 1)."""

    class Strict(base):
        def to_internal_value(self, data):
            if isinstance(data, bool) and bool not in types or not isinstance(data, types):
                self.fail(code, data_type=type(data).__name__, input=data)
            if isinstance(data, str) and "\x00" in data:
                # PostgreSQL cannot store NUL; refuse it before any validator queries with it.
                raise ValidationError("Null characters are not allowed.")
            return super().to_internal_value(data)

    Strict.__name__ = f"Strict{base.__name__}"
    Strict.__qualname__ = Strict.__name__
    return Strict


StrictCharField = _strict(serializers.CharField, (str,))
StrictSlugField = _strict(serializers.SlugField, (str,))
StrictURLField = _strict(serializers.URLField, (str,))


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]}
)
class OptionalURLField(StrictURLField):
    """A URL that may be left empty ("")."""


StrictEmailField = _strict(serializers.EmailField, (str,))
StrictIntegerField = _strict(serializers.IntegerField, (int,))
StrictBooleanField = _strict(serializers.BooleanField, (bool,))
StrictDecimalField = _strict(serializers.DecimalField, (int, float))
StrictPrimaryKeyRelatedField = _strict(
    serializers.PrimaryKeyRelatedField, (int,), code="incorrect_type"
)


class StrictDateField(serializers.DateField):
    """A date as the contract writes it: YYYY-MM-DD only, between 1900 and 2200."""

    def to_internal_value(self, value):
        try:
            return parse_iso_date(value)
        except ValueError as error:
            raise ValidationError(str(error)) from None


@extend_schema_field(
    {
        "type": "string",
        "readOnly": True,
        "description": "The record's CUI banner marking, e.g. `CUI//SP-EXPT//NOFORN`; "
        "`UNCLASSIFIED` when it holds no CUI (from the marking_* fields).",
    }
)
class MarkingField(serializers.Field):
    """The banner line of a marked record (read-only; written as the marking_* fields)."""

    # core/api/rows.py computes it from these columns when a list is read as rows.
    values_columns = MARKING_FIELDS

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return value.marking.banner

    @staticmethod
    def from_columns(categories, dissemination, rel_to) -> str:
        return Marking.of(categories, dissemination, rel_to).banner


class RegistrySerializer(serializers.ModelSerializer):
    """A model serializer with strict JSON types; uniqueness is the services' job.

    Natural keys spanning several columns are checked by the model's clean(), which names the
    field (e.g. `section`), rather than DRF's generic unique-together message.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.URLField: StrictURLField,
        models.EmailField: StrictEmailField,
        models.IntegerField: StrictIntegerField,
        models.BigIntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.BooleanField: StrictBooleanField,
        models.DecimalField: StrictDecimalField,
        models.DateField: StrictDateField,
    }
    serializer_related_field = StrictPrimaryKeyRelatedField

    def get_validators(self):
        return []

    def get_fields(self):
        fields = super().get_fields()
        if issubclass(self.Meta.model, MarkedModel):
            fields["marking"] = MarkingField()
        request = self.context.get("request")
        if request is not None:
            limit_relations_to_visible(fields, request.user)
        return fields

    def to_internal_value(self, data):
        # DRF lets a PATCH skip required fields everywhere, nested list items included; an
        # item of a list that is sent (e.g. a designation) must still be complete.
        if self.parent is not None and self.root.partial and isinstance(data, dict):
            missing = {
                name: [field.error_messages["required"]]
                for name, field in self.fields.items()
                if field.required and not field.read_only and name not in data
            }
            if missing:
                raise ValidationError(missing)
        return super().to_internal_value(data)

    @property
    def actor(self):
        return self.context["request"].user

    @property
    def expected_version(self) -> int | None:
        # Read when the service is called, i.e. after the body was validated: a bad body is a
        # 400 whatever If-Match says.
        return expected_version_from(self.context["request"])


def limit_relations_to_visible(fields, user) -> None:
    """Resolve every writable record field (a foreign key, `amends`) among what `user` may
    see, as the forms do: a hidden id gets DRF's missing-id answer, word for word."""
    for field in fields.values():
        related = getattr(field, "child_relation", field)
        if isinstance(related, relations.RelatedField) and related.queryset is not None:
            related.queryset = visible(related.queryset.all(), user)  # a manager, often


# Strong comparison (RFC 9110 13.1.1): a weak validator (W/"3") never matches.
_ETAG = re.compile(r'^\s*"([0-9]{1,18})"\s*$')


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = 'If-Match must be an ETag from this API, e.g. "3".'
    default_code = "precondition_failed"


def expected_version_from(request) -> int | None:
    """The version named by If-Match, None without one; an unparseable one can never match."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() in ("", "*"):
        return None
    match = _ETAG.match(header)
    if not match:
        raise PreconditionFailed()
    return int(match.group(1))


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Base for every API resource: role-scoped queryset, filters, ordering, no DELETE."""

    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields: tuple[str, ...] = ("id",)
    ordering: tuple[str, ...] = ("-id",)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if any("\x00" in k or "\x00" in v for k, v in request.query_params.lists() for v in v):
            raise ValidationError({"non_field_errors": ["Null characters are not allowed."]})

    def get_queryset(self):
        # Object access is checked here as well as by the permission class: a user without a
        # role sees no rows even if a permission check were ever missed.
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the model
            return self.base_queryset()
        if not can_read(self.request.user):
            raise PermissionDenied()
        # Records marked with a CUI category the user may not see are not there for them:
        # left out of lists, 404 on their own route (docs/decisions/0028).
        return visible(self.base_queryset(), self.request.user)

    def base_queryset(self):
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        """A page read as rows (core/api/rows.py), or through DRF when a field needs instances."""
        queryset = self.filter_queryset(self.get_queryset())
        reader = RowReader.for_list(self.get_serializer_class())
        if reader is None or self.paginator is None:
            return super().list(request, *args, **kwargs)
        columns = self.paginator.ordering_columns(queryset)
        rows = self.paginate_queryset(reader.values(queryset, columns))
        if issubclass(queryset.model, MarkedModel):
            rows_markings = (Marking.of(*(r[n] for n in MARKING_FIELDS)) for r in rows)
            self.page_marking = highest(rows_markings)
        return self.get_paginated_response(reader.read(rows, queryset))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.shown = page if page is not None else []
        return page

    def get_object(self):
        obj = super().get_object()
        self.shown = [obj]
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "shown", None) is not None and response.status_code < 300:
            marking = getattr(self, "page_marking", None)
            if marking is None:
                marking = marking_of(self.shown)
            response[MARKING_HEADER] = marking.banner
        return response


class VersionedViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadViewSet):
    """A resource people edit: ETag on every response, If-Match checked against `version`."""

    def _reloaded(self, instance):
        return self.base_queryset().get(pk=instance.pk)

    def perform_create(self, serializer):
        serializer.instance = self._reloaded(serializer.save())
        self.shown = [serializer.instance]

    def perform_update(self, serializer):
        serializer.instance = self._reloaded(serializer.save())
        # The prefetch cache of the pre-edit object must not leak into the response.
        serializer._data = serializer.to_representation(serializer.instance)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            self.action in ("retrieve", "create", "update", "partial_update")
            and response.status_code in (200, 201)
            and isinstance(response.data, dict)
            and "version" in response.data
        ):
            response["ETag"] = f'"{response.data["version"]}"'
        return response


class WithheldDetailMixin:
    """A detail response (read, ?as_of=, create, update) carries `records_withheld`: how many
    records that shaped it this reader may not see (the model's `records_withheld(user)`).
    When there are any, `withheld_fields` (values computed from them) answer null: shown as
    withheld, never as a number the reader cannot check (docs/decisions/0034-need-to-know.md)."""

    withheld_fields: tuple[str, ...] = ()

    def finalize_response(self, request, response, *args, **kwargs):
        data = getattr(response, "data", None)
        if (
            self.action in ("retrieve", "create", "update", "partial_update")
            and response.status_code in (200, 201)
            and isinstance(data, dict)
            and isinstance(data.get("id"), int)
        ):
            record = self.base_queryset().model(pk=data["id"])
            data["records_withheld"] = count = record.records_withheld(request.user)
            for name in self.withheld_fields if count else ():
                data[name] = None
        return super().finalize_response(request, response, *args, **kwargs)


def paginated(view, queryset, serializer_class) -> Response:
    """A nested list route answered with the same {results, next, previous} shape."""
    page = view.paginate_queryset(visible(queryset, view.request.user))
    data = serializer_class(page, many=True, context=view.get_serializer_context()).data
    return view.get_paginated_response(data)
