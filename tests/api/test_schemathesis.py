"""Schemathesis against the live OpenAPI schema, as an editor, with every check on.

The CLI runs in a subprocess against pytest-django's live server (a real HTTP server on the
test database), so the run is the same one CI or a person would run by hand. Bounded by
`--max-examples` so it finishes in a few minutes on two cores.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conditions.models import Flag
from conditions.services import waiver_record
from tests.api.conftest import token_client
from tests.factories import AgreementFactory, ConditionFactory, UserFactory, waiver_fields

CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = 10


@pytest.mark.timeout(1200)
def test_schemathesis_finds_no_failures(live_server, transactional_db, tmp_path):
    editor = UserFactory(username="fuzz-editor", role="editor")
    key = token_client(editor)._credentials["HTTP_AUTHORIZATION"].removeprefix("Token ")
    # A few records so detail routes are reached, not only answered with 404.
    condition = ConditionFactory(agreement=AgreementFactory())
    waiver_record(condition=condition, actor=editor, **waiver_fields())
    Flag.objects.create(condition=condition, kind="review_overdue")

    executable = Path(sys.executable).with_name("schemathesis")
    command = [
        str(executable),
        "--config-file",
        str(CONFIG),
        "run",
        f"{live_server.url}/api/schema/",
        "--header",
        f"Authorization: Token {key}",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        "2",
        "--seed",
        "20260101",
        "--no-shrink",
        "--report",
        "json",
        "--report-json-path",
        str(tmp_path / "report.json"),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=1100)  # noqa: S603
    report = json.loads((tmp_path / "report.json").read_text())
    cases = report["test_cases"]
    print(f"schemathesis: {cases['generated']} cases, {report['operations']['tested']} operations")
    assert report["operations"]["tested"] >= 40
    assert report["failures"] == [], run.stdout[-20000:]
    assert report["errors"] == [], run.stdout[-20000:]
    assert cases["with_failures"] == 0 and cases["errored"] == 0
    assert run.returncode == 0, run.stdout[-20000:]
