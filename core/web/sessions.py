"""The 30-minute idle timeout without a database write on every read (docs/decisions/0013).

`SESSION_SAVE_EVERY_REQUEST` pushed the session's expiry forward by writing the session row
on every request: `BEGIN; UPDATE django_session; COMMIT` for each page read. Instead the
session is saved (and so its expiry pushed forward) only when its last save is at least
`SESSION_REFRESH_SECONDS` old: at most one write a minute per active user, and a user idle
for `SESSION_COOKIE_AGE` seconds is still signed out (up to a minute sooner).
"""

from django.conf import settings
from django.utils import timezone

REFRESHED_KEY = "_idle_refreshed_at"


class IdleSessionRefreshMiddleware:
    """Marks a non-empty session modified when its expiry was last pushed long enough ago.

    Listed right after SessionMiddleware, so its response half runs first and
    SessionMiddleware then saves the session it marked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response  # no session to keep alive (or one just ended by signing out)
        now = int(timezone.now().timestamp())
        stale = now - session.get(REFRESHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS
        if stale or session.modified:  # a session saved anyway records when, for free
            session[REFRESHED_KEY] = now
        return response


def refreshed_at_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: signing in saves the session, so its expiry is fresh already
    and the first page after signing in needs no write of its own."""
    request.session[REFRESHED_KEY] = int(timezone.now().timestamp())
