"""The web pages' one base layer: role checks, filtered lists, and service-backed forms.

Every page declares `required_role` ("reader", "editor", or "auditor" for auditors and admins
only) through one of the mixins;
the URL-walk test refuses any page that does not (docs/decisions/0006).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.views.generic import ListView, TemplateView

from config.domain import StaleObjectError, validate_registry_date
from config.roles import ADMIN, AUDITOR, can_read, can_write, role_of
from config.typeahead import typeahead_formfield

READER, EDITOR, AUDIT = "reader", "editor", "auditor"
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class RoleRequiredMixin(AccessMixin):
    """Anonymous visitors go to the sign-in page; signed-in users without the role get 403."""

    required_role: str = EDITOR  # deny by default: a page that forgets to choose needs more

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not ROLE_CHECKS[self.required_role](request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


ROLE_CHECKS = {
    READER: can_read,
    EDITOR: can_write,
    AUDIT: lambda user: role_of(user) in (AUDITOR, ADMIN),
}


class ReaderRequiredMixin(RoleRequiredMixin):
    """Any role may read: admin, editor, auditor."""

    required_role = READER


class EditorRequiredMixin(RoleRequiredMixin):
    """Only editors and admins may write."""

    required_role = EDITOR


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


class FilteredListView(ReaderRequiredMixin, ListView):
    """A list page: the shared FilterSet's form, sortable columns, pagination.

    `sort_fields` maps a column key to its ORDER BY expression; `?sort=key` or `?sort=-key`.
    """

    filterset_class = None
    sort_fields: dict[str, str] = {}
    default_sort: str = ""
    paginate_by = DEFAULT_PAGE_SIZE

    def get_paginate_by(self, queryset):
        try:
            size = int(self.request.GET.get("page_size", self.paginate_by))
        except ValueError:
            size = self.paginate_by
        return max(1, min(size, MAX_PAGE_SIZE))

    def base_queryset(self) -> models.QuerySet:
        return self.model.objects.all()

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET, queryset=self.base_queryset(), request=self.request
        )
        self.adjust_filter_form(self.filterset.form)
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
        context["columns"] = {
            key: {
                "active": sort.lstrip("-") == key,
                "descending": sort == f"-{key}",
                "next": f"-{key}" if sort == key else key,
            }
            for key in self.sort_fields
        }
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
    tables use config.typeahead.typeahead instead."""
    choices = [("", "Any")] + [(value(obj), str(obj)) for obj in queryset]
    form.fields[name].widget = forms.Select(choices=choices)


# ----- forms backed by services ---------------------------------------------------------


STALE_MESSAGE = (
    "Someone else saved this record while you were editing it (it is now version {version}). "
    "Nothing you entered was saved. Open the record in a new tab to see their changes; "
    "if you still want yours, check them below and save again."
)


def apply_service_errors(error: ValidationError, form, formsets: dict) -> None:
    """Put a service's errors next to the right field.

    Keys look like `name`, `participants`, or `participants[1].cost_share_percent`;
    `formsets` maps a prefix to (formset, [index of the formset form for item 0, 1, ...]).
    """
    for key, messages_ in _error_items(error):
        target, field = _locate(key, form, formsets)
        for message in messages_:
            _add(target, field, message, key)


def _error_items(error: ValidationError):
    if hasattr(error, "error_dict"):
        yield from error.message_dict.items()
    else:
        yield "__all__", error.messages


def _locate(key: str, form, formsets: dict):
    head, _, field = key.partition(".")
    name, _, index = head.partition("[")
    if name in formsets:
        formset, positions = formsets[name]
        if index:
            position = int(index.rstrip("]"))
            if position < len(positions):
                return formset.forms[positions[position]], field or None
        return formset, None
    if key in form.fields:
        return form, key
    return form, None


def _add(target, field, message, key) -> None:
    from django.forms.formsets import BaseFormSet

    if isinstance(target, BaseFormSet):
        # Errors about the whole list (e.g. shares above 100%) go above the rows.
        target._non_form_errors = target.non_form_errors() + [message]
        return
    if field and field in target.fields:
        target.add_error(field, message)
    elif field:
        target.add_error(None, f"{field.replace('_', ' ').capitalize()}: {message}")
    elif key in ("__all__", "non_field_errors"):
        target.add_error(None, message)
    else:
        target.add_error(None, f"{key.replace('_', ' ').capitalize()}: {message}")


