"""API pagination: {results, next, previous} with page_size clamped to 1..500, no COUNT(*)."""

from rest_framework.pagination import CursorPagination


class Pagination(CursorPagination):
    """Cursor pagination: constant cost per page whatever the table size."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        try:
            size = int(raw)
        except (TypeError, ValueError):
            return self.page_size
        return max(1, min(size, self.max_page_size))

    def get_ordering(self, request, queryset, view):
        # Cursor pagination needs a unique, stable ordering: whatever the client asked
        # for, the primary key breaks ties.
        ordering = list(super().get_ordering(request, queryset, view))
        if not any(o.lstrip("-") in ("id", "pk") for o in ordering):
            ordering.append("-id" if ordering and ordering[0].startswith("-") else "id")
        return tuple(ordering)
