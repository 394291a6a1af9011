"""`python -m config.run`: the whole application on one machine with no services to install.

Migrates, loads the demo data into an empty database, then runs the web server (gunicorn,
as production does), a Celery worker and the Celery beat scheduler until interrupted. With
DATABASE_URL unset it uses the embedded PostgreSQL; with CELERY_BROKER_URL unset, kombu's
filesystem transport.
Pages are served as a user is served: DEBUG off, static files through whitenoise
(config/settings/run.py); the test command keeps its own settings.
"""

import os
import signal
import socket
import subprocess
import sys
import time

CREATE_USER = (
    "printf 'a-long-passphrase' | .venv/bin/python manage.py create_user alice "
    "--role editor --password-stdin"
)


def choose_settings() -> str:
    """The run settings, unless the environment chose settings itself.

    Importing the `config` package (for this module) has already set Celery's default, the
    local settings, so this cannot be a plain setdefault.
    """
    from config.celery import SETTINGS_CHOSEN

    if not SETTINGS_CHOSEN:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.run"
    return os.environ["DJANGO_SETTINGS_MODULE"]


def main() -> int:
    choose_settings()  # the web server, worker and scheduler inherit it
    import django

    django.setup()  # starts (and, while we live, holds) the embedded PostgreSQL if needed
    from django.conf import settings
    from django.core.management import call_command

    for folder in ("queue", "processed"):
        (settings.BROKER_FOLDER / folder).mkdir(parents=True, exist_ok=True)
    # whitenoise serves from the finders here, but warns at every start without this folder.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=1)
    call_command("seed_demo", if_empty=True)
    catch_up_scan()
    address = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")
    python = sys.executable
    commands = [
        web_command(address),
        [python, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2"],
        [
            python,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(settings.BASE_DIR / "var" / "celerybeat-schedule"),
        ],
    ]
    children = [subprocess.Popen(command) for command in commands]  # noqa: S603
    _wait_for(address, children[0])
    print(ready_message(address, users=_user_count()), flush=True)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
    return max((child.returncode or 0) for child in children)


def web_command(address: str) -> list[str]:
    """The web server as production runs it: gunicorn with config/gunicorn.py, whitenoise
    serving the static files (config/settings/run.py); two workers for one machine."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:config.gunicorn",
        "--bind",
        address,
        "--workers",
        "2",
        "--access-logfile",
        "-",
        "config.wsgi",
    ]


def catch_up_scan() -> None:
    """The flag scan, now: beat's daily scan runs at 00:05, so a registry started later
    would show no flags while its dashboard lists reviews due. Idempotent; when another scan
    is running this one skips (the worker queues one at its start too)."""
    from django.core.management import CommandError, call_command

    try:
        call_command("scan_conditions")
    except CommandError as error:
        print(f"Flag scan at start: {error}", flush=True)


def ready_message(address: str, *, users: int) -> str:
    """The lines that tell a person where the registry is and how to get in."""
    host, _, port = address.rpartition(":")
    url = f"http://{host or '127.0.0.1'}:{port}/"
    lines = [f"The registry is ready: open {url} (Ctrl-C stops it)."]
    if users:
        lines.append(f"{users} user{'s' if users != 1 else ''} can sign in. To add one:")
    else:
        lines.append("Nobody can sign in yet. Create the first user:")
    lines.append(f"    {CREATE_USER}")
    lines.append("Roles: admin, editor, auditor. More in README.md.")
    rule = "=" * max(len(line) for line in lines)
    return "\n".join([rule, *lines, rule])


def _user_count() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.count()


def _wait_for(address: str, server, timeout: float = 60) -> None:
    """Until the web server accepts connections (so the ready line comes after its start-up)."""
    host, _, port = address.rpartition(":")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection((host or "127.0.0.1", int(port)), timeout=1):
                return
        except OSError:
            time.sleep(0.3)


if __name__ == "__main__":
    sys.exit(main())