def run_service(request, call, *, form, formsets=None, success_url, success_message):
    """Call a service; on success redirect with a message, else put its errors on the form.

    Returns a redirect, or None when the form should be shown again with its errors.
    """
    try:
        result = call()
    except StaleObjectError as error:
        form.data = form.data.copy()
        form.data["version"] = str(error.current_version)
        form.add_error(None, STALE_MESSAGE.format(version=error.current_version))
        form.stale = True
        return None
    except ValidationError as error:
        apply_service_errors(error, form, formsets or {})
        return None
    messages.success(request, success_message.format(obj=result))
    return HttpResponseRedirect(success_url(result) if callable(success_url) else success_url)


# ----- form presentation ----------------------------------------------------------------


def error_summary(form, formsets: dict) -> list[dict]:
    """Every error on the page with the id of its field, for the USWDS error summary.

    Errors that belong to no field (a stale edit, a rule across fields) have no anchor.
    """
    items = [{"text": message, "anchor": ""} for message in form.non_field_errors()]
    items += _field_errors(form, "")
    for prefix, formset in formsets.items():
        title = prefix.replace("_", " ").capitalize()
        for message in formset.non_form_errors():
            items.append({"text": f"{title}: {message}", "anchor": f"formset-{prefix}"})
        for number, row in enumerate(formset.forms, start=1):
            where = f"{title}, row {number}: "
            first = next(iter(row.visible_fields()), None)
            for message in row.non_field_errors():
                items.append({"text": where + message, "anchor": _anchor(first)})
            items += _field_errors(row, where)
    return items


def _field_errors(form, where: str) -> list[dict]:
    items = []
    for name, messages_ in form.errors.items():
        if name in form.fields:
            bound = form[name]
            items += [
                {"text": f"{where}{bound.label}: {message}", "anchor": _anchor(bound)}
                for message in messages_
            ]
    return items


def _anchor(bound) -> str:
    """The id to link to: the field itself, or the first box of a group of checkboxes."""
    if bound is None or bound.is_hidden:
        return ""
    return bound.id_for_label or f"{bound.auto_id}_0"


