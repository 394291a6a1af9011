"""The marking columns every marked record carries, written once, and who may see it.

A user may see a CUI category when they belong to the Django group `cui:<CODE>` (e.g.
`cui:EXPT`); an admin grants it on the admin's group pages, or the sign-in maps it from an
identity provider's claim. A record is visible when every one of its categories is allowed:
one predicate, `marking_categories <@ ARRAY(the user's categories)`, evaluated by PostgreSQL
(docs/decisions/0028-cui-markings.md).
"""

from collections.abc import Iterable

import pycountry
from django import forms
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Substr

from core.markings import Category, Dissemination, Marking, highest, marking_errors

# The names the services, forms, serializers, admin and import take (each app's fields.py).
MARKING_FIELDS = ("marking_categories", "marking_dissemination", "marking_rel_to")
GROUP_PREFIX = "cui:"
_COUNTRIES = frozenset(c.alpha_3 for c in pycountry.countries)


def allowed_categories(user):
    """The categories `user` may see, as an SQL array subquery (one predicate, no loop)."""
    groups = Group.objects.filter(
        user__pk=getattr(user, "pk", None), name__startswith=GROUP_PREFIX
    ).values(code=Substr("name", len(GROUP_PREFIX) + 1))
    return ArraySubquery(groups)


def allowed_category_codes(user) -> list[str]:
    """The same list in Python, for raw SQL that takes it as a parameter (reports)."""
    if getattr(user, "pk", None) is None:
        return []
    names = Group.objects.filter(user__pk=user.pk, name__startswith=GROUP_PREFIX)
    return sorted(name.removeprefix(GROUP_PREFIX) for name in names.values_list("name", flat=True))


def visible_q(allowed, path: str = "") -> models.Q:
    """The record on `path` ("" the row itself, "condition__" its condition) is marked with
    only `allowed` categories: `<@ allowed`, after `= '{}'`, which says the same of an
    uncontrolled record. PostgreSQL has no statistics for `<@` over arrays that are mostly
    empty and guesses 0.5% of the rows; it reads `= '{}'` from the column's statistics, so a
    plan over thousands of rows is not built for one (docs/decisions/0028)."""
    column = f"{path}marking_categories"
    return models.Q(**{column: []}) | models.Q(**{f"{column}__contained_by": allowed})


def visible_sql(column: str, allowed: str = "%(categories)s") -> str:
    """The same predicate in raw SQL, over a column and a parameter of category codes."""
    return f"({column} = '{{}}' OR {column}::text[] <@ {allowed}::text[])"


def may_see(user, categories) -> bool:
    """Whether `user` may see a record marked with `categories` (e.g. a past version's)."""
    return set(categories or ()) <= set(allowed_category_codes(user))


class MarkedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The records whose every CUI category `user` may see (uncontrolled ones always)."""
        return self.filter(visible_q(allowed_categories(user)))

    def highest_marking(self) -> Marking:
        """The marking of all these records together: one query over the distinct markings."""
        rows = self.order_by().values_list(*MARKING_FIELDS).distinct()
        return highest(Marking.of(*row) for row in rows)


def visible(queryset, user):
    """`queryset` limited to what `user` may see, when its records are marked."""
    return queryset.visible_to(user) if isinstance(queryset, MarkedQuerySet) else queryset


class CategoriesField(ArrayField):
    """The CUI categories of a record; a group of checkboxes on a form.

    The same column as an ArrayField of short codes, and migrations record it as one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("base_field", models.CharField(max_length=8, choices=Category.choices))
        super().__init__(**kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.contrib.postgres.fields.ArrayField", args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=Category.choices,
            required=False,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


class MarkedModel(models.Model):
    """A record that carries a CUI marking (uncontrolled unless a category is set)."""

    marking_categories = CategoriesField(
        verbose_name="CUI categories",
        default=list,
        blank=True,
        help_text="None: uncontrolled. Any: Controlled Unclassified Information.",
    )
    marking_dissemination = models.CharField(
        "Dissemination control", max_length=8, choices=Dissemination.choices, blank=True
    )
    marking_rel_to = ArrayField(
        models.CharField(max_length=3),
        verbose_name="Releasable to",
        default=list,
        blank=True,
        help_text="With REL TO: ISO 3166-1 alpha-3 codes, separated by commas (USA implied).",
    )

    class Meta:
        abstract = True

    @property
    def marking(self) -> Marking:
        return Marking.of(self.marking_categories, self.marking_dissemination, self.marking_rel_to)

    def clean_fields(self, exclude=None):
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.marking_rel_to:
            self.marking_rel_to = [code.strip().upper() for code in self.marking_rel_to]
        found = marking_errors(
            self.marking_categories,
            self.marking_dissemination,
            self.marking_rel_to,
            countries=_COUNTRIES,
        )
        for name, messages in found.items():
            if name not in (exclude or ()):
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)


