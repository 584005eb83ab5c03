"""The docs cover every setting, command and route (a missing entry fails the build)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from fastapi.routing import APIRoute

from steward.app import create_app
from steward.cli.main import app as cli_app
from steward.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def command_paths(group: Any, prefix: str = "steward") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            paths.extend(command_paths(command, f"{prefix} {name}"))
        else:
            paths.append(f"{prefix} {name}")
    return paths


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"STEWARD_{name.upper()}" in (ROOT / "README.md").read_text()


def test_every_setting_has_a_description() -> None:
    assert all(field.description for field in Settings.model_fields.values())


def test_every_command_is_in_the_cli_doc() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text()
    group = typer.main.get_command(cli_app)
    missing = [path for path in command_paths(group) if f"`{path}" not in doc]
    assert missing == []


def route_paths(routes: list[Any], prefix: str = "") -> list[str]:
    """Every endpoint path, looking inside included routers (FastAPI may wrap them)."""
    paths = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            paths += route_paths(inner.routes, prefix + getattr(inner, "prefix", ""))
        elif isinstance(route, APIRoute):
            paths.append(route.path if route.path.startswith(prefix) else prefix + route.path)
    return paths


def test_every_route_is_in_the_api_doc(settings: Settings) -> None:
    doc = (ROOT / "docs" / "api.md").read_text()
    paths = route_paths(create_app(settings).routes)
    assert len(paths) > 10
    documented = set(re.findall(r"`(?:GET|POST|PUT|PATCH|DELETE) ([^`\s?]+)", doc))
    missing = [path for path in paths if path not in documented]
    assert missing == []
