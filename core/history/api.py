"""`/api/v1/history/`: the change log, read-only, for auditors and admins."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from pghistory.models import Events
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.api.pagination import Pagination
from core.history.as_of import jsonable, parse_as_of
from core.history.events import ChangeFilterSet, InvalidCursor, event_by_slug, history_page
from core.marked import MARKING_FIELDS, allowed_category_codes, may_see
from core.markings import Marking
from core.roles import ADMIN, AUDITOR, can_read, role_of


class AuditorReadPermission(BasePermission):
    """Auditors and admins read; everyone else is refused, and nobody writes."""

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS:
            return role_of(request.user) == ADMIN  # then 405: the log has no write method
        return can_read(request.user) and role_of(request.user) in (AUDITOR, ADMIN)


class HistoryPagination(Pagination):
    """Keyset pagination over (time, event id), newest first: `next` and `previous` are
    cursors into the bounded slice (core/history/slice.py), never an offset or a count."""

    def paginate_events(self, request, filters) -> list:
        self.request = request
        cursor = request.query_params.get(self.cursor_query_param) or None
        try:
            self.event_page = history_page(filters, size=self.get_page_size(request), cursor=cursor)
        except InvalidCursor:
            # DRF's convention: a cursor that names no position is a page that does not exist.
            raise NotFound("Invalid cursor.") from None
        return self.event_page.events

    def get_next_link(self):
        return self._cursor_link(self.event_page.older)

    def get_previous_link(self):
        return self._cursor_link(self.event_page.newer)

    def _cursor_link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)


class HistoryEventSerializer(serializers.Serializer):
    """One recorded change: which record, what happened, who, through which channel."""

    id = serializers.CharField(source="pgh_slug", read_only=True)
    object_type = serializers.CharField(source="pgh_obj_model", read_only=True)
    object_id = serializers.CharField(source="pgh_obj_id", read_only=True)
    action = serializers.CharField(source="pgh_label", read_only=True)
    at = serializers.DateTimeField(source="pgh_created_at", read_only=True)
    actor = serializers.CharField(read_only=True)
    user = serializers.SerializerMethodField()
    channel = serializers.CharField(read_only=True)
    request_id = serializers.CharField(read_only=True, allow_null=True)
    task_id = serializers.CharField(read_only=True, allow_null=True)
    data = serializers.JSONField(source="pgh_data", read_only=True)
    changes = serializers.SerializerMethodField()

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_user(self, event) -> int | None:
        return int(event.user_id) if event.user_id not in (None, "") else None

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {"before": {}, "after": {}},
            },
        }
    )
    def get_changes(self, event) -> dict:
        """{field: {before, after}}: for an update the fields that changed, else all of them."""
        if event.pgh_label == "update":
            return {k: {"before": v[0], "after": v[1]} for k, v in (event.pgh_diff or {}).items()}
        data = event.pgh_data or {}
        if event.pgh_label == "delete":
            return {k: {"before": v, "after": None} for k, v in data.items()}
        return {k: {"before": None, "after": v} for k, v in data.items()}


class HistoryEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Every insert, update and delete of every record. Filters: `user`, `object_type`,
    `object_id`, `channel`, `action`, `date_after`, `date_before` (registry days, inclusive)."""

    serializer_class = HistoryEventSerializer
    permission_classes = [AuditorReadPermission]
    pagination_class = HistoryPagination
    filterset_class = ChangeFilterSet
    filter_backends = [
        backend
        for backend in viewsets.ReadOnlyModelViewSet.filter_backends
        if not issubclass(backend, OrderingFilter)
    ]
    lookup_value_regex = r"[^/]+"
    lookup_field = "pgh_slug"
    lookup_url_kwarg = "pk"

    def get_queryset(self):
        # Only the schema generator asks (for the filters' model); pages come from `list`.
        return Events.objects.none()

    def list(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.query_params)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        categories = tuple(allowed_category_codes(request.user))
        events = self.paginator.paginate_events(request, filterset.event_filter(categories))
        return self.get_paginated_response(self.get_serializer(events, many=True).data)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if "ordering" in request.query_params:
            # The log is newest first, always (keyset pagination); say so, never ignore it.
            raise DRFValidationError(
                {"ordering": ["The change log is always newest first; leave ordering out."]}
            )

    def get_object(self):
        event = event_by_slug(self.kwargs["pk"], tuple(allowed_category_codes(self.request.user)))
        if event is None:
            raise Http404
        self.check_object_permissions(self.request, event)
        return event


AS_OF_PARAMETER = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="Show the record as it stood at the end of this registry day "
    "(REGISTRY_TIME_ZONE, America/New_York by default), rebuilt from its "
    "change history, with `partner_designations` as they held on that day.",
)


class AsOfRetrieveMixin:
    """`GET <resource>/{id}/?as_of=YYYY-MM-DD` on a viewset; set `as_of_builder`."""

    as_of_builder = None

    @extend_schema(parameters=[AS_OF_PARAMETER])
    def retrieve(self, request, *args, **kwargs):
        raw = request.query_params.get("as_of")
        if raw is None:
            return super().retrieve(request, *args, **kwargs)
        try:
            day = parse_as_of(raw)
        except ValidationError as error:
            raise DRFValidationError(error.message_dict) from None
        pk = str(kwargs.get("pk", ""))
        if not pk.isdigit() or int(pk) >= 2**63:
            raise Http404
        self.get_object()  # a record this user may not see (its marking) is not found, then too
        snapshot = type(self).as_of_builder(int(pk), day)
        if snapshot is None:
            raise Http404(f"This record did not exist at the end of {day.isoformat()}.")
        if "marking_categories" in snapshot:
            marking = Marking.of(*(snapshot[name] for name in MARKING_FIELDS))
            if not may_see(request.user, marking.categories):
                raise Http404  # marked then with a category this user may not see
            snapshot["marking"] = marking.banner
        return Response(jsonable(snapshot))
