"""The dashboard's and the reports' charts: Vega-Lite specs (pure) drawn as accessible SVG for
pages and as PNG for the PDF, both offline with vl-convert (see `steward.viz.render`).

- `usage_spec`: views, downloads and API calls month by month (a line per measure);
- `agency_spec`: one figure compared across agencies (horizontal bars, largest first);
- `trend_spec`: one key figure across reporting periods (a line through each period's value).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import vl_convert

from steward.progress.schemas import Figures, Trend
from steward.viz.render import CONFIG, render_svg

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
MEASURES = (("views", "Views"), ("downloads", "Downloads"), ("api_calls", "API calls"))
COLOURS = ["#005ea2", "#c05600", "#3d7a28"]  # dark enough for 3:1 against white
BAR_COLOUR = "#005ea2"


@dataclass(frozen=True)
class DrawnChart:
    key: str
    title: str
    description: str
    spec: dict[str, Any]

    @property
    def svg(self) -> str:
        return render_svg(self.spec, title=self.title, description=self.description)

    def png(self) -> bytes:
        data: bytes = vl_convert.vegalite_to_png(self.spec, scale=2, allowed_base_urls=[])
        return data


def usage_spec(figures: Figures) -> dict[str, Any]:
    """A line per measure over the months of `figures.usage`.

    >>> from datetime import date, datetime
    >>> from steward.progress.schemas import UsageMonth
    >>> f = Figures(scope="state", name="All", as_of=date(2026, 1, 1),
    ...     measured_at=datetime(2026, 1, 1), inventory_year=None, figures=[],
    ...     usage=[UsageMonth(month="2026-01", views=3, downloads=1, api_calls=0)])
    >>> len(usage_spec(f)["data"]["values"]), usage_spec(f)["mark"]["type"]
    (3, 'line')
    """
    values = [
        {"month": month.month, "measure": label, "count": getattr(month, key)}
        for month in figures.usage
        for key, label in MEASURES
    ]
    return {
        "$schema": SCHEMA,
        "config": CONFIG,
        "data": {"values": values},
        "width": 520,
        "height": 220,
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "month",
                "type": "ordinal",
                "title": "Month",
                "axis": {"labelAngle": -45},
            },
            "y": {"field": "count", "type": "quantitative", "title": "Count"},
            "color": {
                "field": "measure",
                "type": "nominal",
                "title": None,
                "sort": [label for _, label in MEASURES],
                "scale": {"domain": [label for _, label in MEASURES], "range": COLOURS},
            },
        },
    }


def usage_chart(figures: Figures) -> DrawnChart:
    totals = {key: sum(getattr(m, key) for m in figures.usage) for key, _ in MEASURES}
    description = (
        (
            f"Month by month from {figures.usage[0].month} to {figures.usage[-1].month}: "
            if figures.usage
            else "No months measured. "
        )
        + ", ".join(f"{totals[key]:,} {label.lower()}" for key, label in MEASURES)
        + " in all."
    )
    return DrawnChart(
        key="usage",
        title=f"Use of the datasets of {figures.name}, by month",
        description=description,
        spec=usage_spec(figures),
    )


def agency_spec(rows: list[tuple[str, float]], measure: str) -> dict[str, Any]:
    """Horizontal bars, one per agency, largest first.

    >>> agency_spec([("DPH", 50.0), ("OPM", 75.0)], "Share")["encoding"]["y"]["sort"]
    '-x'
    """
    return {
        "$schema": SCHEMA,
        "config": CONFIG,
        "data": {"values": [{"agency": name, "value": value} for name, value in rows]},
        "width": 420,
        "height": {"step": 24},
        "mark": {"type": "bar", "color": BAR_COLOUR},
        "encoding": {
            "y": {"field": "agency", "type": "nominal", "title": None, "sort": "-x"},
            "x": {"field": "value", "type": "quantitative", "title": measure},
        },
    }


def agency_chart(agencies: list[Figures], key: str) -> DrawnChart | None:
    """One figure across the agencies that have a value for it (None when none has)."""
    rows = [
        (item.name, value) for item in agencies if (value := item.figure(key).value) is not None
    ]
    if not rows or not agencies:
        return None
    label = agencies[0].figure(key).label
    shown = "; ".join(f"{name} {value:g}" for name, value in sorted(rows, key=lambda r: -r[1]))
    return DrawnChart(
        key=key,
        title=f"{label}, by agency",
        description=f"{label}: {shown}.",
        spec=agency_spec(rows, label),
    )


DASHBOARD_KEYS = ("metadata_standard", "on_schedule", "quality_score", "api_datasets")


def dashboard_charts(state: Figures, agencies: list[Figures]) -> list[DrawnChart]:
    """The usage trend of the state, and the main figures compared across agencies."""
    drawn = [usage_chart(state)]
    drawn += [c for key in DASHBOARD_KEYS if (c := agency_chart(agencies, key)) is not None]
    return drawn


def trend_spec(trend: Trend) -> dict[str, Any]:
    """A line through the figure's value in each period that had one, periods in order.

    >>> from datetime import date
    >>> from steward.progress.schemas import TrendPoint
    >>> points = [TrendPoint(period_id=i, period=n, starts_on=date(2024 + i, 7, 1), value=v,
    ...     display="") for i, n, v in [(1, "FY 2025", 2.0), (2, "FY 2026", None)]]
    >>> spec = trend_spec(Trend(key="k", goal="g", label="L", points=points))
    >>> spec["data"]["values"], spec["encoding"]["x"]["sort"]
    ([{'period': 'FY 2025', 'value': 2.0}], ['FY 2025', 'FY 2026'])
    """
    values = [{"period": p.period, "value": p.value} for p in trend.points if p.value is not None]
    order = [point.period for point in trend.points]
    return {
        "$schema": SCHEMA,
        "config": CONFIG,
        "data": {"values": values},
        "width": 360,
        "height": 160,
        "mark": {"type": "line", "point": {"size": 60, "color": BAR_COLOUR}, "color": BAR_COLOUR},
        "encoding": {
            "x": {
                "field": "period",
                "type": "ordinal",
                "title": "Reporting period",
                "sort": order,
                "scale": {"domain": order},
                "axis": {"labelAngle": 0},
            },
            "y": {"field": "value", "type": "quantitative", "title": None},
        },
    }


def trend_chart(trend: Trend, name: str) -> DrawnChart | None:
    """The figure across periods, when at least two periods measured it (else the table says
    all there is)."""
    measured = [point for point in trend.points if point.value is not None]
    if len(measured) < 2:
        return None
    shown = "; ".join(f"{point.period}: {point.display}" for point in trend.points)
    return DrawnChart(
        key=f"trend-{trend.key}",
        title=f"{trend.label} by reporting period ({name})",
        description=f"{trend.label}, {name}, by reporting period: {shown}.",
        spec=trend_spec(trend),
    )


def trend_charts(trends: list[Trend], name: str) -> list[DrawnChart]:
    return [chart for trend in trends if (chart := trend_chart(trend, name)) is not None]
