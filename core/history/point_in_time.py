"""Two questions of time on every detail page, each named in words (issue 15).

- **In effect on D** (valid time): the records as they stand today, read for what they say
  held on D: which waivers waived, who took part in an agreement, which legal categories a
  partner held. `?on=YYYY-MM-DD`. The page is the live page; its dated parts are read at D.
- **As recorded on D** (transaction time): the record as the registry held it at the end of
  D, rebuilt from the change history (core/history/as_of.py, each app's snapshots.py).
  `?as_of=YYYY-MM-DD`. Shown with labels and names, like the live page.

The two differ when the registry learnt late: a waiver signed in 2024 but recorded in 2025 was
in effect in 2024, yet the registry recorded nothing about it then. The date control
(templates/includes/time_control.html) sends `mode` and `day`; its answer is a redirect to
the `on` or `as_of` address, which is the one people bookmark and share.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from core.history.as_of import first_recorded, parse_as_of
from core.history.display import readable_rows
from core.marked import may_see
from core.registry_day import registry_today

IN_EFFECT, RECORDED = "in_effect", "recorded"
MODE_PARAMETER = {IN_EFFECT: "on", RECORDED: "as_of"}


class PointInTimeMixin:
    """`?on=` and `?as_of=` on a detail page. Set `as_of_builder` (the app's snapshot) and
    `as_of_lists` ({snapshot list: its rows' model}); read `self.on_day` in the context.

    Place the mixin after the role mixin, before DetailView."""

    as_of_builder = None
    as_of_lists: dict = {}
    designation_model = None  # partners.PartnerDesignation, for the partners' categories
    as_of_template = "history/as_of_detail.html"
    on_day: datetime.date | None = None
    time_error = ""

    def get(self, request, *args, **kwargs):
        mode, day = request.GET.get("mode"), request.GET.get("day")
        if mode in MODE_PARAMETER and day:
            return HttpResponseRedirect(f"{request.path}?{MODE_PARAMETER[mode]}={day}")
        if request.GET.get("as_of") is not None:
            return self.recorded_on(request, request.GET["as_of"], kwargs["pk"])
        self.on_day = registry_today()
        raw = request.GET.get("on")
        if raw is not None:
            try:
                self.on_day = parse_as_of(raw)
            except ValidationError as error:
                self.time_error = error.message_dict["as_of"][0]
        response = super().get(request, *args, **kwargs)
        if self.time_error:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["time_control"] = time_control(
            self.request.path, IN_EFFECT, self.on_day, error=self.time_error
        )
        return context

    def recorded_on(self, request, raw: str, pk):
        """The record as the registry held it at the end of the day `raw`."""
        meta = self.model._meta
        context = {"model_name": meta.verbose_name, "view": self, "current_url": request.path}
        context["history_url"] = reverse(
            "history:object", kwargs={"model": meta.label_lower, "pk": pk}
        )
        try:
            day = parse_as_of(raw)
        except ValidationError as error:
            context.update(error=error.message_dict["as_of"][0])
            context["time_control"] = time_control(request.path, RECORDED, None, raw=raw)
            return render(request, self.as_of_template, context, status=400)
        context["time_control"] = time_control(request.path, RECORDED, day)
        snapshot = type(self).as_of_builder(pk, day)
        if snapshot and not may_see(request.user, snapshot.get("marking_categories")):
            raise Http404  # marked then with a category this user may not see
        if snapshot is None:
            context.update(missing=True, day=day, first_recorded=first_recorded(self.model, pk))
            return render(request, self.as_of_template, context, status=404)
        context.update(as_of=day, name=_name(snapshot), **self.readable(snapshot))
        return render(request, self.as_of_template, context)

    def readable(self, snapshot: dict) -> dict:
        """The snapshot's fields and nested lists with labels and names, and the partners'
        legal categories on that day."""
        lists = {*self.as_of_lists, "partner_designations", "as_of"}
        own = {k: v for k, v in snapshot.items() if k not in lists}
        headers, (values,) = readable_rows(self.model, [own])
        tables = [
            (str(model._meta.verbose_name_plural).capitalize(), *_table(model, snapshot[name]))
            for name, model in self.as_of_lists.items()
            if snapshot.get(name)
        ]
        partners = [
            (
                p["partner_name"] or f"#{p['partner']}",
                *_table(self.designation_model, p["designations"]),
            )
            for p in snapshot.get("partner_designations", [])
        ]
        facts = list(zip(headers, values, strict=True))
        return {"facts": facts, "tables": tables, "partners": partners}


def _table(model, rows: list[dict]) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """Column labels, and each row as (label, value) pairs (stacked tables label each cell)."""
    headers, values = readable_rows(model, rows)
    return headers, [list(zip(headers, row, strict=True)) for row in values]


def time_control(path: str, mode: str, day, *, error: str = "", raw: str = "") -> dict:
    """What the date control shows: the mode, the day, today, and the way back to today."""
    today = registry_today()
    return {
        "path": path,
        "mode": mode,
        "day": day.isoformat() if day else raw,
        "is_today": mode == IN_EFFECT and day == today,
        "today": today,
        "error": error,
    }


def _name(snapshot: dict) -> str:
    """How the page names the record: its reference and title, its title, or its name."""
    words = [snapshot.get("reference"), snapshot.get("title") or snapshot.get("name")]
    return " ".join(str(w) for w in words if w) or f"#{snapshot.get('id')}"
