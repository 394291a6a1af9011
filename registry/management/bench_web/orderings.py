"""bench_web's ordering rows: every `?ordering=` each large API list accepts and every
`?sort=` of each large HTML list, both ways.

Issue 14 asks for an index behind every orderable field: then a list's first page in any
order reads one index range, like its default page, instead of sorting the whole table. Each
row times the first page of every ordering of one list (runs alternating with the list's
default page) and reports the slowest against that default page.
"""

import statistics
import time

from agreements.api.views import AgreementViewSet
from agreements.views import AgreementListView
from conditions.api.views import ConditionViewSet, WaiverEntryViewSet
from conditions.views.conditions import ConditionListView
from conditions.views.waivers import WaiverListView

GOAL_RATIO = 1.5


def ordering_rows(get, *, repeat: int) -> list[dict]:
    """One row per list; `get(url)` fetches a page and returns its size in bytes."""
    lists = [
        ("API agreements/", "/api/v1/agreements/", "ordering", AgreementViewSet.ordering_fields),
        ("API conditions/", "/api/v1/conditions/", "ordering", ConditionViewSet.ordering_fields),
        ("API waivers/", "/api/v1/waivers/", "ordering", WaiverEntryViewSet.ordering_fields),
        ("/agreements/", "/agreements/", "sort", AgreementListView.sort_fields),
        ("/conditions/", "/conditions/", "sort", ConditionListView.sort_fields),
        ("/waivers/", "/waivers/", "sort", WaiverListView.sort_fields),
    ]
    return [_slowest_ordering(get, *each, repeat=repeat) for each in lists]


def _slowest_ordering(get, label: str, default_url: str, param: str, names, *, repeat) -> dict:
    timings = {}
    for name in names:
        for term in (name, f"-{name}"):
            url = f"{default_url}?{param}={term}"
            timings[term] = _median_ms(get, url, default_url, repeat)
    slowest = max(timings, key=lambda term: timings[term][0] / timings[term][1])
    page_ms, default_ms = timings[slowest]
    ratio = round(page_ms / default_ms, 2)
    return {
        "page": f"{label} slowest of {len(timings)} orderings ({slowest})",
        "url": f"{default_url}?{param}={slowest}",
        "ms": round(page_ms, 1),
        "floor_ms": round(default_ms, 1),
        "ratio": ratio,
        "goal": f"<= {GOAL_RATIO}x",
        "met": ratio <= GOAL_RATIO,
    }


def _median_ms(get, url: str, default_url: str, repeat: int) -> tuple[float, float]:
    """Medians of the page and of the list's default page, timed alternately."""
    get(url)
    page, default = [], []
    for _ in range(repeat):
        for url_, times in ((url, page), (default_url, default)):
            started = time.perf_counter()
            get(url_)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(page), statistics.median(default)
