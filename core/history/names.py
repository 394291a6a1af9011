"""Records named as people name them in the change log: by natural key, with a link.

Core asks, apps answer: a model may define `history_name()` (e.g. a participation is named
"Japan in DTC-2026-0001") and `HISTORY_NAME_RELATED`, the relations that name needs, read in
the same query; otherwise its `str()`. One query per kind of record on a page.
"""

from collections import defaultdict

from django.urls import NoReverseMatch, reverse

from core.history.events import tracked_model


def record_names(events) -> dict[tuple[str, int], tuple[str, str]]:
    """For each (model label, id) of the events: the record's name and the URL of its page
    (its history page when it has none of its own); a record no longer present is named by
    its kind and id."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        wanted[event.pgh_obj_model].add(int(event.pgh_obj_id))
    named = {}
    for label, ids in wanted.items():
        model = tracked_model(label)
        if model is None:
            continue
        related = getattr(model, "HISTORY_NAME_RELATED", ())
        found = model._default_manager.select_related(*related).in_bulk(ids)
        for pk in ids:
            record = found.get(pk)
            if record is None:
                named[(label, pk)] = (f"#{pk} (no longer present)", _history_url(model, pk))
                continue
            name = record.history_name() if hasattr(record, "history_name") else str(record)
            named[(label, pk)] = (name, _page_url(model, pk))
    return named


def _page_url(model, pk: int) -> str:
    meta = model._meta
    try:
        return reverse(f"{meta.app_label}:{meta.model_name}_detail", kwargs={"pk": pk})
    except NoReverseMatch:
        return _history_url(model, pk)


def _history_url(model, pk: int) -> str:
    return reverse("history:object", kwargs={"model": model._meta.label_lower, "pk": pk})
