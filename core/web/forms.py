"""Forms as people see them: USWDS widgets, the error summary, inline rows, and a service's
errors put next to the right field."""

from django import forms
from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.forms.forms import DeclarativeFieldsMetaclass

from core.domain import validate_registry_date
from core.web.typeahead import typeahead_formfield


def apply_service_errors(error: ValidationError, form, formsets: dict) -> None:
    """Put a service's errors next to the right field.

    Keys look like `name`, `participants`, or `participants[1].cost_share_percent`;
    `formsets` maps a prefix to (formset, [index of the formset form for item 0, 1, ...]).
    """
    for key, messages_ in _error_items(error):
        target, field = _locate(key, form, formsets)
        for message in messages_:
            _add(target, field, message, key)


def without_known(error: ValidationError, form, formsets: dict) -> ValidationError:
    """A service's errors less those about a field or row the form already found wrong, and
    less any message already shown where it would go: what a dry run adds to a page."""
    kept: dict[str, list[str]] = {}
    for key, messages_ in _error_items(error):
        target, field = _locate(key, form, formsets)
        if isinstance(target, UswdsFormSet):
            shown = set(target.non_form_errors())
        elif field and field in target.fields:
            if target.errors.get(field):
                continue  # the field's own error says it first
            shown = set()
        else:
            shown = set(target.non_field_errors())
        fresh = [m for m in messages_ if m not in shown]
        if fresh:
            kept[key] = fresh
    return ValidationError(kept)


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
    if isinstance(target, UswdsFormSet):
        target.add_service_error(message)  # about the whole list: shown above the rows
        return
    if field and field in target.fields:
        target.add_error(field, message)
    elif field:
        target.add_error(None, f"{field.replace('_', ' ').capitalize()}: {message}")
    elif key in ("__all__", "non_field_errors"):
        target.add_error(None, message)
    else:
        target.add_error(None, f"{key.replace('_', ' ').capitalize()}: {message}")


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


NOT_A_DATE = "not-a-date"
NOT_A_DATE_MESSAGE = "Enter a date that exists: check the day, the month and the year."


class DatePickerInput(forms.DateInput):
    """The browser's date picker. A date it cannot hold (02/30/2026) reaches the server as an
    empty value, as if nothing had been typed; static/js/app.js then sends `<name>__bad`
    with it, and the field reads a value that is not a date, so the person is told the date
    is not real rather than missing."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})}, format="%Y-%m-%d")

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if not value and data.get(f"{name}__bad"):
            return NOT_A_DATE
        return value

    def format_value(self, value):
        return None if value == NOT_A_DATE else super().format_value(value)


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
            field.widget = DatePickerInput()
            field.error_messages["invalid"] = NOT_A_DATE_MESSAGE
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs.setdefault("rows", 3)
        css = _widget_class(field.widget)
        field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()


class RegistryFormMetaclass(DeclarativeFieldsMetaclass):
    """Gives a form the fields `Meta.fields` names on `Meta.model`, in that order, then the
    fields the form declares itself (as ModelForm's metaclass does, without the instance)."""

    def __new__(mcs, name, bases, attrs):
        form_class = super().__new__(mcs, name, bases, attrs)
        meta = getattr(form_class, "Meta", None)
        if meta is not None:
            form_class.base_fields = {**_model_formfields(meta), **form_class.declared_fields}
        return form_class


def _model_formfields(meta) -> dict:
    fields = forms.fields_for_model(
        meta.model,
        fields=meta.fields,
        formfield_callback=_formfield,
        labels=getattr(meta, "labels", None),
        help_texts=getattr(meta, "help_texts", None),
        widgets=getattr(meta, "widgets", None),
    )
    unknown = [name for name, field in fields.items() if field is None]
    if unknown:
        raise FieldError(f"{meta.model.__name__} has no form field {', '.join(unknown)}.")
    return fields


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    if isinstance(field, models.ForeignKey):
        return typeahead_formfield(field, **kwargs)  # never a <select> of a large table
    return field.formfield(**kwargs)


class RegistryModelForm(UswdsFormMixin, forms.BaseForm, metaclass=RegistryFormMetaclass):
    """A form of a model's fields, declared like a ModelForm's:
    `class Meta: model = Agreement; fields = AGREEMENT_FIELDS` (`labels`, `help_texts` and
    `widgets` too). It only checks input; it has no instance and never saves: the view hands
    `cleaned_data` to the model's service, which writes. A foreign key is a type-ahead box, a
    URL without a scheme means https, and empty text in a nullable column becomes None, as
    the API contract has it. `Meta.querysets` narrows a foreign key's records:
    `{"company": Partner.objects.filter(kind="company")}`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in getattr(self.Meta, "querysets", {}).items():
            self.fields[name].queryset = queryset

    def clean(self):
        data = super().clean()
        model = self.Meta.model
        for name in self.Meta.fields:
            if data.get(name) == "" and model._meta.get_field(name).null:
                data[name] = None
        return data


class VersionedModelForm(RegistryModelForm):
    """A form that edits a versioned record: the version it was loaded at travels in a hidden
    field, so the service refuses an edit made against an older one (docs/decisions/0007)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


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


class UswdsFormSet(forms.BaseFormSet):
    """A formset whose "Delete" box (added after each form's __init__) is styled too, and which
    shows a service's errors about the whole list (e.g. shares above 100%) above its rows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_errors = []

    def add_service_error(self, message: str) -> None:
        self.service_errors.append(message)

    def non_form_errors(self):
        return self.error_class(
            [*super().non_form_errors(), *self.service_errors],
            error_class="nonform",
            renderer=self.renderer,
        )

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
