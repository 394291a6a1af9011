"""gunicorn settings for production: `gunicorn -c python:config.gunicorn config.wsgi`.

gunicorn names itself in a `Server` header on every response and has no setting to stop
it; telling a scanner which server and version answers helps nobody else
(docs/decisions/0018). The hook below drops that one line of the headers gunicorn writes
itself; the application's own headers are untouched.
"""

from gunicorn.http import wsgi

_gunicorn_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self) -> list[str]:
    return [
        line for line in _gunicorn_default_headers(self) if not line.lower().startswith("server:")
    ]


wsgi.Response.default_headers = _default_headers_without_server

# Command-line flags (--bind, --workers, --threads) still apply; these are the defaults.
bind = "127.0.0.1:8000"
workers = 3
threads = 4
