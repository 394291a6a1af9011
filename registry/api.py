"""`GET /api/v1/changes/?after=CURSOR`: the change feed, in commit order (decision 0020)."""

from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from core.api.pagination import Pagination
from core.marked import allowed_category_codes
from registry import changes
from registry.models import RESOURCES, Change


class ChangeSerializer(serializers.Serializer):
    """One change to one record; `cursor` is where a client resumes after it."""

    cursor = serializers.CharField(help_text="Opaque; pass it as `after` to continue.")
    occurred_at = serializers.DateTimeField()
    resource = serializers.ChoiceField(choices=RESOURCES)
    id = serializers.IntegerField(help_text="The id of the record that changed.")
    action = serializers.ChoiceField(choices=Change.Action.choices)
    channel = serializers.CharField(help_text="web, api, admin, task or shell.")
    actor = serializers.CharField(help_text="A username, `task:<name>`, or `unknown`.")
    version = serializers.IntegerField(allow_null=True)
    changed_fields = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="For an update, the fields (or nested lists) that changed; else null.",
    )


FEED_PARAMETERS = [
    OpenApiParameter(
        "after",
        OpenApiTypes.STR,
        description="The `cursor` of the last change you have seen; `0` or absent: the beginning.",
    ),
    OpenApiParameter(
        "resource",
        OpenApiTypes.STR,
        enum=list(RESOURCES),
        many=True,
        explode=True,
        description="Only changes of this resource (repeatable).",
    ),
    OpenApiParameter(
        "since",
        OpenApiTypes.DATETIME,
        description="Only changes that occurred at or after this time (ISO 8601).",
    ),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1..500, default 50 (clamped)."),
]


class ChangeFeedView(APIView):
    """Every change to every record, oldest first, in the order the changes committed.

    Store the `cursor` of the last change you processed and ask again with `after=` that
    cursor (or follow `next`, which is always given): you see every change exactly once, in
    order. An empty `results` means you are up to date; poll `next` later.
    """

    pagination = Pagination()

    @extend_schema(
        operation_id="v1_changes_list",
        parameters=FEED_PARAMETERS,
        responses=inline_serializer(
            "PaginatedChangeList",
            {
                "results": ChangeSerializer(many=True),
                "next": serializers.URLField(
                    help_text="Where to continue (always given; poll it when up to date)."
                ),
                "previous": serializers.URLField(allow_null=True, help_text="Always null."),
            },
        ),
    )
    def get(self, request):
        params = request.query_params
        try:
            after = changes.decode_cursor(params.get("after", ""))
        except ValueError as error:
            raise ValidationError({"after": [str(error)]}) from None
        resources = params.getlist("resource") or None
        if resources is not None:
            try:
                changes.check_resources(resources)
            except ValueError as error:
                raise ValidationError({"resource": [str(error)]}) from None
        since = None
        if params.get("since"):
            since = _parse_since(params["since"])
        limit = self.pagination.get_page_size(request)
        rows = changes.changes_after(
            after,
            resources=resources,
            since=since,
            limit=limit,
            categories=tuple(allowed_category_codes(request.user)),  # decision 0028
        )
        last = rows[-1].cursor if rows else changes.encode_cursor(*after)
        return Response(
            {
                "results": [row.as_json() for row in rows],
                "next": replace_query_param(request.build_absolute_uri(), "after", last),
                "previous": None,
            }
        )


def _parse_since(raw: str):
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise ValidationError(
            {"since": ["A date and time with its offset is required, e.g. 2026-01-31T12:00Z."]}
        )
    return value
