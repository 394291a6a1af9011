"""A body over the cap answers 413 through both servers: the run command's, which is
production's (gunicorn with config/gunicorn.py, `config.run.web_command`), and Django's
development server (issue 25, items 7 and 8).
The application's 413 must not set `Connection: close`, a hop-by-hop header WSGI forbids (a
server may add it itself)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connections

from config.run import web_command
from core.db_roles import owner_alias
from tests.test_run import _free_port, _url

ROOT = Path(__file__).resolve().parents[2]
SIXTY_MB = 60 * 1024 * 1024


def _command(server: str, port: int) -> list[str]:
    if server == "runserver":  # Django's development server, which a developer may still use
        return [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    return web_command(f"127.0.0.1:{port}")  # gunicorn with config/gunicorn.py, as in production


@pytest.fixture(params=["runserver", "run-command-gunicorn"])
def server(request, db):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.run",
        "DATABASE_URL": _url(connections[owner_alias()].settings_dict),
        "DATABASE_RUNTIME_URL": _url(connections["default"].settings_dict),
    }
    env.pop("DEBUG", None)
    process = subprocess.Popen(  # noqa: S603
        _command(request.param, port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{request.param} exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    yield port
    process.terminate()
    process.wait(timeout=20)


def _post_head_of_a_large_body(port: int, path: str) -> tuple[str, str]:
    """Send the headers of a 60 MB POST and its first 64 KB; the status line and headers."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {SIXTY_MB}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head + b"x" * 65536)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status, _, headers = answer.decode("latin1").partition("\r\n")
    return status, headers.lower()


@pytest.mark.parametrize("path", ["/api/v1/partners/", "/partners/new/"])
def test_a_body_over_the_cap_is_a_413_through_either_server(server, path):
    status, _ = _post_head_of_a_large_body(server, path)
    assert status.split(" ")[1] == "413", status
