"""Runs a benchmark command at a tiny size in its own throwaway database, as a person would."""

import json
import os
import subprocess
import sys
import uuid

from django.conf import settings


def run_bench(command: str, *args: str) -> tuple[dict, str]:
    """`manage.py <command> <args>` in a subprocess: its last output line (JSON) as a dict,
    and its whole output."""
    name = f"bench_{uuid.uuid4().hex[:8]}_{command}"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", command, *args, "--database-name", name],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stdout
