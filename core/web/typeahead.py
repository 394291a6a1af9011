"""Type-ahead fields: a record chosen from a large table without listing the table.

No page renders a whole table it does not list. A field that points at partners, agreements,
acts, provisions or conditions is a text box holding the chosen record's id; the server also
accepts the record's natural key typed in full (a partner's name or ISO code, an agreement's
reference, a provision's codification...). static/js/typeahead.js turns the box into an
accessible combobox that asks the API's `search` for ten suggestions at a time. Only the
selected record is rendered (one query), whatever the size of its table.
"""

import dataclasses

from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils.html import format_html, format_html_join

from core.marked import visible


@dataclasses.dataclass(frozen=True)
class Source:
    """Where suggestions come from, which API fields label them, which keys a person types."""

    api: str  # the API list to search, e.g. /api/v1/partners/
    # API fields joined to label a suggestion; "a|b" means a, or b when a is empty.
    label_fields: tuple[str, ...]
    keys: tuple[str, ...]  # lookups tried, in order, on a typed value that is not an id
    noun: str


SOURCES = {
    "partners.partner": Source(
        "/api/v1/partners/", ("name",), ("name__iexact", "iso3__iexact"), "partner"
    ),
    "agreements.agreement": Source(
        "/api/v1/agreements/", ("reference", "title"), ("reference__iexact",), "agreement"
    ),
    "agreements.act": Source(
        "/api/v1/acts/",
        ("short_title|title",),
        ("public_law__iexact", "short_title__iexact", "title__iexact"),
        "act",
    ),
    "agreements.provision": Source(
        "/api/v1/provisions/", ("citation",), ("codification__iexact",), "provision"
    ),
    "conditions.condition": Source(
        "/api/v1/conditions/", ("title",), ("title__iexact",), "condition"
    ),
    "safeguards.technologyitem": Source(
        "/api/v1/technology-items/", ("name",), ("name__iexact",), "technology item"
    ),
}


def source_for(model) -> Source | None:
    return SOURCES.get(model._meta.label_lower)


def resolve(model, raw: str, queryset=None) -> str:
    """The id a typed value names: itself when a whole number, else the one record (of
    `queryset`, by default every one) whose natural key matches it; unchanged when none or
    several match (the field then says so)."""
    text = (raw or "").strip()
    if not text or text.isdigit() or "\x00" in text or len(text) > 500:
        return text  # an id, or nothing a key could match (PostgreSQL refuses NUL in text)
    source = source_for(model)
    for key in source.keys if source else ():
        records = model._default_manager.all() if queryset is None else queryset
        ids = list(records.filter(Q(**{key: text})).values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            return str(ids[0])
    return text


class TypeaheadWidget(forms.TextInput):
    """A text box for a record's id or key, enhanced into a combobox by typeahead.js."""

    user = None  # set by limit_to_visible: then only records this user may see are named

    def __init__(self, model_label: str, *, query: str = "", attrs=None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.model_label = model_label
        self.query = query  # extra API filters, e.g. "kind=company"

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def records(self):
        """The records this box may name or resolve a key to (docs/decisions/0028)."""
        records = self.model._default_manager.all()
        return records if self.user is None else visible(records, self.user)

    def value_from_datadict(self, data, files, name):
        raw = super().value_from_datadict(data, files, name)
        return resolve(self.model, raw, self.records()) if isinstance(raw, str) else raw

    def render(self, name, value, attrs=None, renderer=None):
        source = source_for(self.model)
        current = self._label_of(value)
        box = super().render(name, value, attrs, renderer)
        hint_id = f"{(attrs or {}).get('id', name)}_current"
        url = source.api + "?" + (f"{self.query}&" if self.query else "") + "page_size=10&search="
        return format_html(
            '<div class="app-typeahead" data-typeahead="{}" data-typeahead-fields="{}" '
            'data-typeahead-current="{}" data-typeahead-noun="{}">{}'
            '<p class="usa-hint app-typeahead__current" id="{}">{}</p></div>',
            url,
            ",".join(source.label_fields),
            current,
            source.noun,
            box,
            hint_id,
            f"Selected: {current}." if current else f"Type the {source.noun}'s id or name.",
        )

    def _label_of(self, value) -> str:
        if value in (None, "") or not str(value).isdigit():
            return ""
        obj = self.records().filter(pk=int(value)).first()
        return str(obj) if obj is not None else ""


class TypeaheadModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that never lists its queryset: it takes an id or a natural key."""

    def __init__(self, queryset, *, query: str = "", **kwargs):
        model = queryset.model
        kwargs["widget"] = TypeaheadWidget(model._meta.label, query=query)
        super().__init__(queryset, **kwargs)
        noun = source_for(model).noun
        self.error_messages["invalid_choice"] = (
            f"No {noun} matches this; type its id or its name exactly, or pick a suggestion."
        )


def typeahead_formfield(field, **kwargs):
    """The form field for a foreign key: a type-ahead when it points at a large table."""
    if field.related_model is not None and source_for(field.related_model) is not None:
        return field.formfield(form_class=TypeaheadModelChoiceField, **kwargs)
    return field.formfield(**kwargs)


def limit_to_visible(form, user, *, choices: bool = True) -> None:
    """Point `form`'s record fields at what `user` may see (CUI markings): a hidden record's
    id or key is refused with the field's "no such record" error, as if it did not exist,
    and a type-ahead box never names it. `choices=False` (a list's filters) only stops
    the boxes naming hidden records; the list itself is already limited."""
    for field in form.fields.values():
        if choices and isinstance(field, forms.ModelChoiceField):
            field.queryset = visible(field.queryset, user)
        if isinstance(field.widget, TypeaheadWidget):
            field.widget.user = user


def typeahead(form, name: str, model_label: str, *, query: str = "") -> None:
    """Show a filter's id field as a type-ahead box (the filter itself is unchanged)."""
    form.fields[name].widget = TypeaheadWidget(model_label, query=query)


class TypeaheadMultipleWidget(TypeaheadWidget):
    """Several records: the chosen ones as ticked boxes (untick to drop), plus one type-ahead
    box to add another; every value goes under the same name."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        records = self.records()
        return [resolve(self.model, v, records) for v in values if isinstance(v, str) and v.strip()]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        ids = [int(v) for v in (value or []) if str(v).isdigit()]
        chosen = self.records().filter(pk__in=ids) if ids else []
        base = (attrs or {}).get("id", name)
        boxes = format_html_join(
            "",
            '<div class="usa-checkbox"><input class="usa-checkbox__input" type="checkbox" '
            'name="{}" value="{}" id="{}_chosen_{}" checked>'
            '<label class="usa-checkbox__label" for="{}_chosen_{}">{}</label></div>',
            ((name, obj.pk, base, obj.pk, base, obj.pk, str(obj)) for obj in chosen),
        )
        return format_html("{}{}", boxes, super().render(name, None, attrs, renderer))
