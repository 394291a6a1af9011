"""History pages: one object's changes, the global change log, and the ledger alert."""

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.views import View
from django.views.generic import TemplateView

from core.history.display import readable_changes
from core.history.events import (
    ChangeFilterSet,
    InvalidCursor,
    Page,
    history_page,
    object_filter,
    tracked_model,
)
from core.history.names import record_names
from core.history.slice import EventFilter
from core.marked import MARKING_FIELDS, MarkedModel, allowed_category_codes
from core.markings import Marking, highest
from core.registry_day import registry_time_zone, registry_today
from core.web.access import AuditorRequiredMixin, ReaderRequiredMixin
from core.web.csv import csv_response
from core.web.lists import MAX_PAGE_SIZE, crumb, style_filter_form, trail_to_list

PAGE_SIZE = 50


class _EventPageView(TemplateView):
    """A page of events from `?cursor=` (newest first), with links to older and newer ones.

    Keyset pages, not page numbers: a page costs the same however long the history is, so
    there is no "page N of M" (that would count every event ever recorded).
    """

    def page_size(self) -> int:
        try:
            size = int(self.request.GET.get("page_size", PAGE_SIZE))
        except ValueError:
            size = PAGE_SIZE
        return max(1, min(size, MAX_PAGE_SIZE))

    def event_page(self, filters) -> Page:
        try:
            return history_page(
                filters, size=self.page_size(), cursor=self.request.GET.get("cursor") or None
            )
        except InvalidCursor:
            raise Http404("No such page of changes.") from None

    def page_context(self, page: Page) -> dict:
        names = record_names(page.events)
        return {
            "events": [
                _row(event, changes, names)
                for event, changes in zip(page.events, readable_changes(page.events), strict=True)
            ],
            "older_cursor": page.older,
            "newer_cursor": page.newer,
            # The banner: the highest marking of the events shown, as each record was marked then.
            "marking": highest(
                Marking.of(*(event.pgh_data.get(name) for name in MARKING_FIELDS))
                for event in page.events
            ),
        }


def _row(event, changes, names) -> dict:
    model = tracked_model(event.pgh_obj_model)
    name, url = names.get((event.pgh_obj_model, int(event.pgh_obj_id)), ("", ""))
    return {
        "event": event,
        "changes": changes,
        "model_label": model._meta.label_lower if model else "",
        "model_name": model._meta.verbose_name.capitalize() if model else event.pgh_obj_model,
        "record_name": name or f"#{event.pgh_obj_id}",
        "record_url": url,
    }


class ObjectHistoryView(ReaderRequiredMixin, _EventPageView):
    """Every change to one record (and to the rows that belong to it), newest first."""

    template_name = "history/object_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.model_class = tracked_model(self.kwargs["model"])
        if self.model_class is None:
            raise Http404("No history is kept for this kind of record.")
        current = self.model_class._default_manager.filter(pk=self.kwargs["pk"]).first()
        categories = tuple(allowed_category_codes(self.request.user))
        if isinstance(current, MarkedModel) and not current.marking.categories <= set(categories):
            raise Http404("This record has no history.")  # as if it did not exist (0028)
        page = self.event_page(object_filter(self.model_class, self.kwargs["pk"], categories))
        if not page.events and "cursor" not in self.request.GET:
            raise Http404("This record has no history.")
        context.update(self.page_context(page))
        context.update(
            record=current,
            record_label=str(current) if current else f"#{self.kwargs['pk']} (no longer present)",
            model_name=self.model_class._meta.verbose_name,
        )
        context["breadcrumbs"] = self.breadcrumbs(current, context["record_label"])
        return context

    def breadcrumbs(self, current, label: str) -> list[dict]:
        """Home, the record's list and page (where the web has them), then this history."""
        meta = self.model_class._meta
        route = f"{meta.app_label}:{meta.model_name}"
        trail = trail_to_list(f"{route}_list")
        try:
            url = reverse(f"{route}_detail", kwargs={"pk": current.pk}) if current else ""
        except NoReverseMatch:
            url = ""
        return [*trail, crumb(label, url), crumb("Change history")]


def change_filters(request) -> tuple[ChangeFilterSet, EventFilter | None]:
    """The change log's filter form and, when its values are valid, the events' filter for
    this reader (None when they are not)."""
    filterset = ChangeFilterSet(request.GET or None)
    categories = tuple(allowed_category_codes(request.user))
    if not request.GET:
        return filterset, EventFilter(categories=categories)
    if filterset.is_valid():
        return filterset, filterset.event_filter(categories)
    return filterset, None


class ChangeLogView(AuditorRequiredMixin, _EventPageView):
    """Every change to every record, filtered by user, object type, channel and dates."""

    template_name = "history/change_log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, filters = change_filters(self.request)
        style_filter_form(filterset.form)
        page = self.event_page(filters) if filters is not None else Page([], None, None)
        context.update(self.page_context(page), filter=filterset, filter_form=filterset.form)
        query = self.request.GET.copy()
        query.pop("cursor", None)
        context["csv_url"] = reverse("history:changes_csv") + (
            f"?{query.urlencode()}" if query else ""
        )
        return context


CSV_MAX_EVENTS = 10_000  # an export is for a question, not a copy of the whole history
CSV_CHUNK = 500


class ChangeLogCsvView(AuditorRequiredMixin, View):
    """The change log's filtered events as CSV, newest first, up to CSV_MAX_EVENTS: when (in
    the registry's time zone, with its offset), the record by kind, id and name, what, who,
    how, and the fields changed in words."""

    def get(self, request, *args, **kwargs):
        filterset, filters = change_filters(request)
        if filters is None:
            errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
            return csv_response(iter([["error"], [errors]]), filename=self.filename(), status=400)
        events, cursor = [], None
        while len(events) < CSV_MAX_EVENTS:
            page = history_page(filters, size=CSV_CHUNK, cursor=cursor)
            events.extend(page.events)
            cursor = page.older
            if cursor is None:
                break
        events = events[:CSV_MAX_EVENTS]
        marking = highest(
            Marking.of(*(event.pgh_data.get(name) for name in MARKING_FIELDS)) for event in events
        )
        return csv_response(self.rows(events), filename=self.filename(), marking=marking)

    @staticmethod
    def filename() -> str:
        return f"change-log-{registry_today().isoformat()}.csv"

    @staticmethod
    def rows(events):
        yield ["when", "record_kind", "record_id", "record", "what", "user", "channel", "changes"]
        zone = registry_time_zone()
        for start in range(0, len(events), CSV_CHUNK):
            chunk = events[start : start + CSV_CHUNK]
            names = record_names(chunk)
            for event, changes in zip(chunk, readable_changes(chunk), strict=True):
                row = _row(event, changes, names)
                yield [
                    event.pgh_created_at.astimezone(zone).isoformat(timespec="seconds"),
                    row["model_name"],
                    event.pgh_obj_id,
                    row["record_name"],
                    WHAT.get(event.pgh_label, event.pgh_label),
                    event.actor or "unknown",
                    event.channel,
                    "; ".join(_change_words(event.pgh_label, c) for c in changes),
                ]


WHAT = {"insert": "created", "update": "changed", "delete": "deleted"}


def _change_words(label: str, change) -> str:
    name, before, after = change
    if label == "update":
        return f"{name}: {before} → {after}"
    return f"{name}: {before if label == 'delete' else after}"