def marking_of(records: Iterable) -> Marking:
    """The highest marking of records already loaded (a page of a list, a detail's rows)."""
    return highest(record.marking for record in records if isinstance(record, MarkedModel))


# -- Writes (docs/decisions/0034-need-to-know.md) -----------------------
# What a user may reference is what they may see: every foreign key, `amends` included, is
# resolved against `visible(queryset, user)` (the API's related fields, the forms' record
# fields, the import's look-ups), so a hidden id gets the missing id's answer.


def unheld_marking_errors(actor, categories) -> dict:
    """`{"marking_categories": [...]}` when `actor` would mark a record with a category they
    do not hold (they could not see their own record afterwards); {} otherwise. A write with
    no signed-in actor (a task, a command, the demo data) is the system's and is not judged."""
    if getattr(actor, "pk", None) is None or not categories:
        return {}
    # An unknown code is the field's own error (its choices), not a question of clearance.
    known = set(categories) & set(Category.values)
    unheld = sorted(known - set(allowed_category_codes(actor)))
    if not unheld:
        return {}
    labels = ", ".join(str(Category(code).label) for code in unheld)
    return {
        "marking_categories": [
            f"You may mark a record only with categories you hold; not {labels}."
        ]
    }


def refuse_unheld_marking(actor, fields: dict) -> None:
    """Raise the 400 of `unheld_marking_errors` for a service's keyword arguments."""
    errors = unheld_marking_errors(actor, fields.get("marking_categories"))
    if errors:
        raise ValidationError(errors)


def inherit_marking(record: MarkedModel, *parents) -> None:
    """Give `record` at least the marking of each marked parent it belongs to or names (a
    waiver entry its condition's and the entry it amends): the union of the categories, and
    the parents' control when the record has none (NOFORN when the highest has several)."""
    shown = [p for p in parents if isinstance(p, MarkedModel)]
    if not shown:
        return
    combined = highest([record.marking, *(p.marking for p in shown)])
    record.marking_categories = sorted(combined.categories)
    if not combined.is_cui:
        return
    if len(combined.controls) == 1:
        (record.marking_dissemination,) = combined.controls
        record.marking_rel_to = sorted(combined.rel_to)
    elif combined.controls:
        keep = Dissemination.NOFORN if Dissemination.NOFORN in combined.controls else None
        record.marking_dissemination = keep or record.marking_dissemination
        record.marking_rel_to = [] if keep else record.marking_rel_to


def withheld_count(queryset, user, path: str = "") -> int:
    """How many of `queryset`'s records `user` may not see, or whose record on `path` they
    may not see (`records_withheld`: "N records you are not cleared for were left out")."""
    return queryset.exclude(visible_q(allowed_categories(user), path)).count()


def _marked_paths(model, prefix: str = "", depth: int = 2) -> list[str]:
    """The lookup paths from `model` to the marked records it is or names: "" for itself,
    "condition__" for a foreign key to a marked model, "flag__condition__" through an
    unmarked one (two steps at most: a notification's flag's condition)."""
    paths = [prefix] if issubclass(model, MarkedModel) else []
    if depth == 0:
        return paths
    for field in model._meta.get_fields():
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            continue
        target = field.related_model
        if issubclass(target, MarkedModel):
            paths.append(f"{prefix}{field.name}__")
        elif depth > 1 and target._meta.app_label != "auth":
            paths.extend(p for p in _marked_paths(target, f"{prefix}{field.name}__", 1) if p != "")
    return paths


def visible_through(queryset, user):
    """`queryset` limited to the records `user` may see and that name no marked record
    `user` may not see (a flag of a hidden condition, a source of a hidden review). The
    admin's predicate: it shows every column, so every named record counts."""
    allowed = allowed_categories(user)
    combined = models.Q()
    for path in _marked_paths(queryset.model):
        here = visible_q(allowed, path)
        combined &= here if path == "" else here | models.Q(**{f"{path[:-2]}__isnull": True})
    return queryset.filter(combined)
