"""Uploaded files waiting between their check and their save, on the server's disk.

A file is staged once it passes its upload checks; its token names it (never the user's
file name) and its SHA-256 is kept with whoever staged it, so the save runs exactly the
bytes that were checked. Files older than an hour are cleared.
"""

import hashlib
import secrets
import tempfile
import time
from pathlib import Path

STAGING_DIR = Path(tempfile.gettempdir()) / "dtc-registry-imports"
STAGED_LIFETIME_SECONDS = 3600


def staged_path(token: str) -> Path:
    return STAGING_DIR / f"{token}.txt"


def clear_old_staged_files() -> None:
    if not STAGING_DIR.exists():
        return
    cutoff = time.time() - STAGED_LIFETIME_SECONDS
    for path in STAGING_DIR.glob("*.txt"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def stage(content: str) -> tuple[str, str]:
    """Write `content` to a new staged file; its (token, sha256)."""
    clear_old_staged_files()
    STAGING_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    staged_path(token).write_bytes(content.encode())
    return token, digest(content)


def digest(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


def read_staged(token: str, sha256: str) -> str | None:
    """The staged file's text, or None when it is gone or no longer the bytes checked."""
    path = staged_path(token)
    if not token or not path.exists():
        return None
    content = path.read_bytes().decode()
    return content if digest(content) == sha256 else None


def discard(token: str) -> None:
    if token:
        staged_path(token).unlink(missing_ok=True)
