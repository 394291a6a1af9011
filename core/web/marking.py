"""CUI markings on pages: who may open a marked record, and the banner of what a page shows.

A detail page of a marked record answers 404 to a user who may not see it, and every marked
queryset it hands its template is limited to what that user may see; the banner (templates/
includes/marking_banner.html) shows the highest marking of the record and of those rows
(docs/decisions/0028-cui-markings.md).
"""

from django.http import Http404

from core.marked import MarkedModel, MarkedQuerySet, marking_of, visible


class MarkedDetailMixin:
    """For a DetailView of a marked model; place it before the view's other mixins."""

    def get(self, request, *args, **kwargs):
        if "as_of" in request.GET and not _visible_pk(self.model, kwargs["pk"], request.user):
            raise Http404  # a past state of a record the user may not see today
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return visible(super().get_queryset(), self.request.user)

    def render_to_response(self, context, **response_kwargs):
        context["marking"] = page_marking(context, self.request.user, [self.object])
        return super().render_to_response(context, **response_kwargs)


def page_marking(context, user, shown: list):
    """Limit the context's marked querysets to what `user` may see; the highest marking of
    them, of the context's lists of marked records and of `shown`."""
    records = list(shown)
    for name, value in list(context.items()):
        if isinstance(value, MarkedQuerySet):
            context[name] = value = visible(value, user)
            records.extend(value)  # evaluated once: the template reads the same cache
        elif isinstance(value, list):
            records.extend(item for item in value if isinstance(item, MarkedModel))
    return marking_of(records)


def _visible_pk(model, pk, user) -> bool:
    return visible(model._default_manager.filter(pk=pk), user).exists()


def ensure_visible(obj, user) -> None:
    """404 unless `user` may see `obj` (edit pages and pages that add to a record)."""
    if isinstance(obj, MarkedModel) and not _visible_pk(type(obj), obj.pk, user):
        raise Http404
