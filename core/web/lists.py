"""List and detail pages: the shared filter form, sortable columns, pagination, breadcrumbs."""

from dataclasses import dataclass

from django import forms
from django.db import models
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.generic import ListView

from core.marked import marking_of, visible
from core.web.access import ReaderRequiredMixin
from core.web.forms import style_fields
from core.web.keyset import InvalidCursor, keyset_page
from core.web.typeahead import limit_to_visible

DEFAULT_PAGE_SIZE = 25


MAX_PAGE_SIZE = 100


def history_url(obj) -> str | None:
    """The object's change-history page, or None while that route does not exist."""
    try:
        return reverse("history:object", kwargs={"model": obj._meta.label_lower, "pk": obj.pk})
    except NoReverseMatch:
        return None


class HistoryLinkMixin:
    """Adds `history_url` and the breadcrumbs (home, its list, itself) of a detail page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history_url"] = history_url(self.object)
        list_name = self.request.resolver_match.view_name.replace("_detail", "_list")
        context["breadcrumbs"] = [*trail_to_list(list_name), crumb(str(self.object))]
        return context


def crumb(label: str, url: str = "") -> dict:
    return {"label": label, "url": url}


def trail_to_list(list_name: str) -> list[dict]:
    """Home and the list page named `list_name` ("app:thing_list"), when that page exists."""
    trail = [crumb("Home", reverse("dashboard"))]
    try:
        url = reverse(list_name)
    except NoReverseMatch:
        return trail
    words = list_name.partition(":")[2].removesuffix("_list").replace("_", " ")
    return [*trail, crumb(f"{words.capitalize()}s", url)]


@dataclass(frozen=True)
class Column:
    """One column of a list page's table, declared once, in order, on its view (`columns`).

    `label` heads the column and names it in the "Columns" chooser (`heading`, when given, is
    the header's longer text). A column with a `sort` key sorts by `?sort=<sort>` on
    `order_by` (the key itself when not given). A `key` column is always shown and marked
    `app-key`; a `hidden` one is left out until the reader asks for it; `number` right-aligns.
    """

    label: str
    sort: str = ""
    order_by: str = ""
    key: bool = False
    hidden: bool = False
    number: bool = False
    heading: str = ""

    @property
    def header_class(self) -> str:
        """The header cell's classes: `app-number` right-aligns, `app-key` marks a key column."""
        classes = []
        if self.number:
            classes.append("app-number")
        if self.key:
            classes.append("app-key")
        return " ".join(classes)


def sort_fields_of(columns: tuple[Column, ...]) -> dict[str, str]:
    """The `?sort=` keys of the sortable columns, each to its ORDER BY expression."""
    return {c.sort: c.order_by or c.sort for c in columns if c.sort}


def column_headers(columns: tuple[Column, ...], sort: str) -> list[dict]:
    """Each column with its sort state, for its header: sorted by it now, which way, and the
    `?sort=` a click on it asks for."""
    return [
        {
            "column": c,
            "active": bool(c.sort) and sort.lstrip("-") == c.sort,
            "descending": bool(c.sort) and sort == f"-{c.sort}",
            "next": f"-{c.sort}" if sort == c.sort else c.sort,
        }
        for c in columns
    ]


class FilteredListView(ReaderRequiredMixin, ListView):
    """A list page: the shared FilterSet's form, its columns, keyset pagination.

    `columns` declares the table's columns in order (`Column`); list_page.html draws the
    "Columns" chooser and the header row from it, the template only the rows' cells.
    `sort_fields = sort_fields_of(columns)` maps each sort key to its ORDER BY expression;
    `?sort=key` or `?sort=-key`. Pages are keyset pages (core/web/keyset.py): "Next" and
    "Previous" carry `?cursor=`, the sort key and id of the boundary row; no OFFSET, no
    COUNT(*), whatever the depth.
    """

    filterset_class = None
    columns: tuple[Column, ...] = ()
    sort_fields: dict[str, str] = {}
    default_sort: str = ""
    paginate_by = DEFAULT_PAGE_SIZE

    def get_paginate_by(self, queryset):
        try:
            size = int(self.request.GET.get("page_size", self.paginate_by))
        except ValueError:
            size = self.paginate_by
        return max(1, min(size, MAX_PAGE_SIZE))

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except InvalidCursor:
            message = "This page link is not valid for this list (or no longer is)."
            return render(request, "400.html", {"message": message}, status=400)

    def paginate_queryset(self, queryset, page_size):
        page = keyset_page(queryset, self.request.GET.get("cursor") or None, page_size)
        return None, page, page.rows, page.has_other_pages()

    def base_queryset(self) -> models.QuerySet:
        return self.model.objects.all()

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET,
            queryset=visible(self.base_queryset(), self.request.user),
            request=self.request,
        )
        self.adjust_filter_form(self.filterset.form)
        limit_to_visible(self.filterset.form, self.request.user, choices=False)
        style_filter_form(self.filterset.form)
        # An invalid filter shows its error and no rows, rather than silently every row.
        queryset = self.filterset.qs if self.filterset.is_valid() else self.base_queryset().none()
        return queryset.order_by(*self.ordering_for(self.current_sort()))

    def adjust_filter_form(self, form) -> None:
        """Presentation-only tweaks to the shared filter form (e.g. a select for an id)."""

    def current_sort(self) -> str:
        sort = self.request.GET.get("sort", self.default_sort)
        return sort if sort.lstrip("-") in self.sort_fields else self.default_sort

    def ordering_for(self, sort: str) -> list[str]:
        if not sort:
            return [*self.model._meta.ordering, "pk"]
        field = self.sort_fields[sort.lstrip("-")]
        prefix = "-" if sort.startswith("-") else ""
        return [f"{prefix}{field}", f"{prefix}pk"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sort = self.current_sort()
        context["filter"] = self.filterset
        context["filter_form"] = self.filterset.form
        context["list_subject"] = self.model._meta.verbose_name_plural
        context["sort"] = sort
        # The banner shows the highest marking of the rows on this page (core/markings.py).
        context["marking"] = marking_of(context["object_list"])
        context["column_headers"] = column_headers(self.columns, sort)
        return context


_RANGE_WORDS = {
    " is greater than or equal to": " on or after",
    " is less than or equal to": " on or before",
}


def style_filter_form(form) -> None:
    """A filter form as people read it: USWDS widgets, "Any" for no choice, plain date labels.

    django-filter labels a date bound "Signed on is greater than or equal to" and offers
    "---------" for no choice; the page says "Signed on or after" and "Any".
    """
    style_fields(form)
    for field in form.fields.values():
        label = str(field.label or "")
        for words, plain in _RANGE_WORDS.items():
            if label.endswith(words):
                stem = label.removesuffix(words)
                field.label = stem + (plain.removeprefix(" on") if stem.endswith(" on") else plain)
        if getattr(field, "empty_label", None) is not None:  # django-filter and model choices
            field.empty_label = "Any"
            if isinstance(field.widget, forms.Select):  # its copied choices read the old label
                field.widget.choices = field.choices


def choose_from(form, name: str, queryset, *, value=lambda obj: obj.pk) -> None:
    """Show an id filter as a select of a SMALL table's rows (e.g. technology areas); large
    tables use core.web.typeahead.typeahead instead."""
    choices = [("", "Any")] + [(value(obj), str(obj)) for obj in queryset]
    form.fields[name].widget = forms.Select(choices=choices)
