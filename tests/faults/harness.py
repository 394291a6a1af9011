"""Real services for the fault and load tests: a throwaway embedded PostgreSQL, a Redis on
its own port and a gunicorn server, all on loopback and all started and stopped here.

Nothing here touches the machine's own PostgreSQL (5432) or Redis (6379).
"""

import contextlib
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

logging.getLogger("pgserver").setLevel(logging.WARNING)  # its atexit INFO lines hit closed streams

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


class EmbeddedPostgres:
    """A pgserver PostgreSQL in a temporary folder that a test may stop and start again."""

    def __init__(self):
        import pgserver
        from pgserver._commands import pg_ctl

        self._pg_ctl = pg_ctl
        self.folder = Path(tempfile.mkdtemp(prefix="dtc-faults-pg-"))
        self.server = pgserver.get_server(self.folder / "data", cleanup_mode="delete")
        info = self.server.get_postmaster_info()
        self.socket_dir = info.socket_dir
        self.server.psql("CREATE DATABASE registry;")

    def url(self, database: str = "registry") -> str:
        return f"postgresql://postgres:@/{database}?host={self.socket_dir}"

    def stop(self) -> None:
        self._pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user
        )

    def start(self) -> None:
        args = [
            "-w",
            "-o",
            '-h ""',
            "-o",
            f"-k {self.socket_dir}",
            "-l",
            str(self.server.log),
            "start",
        ]
        self._pg_ctl(args, pgdata=self.server.pgdata, user=self.server.system_user, timeout=30)

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    """redis-server on its own loopback port (never the machine's 6379)."""

    def __init__(self, port: int = 6390):
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="dtc-faults-redis-"))

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(  # noqa: S603
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",  # noqa: S607
                "--daemonize",
                "yes",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
                "--pidfile",
                str(self.folder / "redis.pid"),
            ],
            check=True,
            capture_output=True,
        )
        wait_until(self.ping, timeout=10, what="redis")

    def ping(self) -> bool:
        done = subprocess.run(  # noqa: S603
            ["redis-cli", "-p", str(self.port), "ping"],  # noqa: S607
            capture_output=True,
            text=True,
        )
        return done.stdout.strip() == "PONG"

    def stop(self) -> None:
        subprocess.run(  # noqa: S603
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"],  # noqa: S607
            capture_output=True,
        )
        wait_until(lambda: not self.ping(), timeout=10, what="redis to stop")


def app_env(database_url: str, *, broker_url: str = "memory://", **extra) -> dict:
    """Environment for manage.py and gunicorn running the production settings on loopback."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback; TLS is the proxy's job
        CELERY_BROKER_URL=broker_url,
        STATIC_ROOT=str(ROOT / "var" / "faults-static"),
        DATABASE_CONNECT_TIMEOUT="3",
        CONN_MAX_AGE="60",
        PYTHONUNBUFFERED="1",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env: dict, *args: str, stdin: str | None = None, timeout: float = 300) -> str:
    done = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare_database(env: dict) -> None:
    manage(env, "migrate", "--verbosity", "0")
    manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
    sources = [p for p in (ROOT / "static").rglob("*") if p.is_file()]
    newest = max((p.stat().st_mtime for p in sources), default=0)
    # Hashing and compressing every file takes a while; do it again only when one changed.
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        manage(env, "collectstatic", "--noinput", "--clear", "--verbosity", "0")


class Gunicorn:
    """gunicorn serving config.wsgi on 127.0.0.1:<free port>, logging to a file."""

    def __init__(self, env: dict, *, workers: int = 2, threads: int = 4):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="dtc-gunicorn-", suffix=".log")[1])
        self.process = subprocess.Popen(  # noqa: S603
            [
                GUNICORN,
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "60",
                # longer than any client's pause, so a reused connection is never closed
                # under it (the default 2 s races clients that reuse pooled connections)
                "--keep-alive",
                "75",
                "--access-logfile",
                "-",
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self._answers, timeout=60, what="gunicorn")

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()}")
        try:
            requests.get(self.base + "/accounts/login/", timeout=2)
        except requests.RequestException:
            return False
        return True

    def output(self) -> str:
        return self.log.read_text()

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.unlink(missing_ok=True)


class Browser:
    """A requests session that logs in through the sign-in form (keeping Secure cookies,
    which a real browser would only send over HTTPS, because the test speaks plain HTTP)."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()

    def _keep_cookies(self, response) -> None:
        for cookie in response.cookies:
            self.session.cookies.set(
                cookie.name, cookie.value, domain=cookie.domain, path=cookie.path, secure=False
            )

    def get(self, path: str, **kwargs):
        response = self.session.get(self.base + path, allow_redirects=False, timeout=30, **kwargs)
        self._keep_cookies(response)
        return response

    def login(self, username: str, password: str) -> requests.Response:
        self.get("/accounts/login/")
        token = self.session.cookies.get("csrftoken")
        response = self.session.post(
            self.base + "/accounts/login/",
            data={
                "username": username,
                "password": password,
                "accept_notice": "on",  # the system-use notice (core/web/signin.py)
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.base + "/accounts/login/"},
            allow_redirects=False,
            timeout=30,
        )
        self._keep_cookies(response)
        return response


def shell(env: dict, code: str, timeout: float = 120) -> str:
    """Run Python in `manage.py shell` against the throwaway database; returns stdout."""
    return manage(env, "shell", "--no-imports", "-c", code, timeout=timeout)
