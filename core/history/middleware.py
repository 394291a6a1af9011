"""Label every change a request makes with its actor, channel and request id."""

import re
import uuid

import pghistory

from core.history.context import user_metadata

# A caller (a proxy, another system) may pass its own request id; anything odd is replaced.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")


def channel_for(path: str) -> str:
    """The channel a URL belongs to: the API, the admin, or the web pages."""
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "web"


class HistoryMiddleware:
    """Open a history context per request; place it after AuthenticationMiddleware.

    The session's user is known here. The API's token user is not (DRF authenticates inside
    the view): core.api.auth.TokenAuthentication adds it to this context once it knows it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request_id = supplied if REQUEST_ID_PATTERN.match(supplied) else uuid.uuid4().hex
        request.request_id = request_id
        metadata = {
            "channel": channel_for(request.path),
            "request_id": request_id,
            "method": request.method,
            "url": request.path[:500],
            **user_metadata(getattr(request, "user", None)),
        }
        with pghistory.context(**metadata):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
