"""Security and resilience wiring: extra headers, 503 on database outages, read auditing,
login lockout and API throttles (docs/decisions/0013 and 0014)."""

import logging
import re
import sys
import time
from dataclasses import dataclass

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from core.caching import add_to_counters

audit_log = logging.getLogger("registry.audit")
log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


# ----- headers ---------------------------------------------------------------------------


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy and CORP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if "Server" in response:  # no product or version for a scanner (config/gunicorn.py)
            del response["Server"]
        return response


# ----- database outages ------------------------------------------------------------------


def database_unavailable(request) -> HttpResponse:
    """A 503 that needs no database: plain template, no request context, no user lookup."""
    if request is not None and request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The registry's database is unavailable. Try again shortly."}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection raised by a view into a 503 instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            log.error("database unavailable: %s %s: %s", request.method, request.path, exception)
            return database_unavailable(request)
        return None


def server_error(request, *args, **kwargs):
    """handler500: a database outage raised outside a view (e.g. saving the session) is a 503.

    Django calls this inside its `except` block, so sys.exc_info() holds the exception.
    """
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    if request is not None and request.path.startswith("/api/"):
        # API clients read JSON, whatever the status; the page is for people.
        return JsonResponse({"detail": "Server error. The error has been logged."}, status=500)
    return defaults.server_error(request, *args, **kwargs)


# ----- request size ----------------------------------------------------------------------


class RequestBodyLimitMiddleware:
    """Answer 413 to a body larger than REQUEST_BODY_MAX_BYTES before anything reads it.

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE guards request.POST only; the API's parsers read
    the raw stream. The import upload page takes files up to IMPORT_UPLOAD_MAX_BYTES (plus
    room for the form around the file).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body for a length it cannot parse
        if length > self.limit(request):
            return request_too_large(request, self.limit(request))
        return self.get_response(request)

    @staticmethod
    def limit(request) -> int:
        if request.path in settings.REQUEST_BODY_UPLOAD_PATHS:
            return settings.IMPORT_UPLOAD_MAX_BYTES + 1024 * 1024
        return settings.REQUEST_BODY_MAX_BYTES


class RefuseNulMiddleware:
    """400 for a page request whose query or form holds a NUL character.

    PostgreSQL cannot store or even compare text with NUL, so a form field that looks a value
    up (a select of records, a typeahead) would fail in the database. Refused at the door,
    with words, for every page; the API refuses NUL in its own fields and filters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and _holds_nul(request):
            return HttpResponse(
                "The request holds a NUL character, which the registry cannot store. "
                "Remove it and try again.",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _holds_nul(request) -> bool:
    data = [request.GET]
    if request.method == "POST":
        data.append(request.POST)
    return any("\x00" in key or "\x00" in value for q in data for key, value in _items(q))


def _items(query):
    for key, values in query.lists():
        for value in values:
            yield key, value


def request_too_large(request, limit: int) -> HttpResponse:
    message = f"The request is larger than {limit // (1024 * 1024)} MB; nothing was read."
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=413)
    else:
        response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    # No `Connection: close`: a hop-by-hop header, which WSGI forbids an application to set
    # (PEP 3333; runserver answered it with a 500). The servers skip the unread body
    # themselves: gunicorn's parser and runserver's handler read it to its length.
    return response


# ----- read auditing ---------------------------------------------------------------------


class AuditReadMiddleware:
    """Log who read the waiver ledger or the change history, when, and which object.

    Routes are matched on the path (settings.AUDITED_READ_PATHS), so views written by anyone
    are covered without a decorator; one JSON-ish line per successful GET on logger
    `registry.audit` (the formatter adds the time).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.patterns = [re.compile(p) for p in settings.AUDITED_READ_PATHS]

    def __call__(self, request):
        response = self.get_response(request)
        audited = any(p.search(request.path) for p in self.patterns)
        if audited and request.method in ("GET", "HEAD") and response.status_code < 400:
            audit_read(request)
        return response


def audit_read(request, obj=None) -> None:
    """Record one read of audited data; callable directly from a view for a specific object."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    kwargs = dict(match.kwargs) if match else {}
    target = f"{obj._meta.label}:{obj.pk}" if obj is not None else None
    audit_log.info(
        "read user=%s user_id=%s path=%s route=%s object=%s query=%s address=%s",
        user.get_username() if user and user.is_authenticated else "anonymous",
        user.pk if user and user.is_authenticated else None,
        request.path,
        match.view_name if match else None,
        target or ",".join(f"{k}={v}" for k, v in sorted(kwargs.items())) or None,
        request.META.get("QUERY_STRING", ""),
        client_address(request),
    )


