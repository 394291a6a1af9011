"""Reading the change history: every event row, labelled with its context, and its filters.

The rows come from pghistory's event tables (one per tracked model), read through its
`Events` aggregate. One FilterSet serves the change-log page and `/api/v1/history/`.
"""

import datetime

import django_filters
from django import forms
from django.apps import apps
from django.db.models import TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from pghistory.models import Events

from core.api.filters import DateFilter
from core.history.context import CHANNELS, NO_CONTEXT_CHANNEL, UNKNOWN_ACTOR

# Columns every table has that say nothing a reader needs about the change itself.
HIDDEN_FIELDS = {"id", "created_at", "updated_at"}


def tracked_models() -> list:
    """Every model whose changes are recorded, in a stable order."""
    models = {m for m in apps.get_models() if getattr(m, "pgh_event_models", None)}
    return sorted(models, key=lambda m: m._meta.label)


def tracked_model(label: str):
    """The tracked model for `app_label.model_name` (any case), or None."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if getattr(model, "pgh_event_models", None) else None


def change_events():
    """All events, newest first, with actor, channel, request and task id from the context.

    A change made with no context (psql, `manage.py shell`) has no context row: it shows as
    actor `unknown`, channel `shell`. A service called from the shell names its actor but
    no channel, and shows as channel `shell` too.
    """
    return Events.objects.annotate(
        actor=Coalesce(KT("pgh_context__actor"), Value(UNKNOWN_ACTOR), output_field=TextField()),
        channel=Coalesce(
            KT("pgh_context__channel"), Value(NO_CONTEXT_CHANNEL), output_field=TextField()
        ),
        user_id=KT("pgh_context__user"),
        request_id=KT("pgh_context__request_id"),
        task_id=KT("pgh_context__task_id"),
    ).order_by("-pgh_created_at", "-pgh_slug")


def object_events(model, pk: int):
    """Events of one object and of the rows that point at it (its participants, sources...)."""
    return change_events().references(model(pk=pk))


def event_by_slug(slug: str):
    """One event by its id (`app.ModelEvent:123`), reading only that event table."""
    label, _, number = slug.rpartition(":")
    try:
        event_model = apps.get_model(label)
        pgh_id = int(number)
    except (LookupError, ValueError):
        return None
    if not hasattr(event_model, "pgh_tracked_model") or not 0 < pgh_id < 2**31:
        return None
    return change_events().across(event_model).filter(pgh_id=pgh_id).first()


def _object_type_choices() -> list[tuple[str, str]]:
    # A callable, read each time a form is built: a list set in __init__ was lost once the
    # schema generator had built (and cached) the filter's form field from `choices=()`.
    return [(m._meta.label, m._meta.verbose_name.capitalize()) for m in tracked_models()]


class ChangeFilterSet(django_filters.FilterSet):
    """Filters of the global change log (page and API): user, object type, channel, dates."""

    user = django_filters.CharFilter(
        field_name="actor", label="User", help_text="A username, or task:<name> for a job."
    )
    object_type = django_filters.ChoiceFilter(
        field_name="pgh_obj_model", label="Object type", choices=_object_type_choices
    )
    object_id = django_filters.CharFilter(field_name="pgh_obj_id", label="Object id")
    channel = django_filters.ChoiceFilter(label="Channel", choices=[(c, c) for c in CHANNELS])
    action = django_filters.ChoiceFilter(
        field_name="pgh_label",
        label="What",
        choices=[("insert", "created"), ("update", "changed"), ("delete", "deleted")],
    )
    date_after = DateFilter(
        field_name="pgh_created_at", method="filter_after", label="From (UTC date)"
    )
    date_before = DateFilter(
        field_name="pgh_created_at", method="filter_before", label="To (UTC date)"
    )

    class Meta:
        model = Events
        fields: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"

    def filter_after(self, queryset, name, value):
        return queryset.filter(pgh_created_at__gte=_start_of(value))

    def filter_before(self, queryset, name, value):
        return queryset.filter(pgh_created_at__lt=_start_of(value + datetime.timedelta(days=1)))


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
