"""`python -m config.run`: the whole application on one machine with no services to install.

Migrates, loads the demo data into an empty database, then runs the web server, a Celery
worker and the Celery beat scheduler until interrupted. With DATABASE_URL unset it uses the
embedded PostgreSQL; with CELERY_BROKER_URL unset, kombu's filesystem transport.
"""

import os
import signal
import subprocess
import sys
import time


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()  # starts (and, while we live, holds) the embedded PostgreSQL if needed
    from django.conf import settings
    from django.core.management import call_command

    for folder in ("queue", "processed"):
        (settings.BROKER_FOLDER / folder).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=1)
    call_command("seed_demo", if_empty=True)
    address = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")
    python = sys.executable
    commands = [
        [python, "manage.py", "runserver", "--noreload", address],
        [python, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2"],
        [python, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
         "--schedule", str(settings.BASE_DIR / "var" / "celerybeat-schedule")],
    ]  # fmt: skip
    children = [subprocess.Popen(command) for command in commands]  # noqa: S603
    print(f"Serving on http://{address}/ with a Celery worker and scheduler. Ctrl-C stops.")
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


if __name__ == "__main__":
    sys.exit(main())
