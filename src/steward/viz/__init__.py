"""Charts and Connecticut town maps for the portal, as pure functions (no HTTP, no database).

Pages get `label`/`value` rows from the query service with `chart_soql` or `map_soql`, then
draw them: `bar_or_line_chart` and `choropleth` return the Vega-Lite spec (data inline), an
accessible SVG rendered offline with vl-convert, and the table of values for screen readers.
`detect_town_field` says whether a column holds towns (by name, town number or GEOID).

The names below load on first use: Altair takes most of a second to import, and code that only
needs town lookups (`steward.viz.towns`) should not pay for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from steward.viz.charts import Chart, ChartRequest, bar_or_line_chart, chart_soql
    from steward.viz.maps import MapLegend, MapResult, choropleth, map_soql, resolve_town_values
    from steward.viz.render import warm_up
    from steward.viz.towns import Town, TownIndex, TownMatch, detect_town_field, town_index

_HOMES = {
    "steward.viz.charts": ("Chart", "ChartRequest", "bar_or_line_chart", "chart_soql"),
    "steward.viz.maps": ("MapLegend", "MapResult", "choropleth", "map_soql", "resolve_town_values"),
    "steward.viz.render": ("warm_up",),
    "steward.viz.towns": ("Town", "TownIndex", "TownMatch", "detect_town_field", "town_index"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "Chart",
    "ChartRequest",
    "MapLegend",
    "MapResult",
    "Town",
    "TownIndex",
    "TownMatch",
    "bar_or_line_chart",
    "chart_soql",
    "choropleth",
    "detect_town_field",
    "map_soql",
    "resolve_town_values",
    "town_index",
    "warm_up",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'steward.viz' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
