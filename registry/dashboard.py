"""The home dashboard: open flags, reviews coming due, waivers expiring, recent changes, chart."""

import datetime
from collections import defaultdict

from django.db.models import Count
from django.urls import reverse
from django.views.generic import TemplateView

from conditions.models import Condition, Flag, WaiverEntry
from core.history.events import history_page, tracked_model
from core.history.slice import EventFilter
from core.marked import MARKING_FIELDS, allowed_category_codes, marking_of
from core.markings import Marking, highest
from core.registry_day import registry_today
from core.web.access import ReaderRequiredMixin
from partners.models import Partner
from registry.reports.params import fiscal_year_of

HORIZON_DAYS = 30
MAX_SERIES = 7  # partners drawn by name; the rest are summed as "Other partners"
CHART = {"width": 720, "height": 320, "left": 48, "right": 16, "top": 16, "bottom": 40}


class DashboardView(ReaderRequiredMixin, TemplateView):
    template_name = "registry/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = registry_today()
        horizon = today + datetime.timedelta(days=HORIZON_DAYS)
        user = self.request.user
        # Flags, reviews and waivers of records this user may not see are left out, counts too.
        flags = Flag.objects.visible_to(user).filter(status=Flag.Status.OPEN)
        flagged = Condition.objects.filter(pk__in=flags.values("condition_id"))
        counts = dict(flags.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
        # Every entry the user may see, counted and charted (visible_to reads `= '{}'` first,
        # so PostgreSQL knows it keeps nearly every row and hashes instead of looping).
        ledger = WaiverEntry.objects.visible_to(user)
        context.update(
            today=today,
            horizon_days=HORIZON_DAYS,
            flag_counts=[(label, counts.get(kind, 0), kind) for kind, label in Flag.Kind.choices],
            open_flags=sum(counts.values()),
            due=Condition.objects.due_within(days=HORIZON_DAYS, today=today)
            .visible_to(user)
            .select_related("partner")
            .order_by("next_review_due", "id")[:20],
            expiring=WaiverEntry.objects.in_effect_on(today, expiring_by=horizon)
            .visible_to(user)
            .select_related("condition__partner")
            .order_by("expires_on", "id")[:20],
            recent=recent_changes(user=user),
            chart=waiver_chart(ledger),
        )
        # The banner: the highest marking of the rows listed and of what the counts and the
        # chart count (two queries over distinct markings).
        context["marking"] = highest(
            [
                marking_of([*context["due"], *context["expiring"]]),
                *(row["marking"] for row in context["recent"]),
                flagged.highest_marking(),
                ledger.highest_marking(),
            ]
        )
        return context


# The row field that names a record best, in order of preference.
NAME_FIELDS = (
    "name",
    "reference",
    "title",
    "section",
    "label",
    "url",
    "subject",
    "kind",
    "action",
)
ACTIONS = {"insert": "created", "update": "changed", "delete": "deleted"}


def recent_changes(limit: int = 12, *, user=None) -> list[dict]:
    """The latest rows of the generic change history (every tracked model), named and linked,
    in words: "created waiver entry #18 (Granted)", never codes. Only changes of records
    `user` may see (their CUI categories); each row carries its record's marking then."""
    rows = []
    filters = EventFilter(categories=tuple(allowed_category_codes(user)))
    for event in history_page(filters, size=limit).events:  # one bounded slice
        model = event.pgh_obj_model or ""
        tracked = tracked_model(model)
        url = ""
        if model and event.pgh_obj_id:
            url = reverse("history:object", args=[model.lower(), event.pgh_obj_id])
        rows.append(
            {
                "when": event.pgh_created_at,
                "label": ACTIONS.get(event.pgh_label, event.pgh_label),
                "model": tracked._meta.verbose_name if tracked else model.split(".")[-1],
                "name": _record_name(tracked, event),
                "url": url,
                "actor": event.actor,
                "channel": event.channel,
                "marking": Marking.of(*((event.pgh_data or {}).get(f) for f in MARKING_FIELDS)),
            }
        )
    return rows


def _record_name(model, event) -> str:
    """The event's record by its name, or by its number and its kind in words."""
    data = event.pgh_data or {}
    for name in NAME_FIELDS:
        value = data.get(name)
        if not value:
            continue
        field = (
            next((f for f in model._meta.concrete_fields if f.name == name), None)
            if model
            else None
        )
        if field is not None and field.choices:
            label = dict(field.flatchoices).get(value, value)
            return f"#{event.pgh_obj_id} ({label})"
        return str(value)
    return f"#{event.pgh_obj_id}"


def waiver_chart(entries) -> dict:
    """A stacked bar chart of the ledger `entries` per fiscal year signed, by partner, as SVG."""
    # Counted per partner's id, then named, in no order: PostgreSQL then hashes the groups
    # instead of sorting 40,000 rows by year and name (the order below is Python's).
    # COUNT(*), not COUNT(id), so the index waiver_dashboard (conditions 0014) covers the read.
    rows = list(
        entries.annotate(year=fiscal_year_of("signed_on"))
        .values_list("year", "condition__partner_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    names = dict(Partner.objects.filter(pk__in={p for _, p, _ in rows}).values_list("pk", "name"))
    by_year: dict = defaultdict(lambda: defaultdict(int))
    totals: dict = defaultdict(int)
    for year, partner_id, n in rows:
        partner = names[partner_id]
        by_year[year][partner] += n
        totals[partner] += n
    if not by_year:
        return {"empty": True}
    named = [p for p, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))][:MAX_SERIES]
    series = named + (["Other partners"] if len(totals) > len(named) else [])
    years = list(range(min(by_year), max(by_year) + 1))[-15:]
    table = []
    for year in years:
        values = [by_year[year].get(p, 0) for p in named]
        if len(series) > len(named):
            values.append(sum(n for p, n in by_year[year].items() if p not in named))
        table.append((year, values))
    return _geometry(series, table)


def _geometry(series: list[str], table: list[tuple]) -> dict:
    c = CHART
    plot_w = c["width"] - c["left"] - c["right"]
    plot_h = c["height"] - c["top"] - c["bottom"]
    peak = max(sum(values) for _, values in table) or 1
    step = max(1, -(-peak // 4))  # about four grid lines
    top = step * -(-peak // step)
    slot = plot_w / len(table)
    bar_w = max(4.0, slot * 0.6)
    bars, labels = [], []
    for i, (year, values) in enumerate(table):
        x = c["left"] + i * slot + (slot - bar_w) / 2
        y = c["top"] + plot_h
        for s, n in enumerate(values):
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            bars.append(
                {
                    "x": round(x, 1),
                    "y": round(y, 1),
                    "w": round(bar_w, 1),
                    "h": round(h, 1),
                    "series": s,
                    "title": f"{series[s]}, FY{year}: {n}",
                }
            )
        labels.append({"x": round(x + bar_w / 2, 1), "year": f"FY{year}"})
    ticks = [
        {"value": v, "y": round(c["top"] + plot_h - plot_h * v / top, 1)}
        for v in range(0, top + 1, step)
    ]
    return {
        "empty": False,
        "series": list(enumerate(series)),
        "table": table,
        "bars": bars,
        "labels": labels,
        "ticks": ticks,
        "size": c,
        "axis_y": c["top"] + plot_h,
        "axis_x_end": c["width"] - c["right"],
        "label_y": c["top"] + plot_h + 20,
    }
