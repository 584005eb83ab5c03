"""Vega-Lite spec -> accessible SVG, offline, with a small cache of finished SVGs.

vl-convert runs Vega in an embedded JavaScript engine: about 40-70 ms per chart or 169-town map
once warm, but the first render in a process also starts the engine (0.5-1.5 s), so the app
should call `warm_up()` at start. Rendered SVGs are kept in a process-wide LRU keyed by a hash of
the spec, so a popular chart is drawn once. Remote data is refused (`allowed_base_urls=[]`) and
Vega's default `sans-serif` font needs nothing from the network.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import vl_convert

CACHE_SIZE = 128
# Shared look: legible sizes and near-black text (WCAG AA contrast on the white background).
CONFIG: dict[str, Any] = {
    "background": "white",
    # Metric-compatible faces first, so the layout vl-convert measures matches what browsers draw.
    "font": "Arial, 'Liberation Sans', Helvetica, sans-serif",
    "title": {"fontSize": 16, "anchor": "start", "color": "#1b1b1b"},
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 13,
        "labelColor": "#1b1b1b",
        "titleColor": "#1b1b1b",
        # No width limit: Vega would measure every label to truncate it, which is most of the
        # render time of a bar chart; long category labels are shortened by charts.LABEL_EXPR.
        "labelLimit": 0,
    },
    "legend": {
        "labelFontSize": 12,
        "titleFontSize": 13,
        "labelColor": "#1b1b1b",
        "titleColor": "#1b1b1b",
        "labelLimit": 260,
    },
}
_WARM_UP_SPEC: dict[str, Any] = {
    "data": {"values": [{"x": 1}]},
    "mark": "point",
    "encoding": {"x": {"field": "x", "type": "quantitative"}},
}


@dataclass(frozen=True)
class CacheInfo:
    hits: int
    misses: int
    size: int


class _SvgCache:
    def __init__(self, maxsize: int) -> None:
        self._maxsize = maxsize
        self._items: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> str | None:
        with self._lock:
            svg = self._items.get(key)
            if svg is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return svg

    def put(self, key: str, svg: str) -> None:
        with self._lock:
            self._items[key] = svg
            self._items.move_to_end(key)
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


_cache = _SvgCache(CACHE_SIZE)


def spec_hash(spec: dict[str, Any]) -> str:
    """A stable digest of a spec (its canonical JSON)."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render_svg(spec: dict[str, Any], *, title: str, description: str) -> str:
    """The SVG for `spec`, labelled for assistive technology with `title` and `description`.

    The root gets `role="img"` and `aria-labelledby` pointing at a `<title>` and a `<desc>`
    (ids derived from the spec, so several charts can share a page).
    """
    digest = spec_hash(spec)
    key = hashlib.sha256(f"{digest}\0{title}\0{description}".encode()).hexdigest()
    cached = _cache.get(key)
    if cached is not None:
        return cached
    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    labelled = label_svg(svg, f"viz-{digest[:12]}", title, description)
    _cache.put(key, labelled)
    return labelled


def label_svg(svg: str, element_id: str, title: str, description: str) -> str:
    """Add `role="img"`, `aria-labelledby` and `<title>`/`<desc>` children to the root `<svg>`."""
    start = svg.index("<svg")
    end = svg.index(">", start)
    opening = svg[start:end]
    if opening.endswith("/"):  # an empty <svg/> has nothing to label; cannot happen with Vega
        raise ValueError("empty SVG")
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    attributes = f' role="img" aria-labelledby="{title_id} {desc_id}"'
    children = (
        f'<title id="{title_id}">{html.escape(title)}</title>'
        f'<desc id="{desc_id}">{html.escape(description)}</desc>'
    )
    return f"{svg[:end]}{attributes}>{children}{svg[end + 1 :]}"


def warm_up() -> None:
    """Start the JavaScript engine now rather than on the first page that draws a chart."""
    vl_convert.vegalite_to_svg(_WARM_UP_SPEC, allowed_base_urls=[])


def cache_info() -> CacheInfo:
    return CacheInfo(_cache.hits, _cache.misses, len(_cache))


def clear_cache() -> None:
    _cache.clear()
