"""A two-line WSGI application for starting gunicorn with the production config in a test."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]
