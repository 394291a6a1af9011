"""The embedded PostgreSQL used when DATABASE_URL is unset (see docs/decisions/0001)."""

import logging
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def embedded_server(folder: str = ".pgdata"):
    """Start (or join) a PostgreSQL 16 server kept under the checkout.

    pgserver shares one server between all processes that ask for the same folder and
    stops it when the last of them exits, so runserver, Celery and pytest can all use it.
    """
    import pgserver

    # pgserver logs every command at INFO, also from atexit after streams are closed.
    logging.getLogger("pgserver").setLevel(logging.WARNING)

    os.environ.setdefault("XDG_RUNTIME_DIR", str(BASE_DIR / "var"))  # quiets platformdirs
    return pgserver.get_server(BASE_DIR / folder, cleanup_mode="stop")


def embedded_database_url(folder: str = ".pgdata") -> str:
    """The embedded server's URL as its superuser, who owns the schema."""
    return embedded_server(folder).get_uri()


def embedded_database_urls(folder: str = ".pgdata") -> tuple[str, str]:
    """(owner, runtime) URLs of the embedded server (docs/decisions/0017).

    The owner is the server's superuser; the runtime role `registry_runtime` is created by
    the first `migrate` (core/db_roles.py). Both connect through the server's socket.
    """
    from core.db_roles import RUNTIME_ROLE

    info = embedded_server(folder).get_postmaster_info()
    return info.get_uri(), info.get_uri(user=RUNTIME_ROLE, database="postgres")


def database_url(env, folder: str = ".pgdata") -> str:
    """DATABASE_URL when set, otherwise the embedded server's URL."""
    return env("DATABASE_URL", default=None) or embedded_database_url(folder)
