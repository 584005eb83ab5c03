"""The examples in the query modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "steward.query.datatypes",
    "steward.query.naming",
    "steward.query.params",
    "steward.query.parser",
    "steward.query.search",
    "steward.query.translate",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
