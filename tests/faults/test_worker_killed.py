"""A worker killed in the middle of a scan leaves no duplicate or half-made flag, and the next
scan completes the work."""

import json
import signal
import subprocess
import tempfile
import textwrap
from pathlib import Path

import pytest

from tests.faults.harness import PYTHON, ROOT, manage, shell, wait_until

pytestmark = pytest.mark.faults

# A scan worker that stops for good inside its second chunk's transaction, after the scan
# statement ran and before the commit: exactly where a killed worker hurts most.
SLOW_WORKER = textwrap.dedent(
    """
    import datetime, pathlib, sys, time
    import django
    django.setup()
    from django.db import transaction
    from conditions.services import scan
    from core.registry_day import registry_today

    original, calls = scan.scan_chunk, []

    def stalling_chunk(**kwargs):
        calls.append(kwargs)
        if len(calls) < 2:
            return original(**kwargs)
        with transaction.atomic():
            result = original(**kwargs)
            pathlib.Path(sys.argv[1]).write_text("inside chunk 2")
            time.sleep(300)
        return result

    scan.scan_chunk = stalling_chunk
    scan.scan_conditions(today=registry_today(), chunk_size=int(sys.argv[2]))
    """
)

MAKE_CONDITIONS = """
import datetime, json
from core.registry_day import registry_today
from tests.factories import ConditionFactory
past = registry_today() - datetime.timedelta(days=10)
print(json.dumps([c.pk for c in ConditionFactory.create_batch(8, next_review_due=past)]))
"""

STATE = """
import json
from django.db.models import Count
from conditions.models import Flag
from core.registry_day import registry_today
ids = {ids}
flags = Flag.objects.filter(condition_id__in=ids, kind="review_overdue")
rows = list(flags.values("condition_id", "status").annotate(notes=Count("notifications")))
print(json.dumps(rows))
"""


def state(env, ids):
    return json.loads(shell(env, STATE.format(ids=ids)).strip().splitlines()[-1])


def test_killed_scan_leaves_no_half_made_flag_and_the_next_scan_completes(stack):
    ids = json.loads(shell(stack.env, MAKE_CONDITIONS).strip().splitlines()[-1])
    # every chunk before the stall covers the conditions made by earlier tests and some of ours
    chunk = max(ids) - min(ids)
    marker = Path(tempfile.mkdtemp()) / "stalled"
    worker = subprocess.Popen(  # noqa: S603
        [PYTHON, "-c", SLOW_WORKER, str(marker), str(chunk)],
        cwd=ROOT,
        env=stack.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(marker.exists, timeout=90, what="the worker to stall inside a chunk")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    after_kill = state(stack.env, ids)
    flagged = [row["condition_id"] for row in after_kill]
    assert len(flagged) == len(set(flagged))  # no duplicate flag
    assert all(row["notes"] == 1 for row in after_kill)  # none without its notification
    assert len(flagged) < len(ids)  # the stalled chunk's work was rolled back, not half-kept

    def next_scan():
        try:
            return manage(stack.env, "scan_conditions")
        except RuntimeError as error:  # the dead worker's lock is released with its session
            assert "Another scan is running" in str(error)
            return None

    output = wait_until(next_scan, timeout=30, interval=1, what="the next scan")
    assert "raised" in output
    final = state(stack.env, ids)
    assert sorted(row["condition_id"] for row in final) == sorted(ids)
    assert all(row["notes"] == 1 and row["status"] == "open" for row in final)
