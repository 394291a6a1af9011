"""Columns a reader chooses to see on a list page (issue 15 item 2).

A list view declares its columns in order (core.web.lists.Column: a `key` column is always
shown, a `hidden` one only when the reader asks for it) and list_page.html draws the chooser
with `{% column_chooser view.columns %}`. The choice travels in the query string (`cols=1` and
one `col=<slug of the label>` per optional column shown), so sorting, filtering and paging keep
it and the form works without JavaScript. Cells are hidden by CSS
(`.app-hide-N ~ .app-table-wrap`, static/css/app.css): the view and its queries are unchanged.
"""

from django import template
from django.utils.html import format_html_join
from django.utils.text import slugify

register = template.Library()

CHOICE_MARK, SHOWN = "cols", "col"
# Parameters the chooser's form does not carry over: its own, and the page position (a new
# set of columns starts again at the first page).
NOT_CARRIED = {CHOICE_MARK, SHOWN, "cursor", "page"}


def chooser_column(column, position: int) -> dict:
    """A declared column (core.web.lists.Column) as the chooser offers it; `position` is its
    place in the header row, which the chooser's app-hide-N classes hide."""
    return {
        "slug": slugify(column.label),
        "label": column.label,
        "key": column.key,
        "hidden": column.hidden,
        "position": position,
    }


def shown_slugs(query, columns: list[dict]) -> set[str]:
    """The optional columns shown: the reader's choice, else every one not declared hidden."""
    if query.get(CHOICE_MARK):
        return set(query.getlist(SHOWN))
    return {c["slug"] for c in columns if not c["hidden"]}


@register.inclusion_tag("includes/column_chooser.html", takes_context=True)
def column_chooser(context, declared) -> dict:
    query = context["request"].GET
    columns = [chooser_column(column, n) for n, column in enumerate(declared, start=1)]
    shown = shown_slugs(query, columns)
    for column in columns:
        column["shown"] = column["key"] or column["slug"] in shown
    carried = [(k, v) for k in query for v in query.getlist(k) if k not in NOT_CARRIED]
    return {
        "keys": [c["label"] for c in columns if c["key"]],
        "optional": [c for c in columns if not c["key"]],
        "hidden": [c for c in columns if not c["shown"]],
        "carried": carried,
    }


@register.simple_tag(takes_context=True)
def kept_column_choice(context) -> str:
    """Hidden inputs that keep the reader's columns when another GET form is sent."""
    query = context["request"].GET
    if not query.get(CHOICE_MARK):
        return ""
    pairs = [(CHOICE_MARK, "1")] + [(SHOWN, slug) for slug in query.getlist(SHOWN)]
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs)
