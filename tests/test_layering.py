"""The layers import one way: registry -> notifications -> conditions -> agreements ->
partners -> core.

config wires them all and nothing imports config; core imports no app. Imports inside
functions count too, and so do models named by string (`apps.get_model("conditions", ...)`).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "partners", "agreements", "safeguards", "conditions", "notifications", "registry"]


def imported_packages(source: str) -> set[tuple[str, int]]:
    """(top-level package, line) for every import, and every app label given to get_model."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add((node.args[0].value.split(".")[0], node.lineno))
    return found


def violations(package: str, files) -> list[str]:
    """Each import from `package`'s files that points at config or at a layer above it."""
    above = set(LAYERS[LAYERS.index(package) + 1 :]) | {"config"}
    return [
        f"{path.name}:{line} imports {target}"
        for path in files
        for target, line in sorted(imported_packages(path.read_text()))
        if target in above
    ]


@pytest.mark.parametrize("package", LAYERS)
def test_no_layer_imports_a_layer_above_it(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files
    assert violations(package, files) == []


def test_the_check_catches_an_arrow_pointing_back(tmp_path):
    """What core/history/views.py did before the layout: core reaching up into an app."""
    module = tmp_path / "views.py"
    module.write_text(
        "from django.apps import apps\n"
        "from core.roles import can_read\n"
        "def ledger_alert_context(request):\n"
        "    from conditions.models import LedgerCheck\n"
        "    return LedgerCheck\n"
        "def events():\n"
        "    return apps.get_model('agreements', 'Agreement')\n"
        "import config.settings.base\n"
    )
    assert violations("core", [module]) == [
        "views.py:7 imports agreements",
        "views.py:4 imports conditions",
        "views.py:8 imports config",
    ]
    assert violations("registry", [module]) == ["views.py:8 imports config"]
