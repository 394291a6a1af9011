"""The embedded PostgreSQL used when DATABASE_URL is unset (see docs/decisions/0001)."""

import logging
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def embedded_database_url(folder: str = ".pgdata") -> str:
    """Start (or join) a PostgreSQL 16 server kept under the checkout and return its URL.

    pgserver shares one server between all processes that ask for the same folder and
    stops it when the last of them exits, so runserver, Celery and pytest can all use it.
    """
    import pgserver

    # pgserver logs every command at INFO, also from atexit after streams are closed.
    logging.getLogger("pgserver").setLevel(logging.WARNING)

    os.environ.setdefault("XDG_RUNTIME_DIR", str(BASE_DIR / "var"))  # quiets platformdirs
    server = pgserver.get_server(BASE_DIR / folder, cleanup_mode="stop")
    return server.get_uri()


def database_url(env, folder: str = ".pgdata") -> str:
    """DATABASE_URL when set, otherwise the embedded server's URL."""
    return env("DATABASE_URL", default=None) or embedded_database_url(folder)