# ----- login lockout ---------------------------------------------------------------------


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped only for calls that carry no request.

    Every login over HTTP (the sign-in page, the admin) passes the request and is counted
    and locked out by username; programmatic calls (the shell, Django's test client) have
    no client address to count, and axes would otherwise refuse them outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


# ----- API throttles ---------------------------------------------------------------------


class RequestRateThrottle(BaseThrottle):
    """Per user (one token or session) and per client address, whoever is signed in.

    Each scope counts requests in fixed windows of its rate's period (`600/minute`: minute
    windows) and estimates the last period as this window's count plus the previous
    window's, weighted by how much of it the last period still covers: a sliding window
    without a list of timestamps. Both scopes are read in one `get_many` and written in one
    `set_many` of the shared cache (docs/decisions/0032); since issue 25 each request adds
    to its counters atomically and reads the previous windows' in one statement
    (core.caching.add_to_counters). Anonymous requests are counted by
    address only. Rates are read at request time, so settings overrides take effect.
    """

    scopes = ("user", "address")

    def allow_request(self, request, view) -> bool:
        now = time.time()
        limits = [limit for scope in self.scopes if (limit := self._limit(scope, request, now))]
        if not limits:
            return True
        # Count this request first, atomically (issue 25): each of a burst of concurrent
        # requests gets its own total, so no two pass on the same count.
        counted = [limit.keys[0] for limit in limits]
        timeout = max(2 * limit.period for limit in limits)
        cache = caches["default"]
        counts = add_to_counters(
            cache, counted, [limit.keys[1] for limit in limits], timeout=timeout
        )
        before = {**counts, **{key: counts[key] - 1 for key in counted}}
        # A refused client is told to come back within one period at most, as DRF's own
        # throttles say; the estimate may still refuse it once then, with a shorter wait.
        self.wait_seconds = max(min(limit.wait(before), limit.period) for limit in limits)
        if self.wait_seconds > 0:
            add_to_counters(cache, counted, timeout=timeout, delta=-1)  # a refusal is not counted
            return False
        return True

    def wait(self) -> float:
        return self.wait_seconds

    @staticmethod
    def _limit(scope: str, request, now: float) -> "_Limit | None":
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
        if not rate:
            return None
        if scope == "user":
            if not request.user or not request.user.is_authenticated:
                return None
            ident = request.user.pk
        else:
            ident = client_address(request)
        count, unit = rate.split("/")
        period = RATE_PERIODS[unit[0]]
        window = int(now // period)
        keys = tuple(f"throttle:{scope}:{ident}:{w}" for w in (window, window - 1))
        return _Limit(int(count), period, keys, elapsed=now - window * period)


RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class _Limit:
    allowed: int
    period: int
    keys: tuple[str, str]  # this window's counter, the previous window's
    elapsed: float  # seconds into this window

    def wait(self, counts: dict) -> float:
        """0 when one more request fits the last period; else seconds until it would."""
        current, previous = (counts.get(key, 0) for key in self.keys)
        share = 1 - self.elapsed / self.period  # of the previous window still in the period
        if previous * share + current + 1 <= self.allowed:
            return 0
        if current + 1 > self.allowed:  # not before this window ends, and then as it fades
            room = (self.allowed - 1) / current if current else 1
            return self.period - self.elapsed + self.period * (1 - room)
        # Within this window, once enough of the previous one has slid out of the period.
        needed = 1 - (self.allowed - 1 - current) / previous
        return max(self.period * needed - self.elapsed, 1)


def client_address(request) -> str:
    """The client's address as the configured proxies report it (settings.NUM_PROXIES).

    With no proxy (0) it is the connection's address and X-Forwarded-For is ignored: any
    client can write that header. Behind N proxies it is the N-th address from the right,
    the one the outermost trusted proxy saw; addresses further left are the client's say.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    return hops[-min(proxies, len(hops))] or remote
