"""bench_web's ordering rows: every `?ordering=` each large API list accepts, both ways.

Issue 14 asks for an index behind every orderable field: then a list's first page in any
order reads one index range, like its default page, instead of sorting the whole table. Each
row times the first page of every ordering of one list (runs alternating with the list's
default page) and reports the slowest against that default page.
"""

import statistics
import time

from agreements.api.views import AgreementViewSet
from conditions.api.views import ConditionViewSet, WaiverEntryViewSet

LISTS = (
    ("agreements", AgreementViewSet),
    ("conditions", ConditionViewSet),
    ("waivers", WaiverEntryViewSet),
)
GOAL_RATIO = 1.5


def ordering_rows(get, *, repeat: int) -> list[dict]:
    """One row per list; `get(url)` fetches a page and returns its size in bytes."""
    return [_slowest_ordering(get, name, viewset, repeat) for name, viewset in LISTS]


def _slowest_ordering(get, name: str, viewset, repeat: int) -> dict:
    default_url = f"/api/v1/{name}/"
    timings = {}
    for field in viewset.ordering_fields:
        for term in (field, f"-{field}"):
            timings[term] = _median_ms(get, f"{default_url}?ordering={term}", default_url, repeat)
    slowest = max(timings, key=lambda term: timings[term][0] / timings[term][1])
    page_ms, default_ms = timings[slowest]
    ratio = round(page_ms / default_ms, 2)
    return {
        "page": f"API {name}/ slowest of {len(timings)} orderings ({slowest})",
        "url": f"{default_url}?ordering={slowest}",
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
