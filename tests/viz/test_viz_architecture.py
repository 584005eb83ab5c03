"""steward.viz is domain code: it never imports the web or CLI layers, and town lookups stay light.

pyproject's import-linter contract does not list steward.viz yet; this checks the same rule.
(Altair itself imports jinja2 for its HTML output; the rule is about Steward's own imports.)
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import steward.viz

FORBIDDEN = ("steward.web", "steward.cli", "fastapi", "starlette", "jinja2", "typer")
PACKAGE = Path(steward.viz.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_viz_never_imports_web_or_cli_code() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) >= 7
    for path in modules:
        bad = {name for name in imported_modules(path) if name.startswith(FORBIDDEN)}
        assert not bad, f"{path.name} imports {bad}"


def test_town_lookups_do_not_load_altair() -> None:
    code = "import sys, steward.viz.towns; print('altair' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
