"""Every docstring example outside the query package runs and holds (the query package has its
own list in tests/query)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import steward


def modules_with_examples() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(steward.__path__, "steward."):
        if info.name.startswith(("steward.query", "steward.db.migrations")):
            continue
        spec = importlib.util.find_spec(info.name)
        origin = spec.origin if spec else None
        if origin and origin.endswith(".py") and ">>> " in Path(origin).read_text(encoding="utf-8"):
            names.append(info.name)
    return names


@pytest.mark.parametrize("name", modules_with_examples())
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
