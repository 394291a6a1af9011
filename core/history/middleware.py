"""Label every change a request makes with its actor, channel and request id."""

import re
import uuid

import pghistory
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.wsgi import WSGIRequest

from core.history.context import actor_label

# A caller (a proxy, another system) may pass its own request id; anything odd is replaced.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")


def channel_for(path: str) -> str:
    """The channel a URL belongs to: the API, the admin, or the web pages."""
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "web"


def _user_metadata(user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    return {"actor": actor_label(user), "user": user.pk}


class _UserAware:
    """DRF authenticates tokens inside the view and then sets `request.user`; catch that."""

    def __setattr__(self, name, value):
        if name == "user":
            pghistory.context(**_user_metadata(value))
        super().__setattr__(name, value)


class _HistoryWSGIRequest(_UserAware, WSGIRequest):
    pass


class _HistoryASGIRequest(_UserAware, ASGIRequest):
    pass


class HistoryMiddleware:
    """Open a history context per request; place it after AuthenticationMiddleware."""

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
            **_user_metadata(getattr(request, "user", None)),
        }
        with pghistory.context(**metadata):
            if type(request) is WSGIRequest:
                request.__class__ = _HistoryWSGIRequest
            elif type(request) is ASGIRequest:
                request.__class__ = _HistoryASGIRequest
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
