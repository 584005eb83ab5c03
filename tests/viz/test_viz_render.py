"""Offline rendering, the SVG text alternative, the render cache, and the docstring examples."""

from __future__ import annotations

import doctest
import importlib

import pytest

from steward.viz import render
from steward.viz.render import label_svg, render_svg, spec_hash, warm_up

DOCTEST_MODULES = [
    "steward.viz.towns",
    "steward.viz.scales",
    "steward.viz.soql",
    "steward.viz.charts",
    "steward.viz.maps",
]


@pytest.mark.parametrize("name", DOCTEST_MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_label_svg_adds_role_title_and_description() -> None:
    svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="2"><rect/></svg>'
    labelled = label_svg(svg, "c1", "A < B", "Rates & counts")
    assert labelled == (
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="2" role="img"'
        ' aria-labelledby="c1-title c1-desc"><title id="c1-title">A &lt; B</title>'
        '<desc id="c1-desc">Rates &amp; counts</desc><rect/></svg>'
    )


def test_remote_data_is_refused() -> None:
    spec = {
        "data": {"url": "https://example.com/data.csv"},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    with pytest.raises(ValueError, match="not allowed"):
        render_svg(spec, title="t", description="d")


def test_spec_hash_ignores_key_order() -> None:
    assert spec_hash({"a": 1, "b": [1, 2]}) == spec_hash({"b": [1, 2], "a": 1})
    assert spec_hash({"a": 1}) != spec_hash({"a": 2})


def test_the_cache_keeps_the_most_recent(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = render._SvgCache(2)
    monkeypatch.setattr(render, "_cache", cache)
    for key in ("a", "b", "a", "c"):  # "b" is the least recently used when "c" arrives
        if cache.get(key) is None:
            cache.put(key, f"<svg>{key}</svg>")
    assert cache.get("b") is None and cache.get("a") == "<svg>a</svg>"
    assert len(cache) == 2 and (cache.hits, cache.misses) == (2, 4)


def test_warm_up_runs() -> None:
    warm_up()
