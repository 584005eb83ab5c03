"""The examples in the metadata modules' docstrings hold."""

from __future__ import annotations

import doctest

import pytest

from steward.metadata import coverage, jsonld, licenses, links


@pytest.mark.parametrize("module", [coverage, jsonld, licenses, links], ids=lambda m: m.__name__)
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0