def _widget_class(widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "usa-checkbox__input"
    if isinstance(widget, forms.CheckboxInput):
        return "usa-checkbox__input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "usa-select"
    if isinstance(widget, forms.Textarea):
        return "usa-textarea"
    return "usa-input"


class UswdsFormMixin:
    """Gives every widget its USWDS class and every date an HTML date picker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


def style_fields(form) -> None:
    """USWDS classes on every widget; on every date a date picker and the registry's range."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and validate_registry_date not in field.validators:
            field.validators.append(validate_registry_date)  # 1900..2200, on every form
        if isinstance(field, forms.DateField) and not isinstance(field.widget, forms.HiddenInput):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs.setdefault("rows", 3)
        css = _widget_class(field.widget)
        field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()


def form_for(model, fields, *, versioned=False, extra=None, name=None):
    """A plain form with the model's fields (the service, not the form, writes the row).

    Empty text in a nullable column becomes None, as the API contract has it.
    """
    attrs = dict(forms.fields_for_model(model, fields=fields, formfield_callback=_formfield))
    nullable = {f for f in fields if getattr(model._meta.get_field(f), "null", False)}
    if versioned:
        attrs["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
    attrs.update(extra or {})

    def clean(self):
        data = forms.Form.clean(self)
        for field in nullable:
            if data.get(field) == "":
                data[field] = None
        return data

    attrs["clean"] = clean
    return type(name or f"{model.__name__}Form", (UswdsFormMixin, forms.Form), attrs)


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    if isinstance(field, models.ForeignKey):
        return typeahead_formfield(field, **kwargs)  # never a <select> of a large table
    return field.formfield(**kwargs)


def formset_items(formset) -> tuple[list[dict], list[int]]:
    """The rows to send to a service, and the formset position of each row (for errors)."""
    items, positions = [], []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        items.append({key: value for key, value in data.items() if key != "DELETE"})
        positions.append(index)
    return items, positions


class ServiceFormView(EditorRequiredMixin, TemplateView):
    """Create or edit a record through its service, with inline rows as formsets.

    Subclasses set `form_class`, `formset_classes` ({service key: formset class}) and
    implement `save(data, nested, expected_version)`; edits also implement `get_object`.
    """

    form_class = None
    formset_classes: dict = {}
    success_message = "Saved {obj}."
    object = None

    def get_object(self):
        return None

    def initial(self) -> dict:
        return {}

    def formset_initial(self, name: str) -> list[dict]:
        return []

    def form_kwargs(self) -> dict:
        return {}

    detail_url_name = ""

    def success_url(self, obj) -> str:
        return reverse(self.detail_url_name, kwargs={"pk": obj.pk})

    def build(self, data=None):
        form = self.form_class(data, initial=self.initial(), **self.form_kwargs())
        # A posted formset is read without initial rows: every non-empty row is sent to the
        # service, so an unchanged existing row is kept rather than taken for a blank one.
        formsets = {
            name: cls(data, prefix=name, initial=None if data else self.formset_initial(name))
            for name, cls in self.formset_classes.items()
        }
        return form, formsets

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        form, formsets = self.build()
        return self.render_to_response(self.get_context_data(form=form, formsets=formsets))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form, formsets = self.build(request.POST)
        valid = form.is_valid() & all([fs.is_valid() for fs in formsets.values()])
        if valid:
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            nested, positions = {}, {}
            for name, formset in formsets.items():
                nested[name], positions[name] = formset_items(formset)
            response = run_service(
                request,
                lambda: self.save(data, nested, version),
                form=form,
                formsets={n: (formsets[n], positions[n]) for n in formsets},
                success_url=self.success_url,
                success_message=self.success_message,
            )
            if response is not None:
                return response
        return self.render_to_response(self.get_context_data(form=form, formsets=formsets))

    def save(self, data: dict, nested: dict, expected_version):
        raise NotImplementedError

    def cancel_url(self) -> str:
        if self.object is not None:
            return reverse(self.detail_url_name, kwargs={"pk": self.object.pk})
        return reverse(self.detail_url_name.replace("_detail", "_list"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["cancel_url"] = self.cancel_url()
        context["noun"] = self.detail_url_name.partition(":")[2].replace("_detail", "")
        context["breadcrumbs"] = self.breadcrumbs(context["noun"])
        form = kwargs.get("form")
        if form is not None:
            context["error_summary"] = error_summary(form, kwargs.get("formsets") or {})
        return context

    crumb_label = ""  # the last breadcrumb; by default "Edit" or "New <noun>"

    def breadcrumbs(self, noun: str) -> list[dict]:
        """Home, the list, the record (when there is one), then this page."""
        trail = trail_to_list(self.detail_url_name.replace("_detail", "_list"))
        if self.object is not None:
            url = reverse(self.detail_url_name, kwargs={"pk": self.object.pk})
            trail.append(crumb(str(self.object), url))
        # An edit page has the record's own pk in its URL; a page that adds to a record
        # (a review, a ledger entry) names the record by another key.
        if self.crumb_label:
            label = self.crumb_label
        elif self.object is not None and "pk" in self.kwargs:
            label = "Edit"
        else:
            added = self.form_class.__name__.removesuffix("Form").lower()
            label = f"New {added if self.object is not None else noun.replace('_', ' ')}"
        return [*trail, crumb(label)]


class UswdsFormSet(forms.BaseFormSet):
    """A formset whose "Delete" box (added after each form's __init__) is styled too."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this row"
            form.fields["DELETE"].widget.attrs["class"] = "usa-checkbox__input"


def formset_for(form_class, *, extra=1, can_delete=True):
    """Inline rows of `form_class` with USWDS styling."""
    return forms.formset_factory(
        form_class, formset=UswdsFormSet, extra=extra, can_delete=can_delete
    )
