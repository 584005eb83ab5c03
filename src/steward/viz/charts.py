"""Server-side bar and line charts for the dataset page's chart builder.

The page runs `chart_soql(request)` through the query service and passes the result rows to
`bar_or_line_chart(rows, request)`. Rows have exactly two keys, whatever the dataset:

- `label`: the group. Text (None for the blank group) for a text dimension; a `datetime`/`date`
  or ISO 8601 text (`"2020-03-01T00:00:00.000"`) for a time dimension, already truncated to the
  request's time unit; a number (or numeric text) for a number dimension.
- `value`: the measure as a number or numeric text (SODA JSON sends numbers as text); rows whose
  value is None are left out.

Text dimensions draw a horizontal bar chart sorted by value, largest first, cut to the request's
`top_n` (the rest are counted, and totalled for count and sum, in `Chart.note`); time and number
dimensions draw a line in label order.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import altair as alt

from steward.errors import Invalid
from steward.viz.render import CONFIG, render_svg
from steward.viz.scales import format_number, to_number
from steward.viz.soql import MAX_GROUPS, field_ref, measure_expression
from steward.viz.towns import as_label

DIMENSION_TYPES = ("text", "floating_timestamp", "number")
TIME_UNITS = {"year": "date_trunc_y", "month": "date_trunc_ym", "day": "date_trunc_ymd"}
TOP_N = 25
BLANK_LABEL = "(blank)"
# time unit: (axis format, table label format)
_TIME_FORMATS = {
    "year": ("%Y", "%Y"),
    "month": ("%b %Y", "%B %Y"),
    "day": ("%b %d, %Y", "%Y-%m-%d"),
}
_DATA_NAME = "rows"
MAX_LABEL = 40
LABEL_EXPR = (
    f"length(datum.label) > {MAX_LABEL} "
    f"? substring(datum.label, 0, {MAX_LABEL - 1}) + '\u2026' : datum.label"
)
BAR_COLOUR = "#005ea2"  # 7:1 against white, so bars pass the 3:1 non-text contrast rule


@dataclass(frozen=True)
class ChartRequest:
    """What to draw: `measure` ("count", "sum" or "avg") of `measure_field` by `dimension`.

    Field names are API field names; the labels, when given, are used verbatim as axis titles
    (`measure_label` should say the aggregate, e.g. "Total cases (sum)").
    """

    dimension: str
    dimension_type: str
    measure: str = "count"
    measure_field: str | None = None
    title: str = ""
    dimension_label: str | None = None
    measure_label: str | None = None
    time_unit: str = "month"
    top_n: int = TOP_N

    def __post_init__(self) -> None:
        if self.dimension_type not in DIMENSION_TYPES:
            raise Invalid(f"Cannot chart by a {self.dimension_type} field")
        if self.time_unit not in TIME_UNITS:
            raise Invalid(f"Unknown time unit {self.time_unit!r}")
        if self.top_n < 1:
            raise Invalid("top_n must be at least 1")
        field_ref(self.dimension)
        measure_expression(self.measure, self.measure_field)

    @property
    def x_title(self) -> str:
        return self.dimension_label or self.dimension

    @property
    def y_title(self) -> str:
        if self.measure_label:
            return self.measure_label
        if self.measure == "count":
            return "Number of rows"
        kind = "Sum" if self.measure == "sum" else "Average"
        return f"{kind} of {self.measure_field}"

    @property
    def chart_title(self) -> str:
        return self.title or f"{self.y_title} by {self.x_title}"


@dataclass(frozen=True)
class Chart:
    """A drawn chart: the Vega-Lite `spec` (data inline), its `svg`, and the same numbers as
    `table` rows `(label, value)` in drawing order for the table beside the chart."""

    kind: str  # "bar" or "line"
    title: str
    description: str
    spec: dict[str, Any]
    svg: str
    table: list[tuple[str, float]]
    note: str = ""


def chart_soql(request: ChartRequest) -> dict[str, str]:
    """The SoQL parameters whose result rows `bar_or_line_chart` takes (`label`, `value`).

    Text dimensions fetch every group (up to the service's row cap), largest first, so the chart
    can say what its top N leave out.

    >>> chart_soql(ChartRequest("town", "text", "sum", "total_cases"))["$select"]
    'town AS label, sum(total_cases) AS value'
    """
    dimension = field_ref(request.dimension)
    measure = measure_expression(request.measure, request.measure_field)
    text = request.dimension_type == "text"
    group = dimension
    if request.dimension_type == "floating_timestamp":
        group = f"{TIME_UNITS[request.time_unit]}({dimension})"
    # Text keeps its blank group; a line has no place for one. Null measures would sort first.
    conditions = [] if text else [f"{dimension} IS NOT NULL"]
    if request.measure != "count" and request.measure_field:
        conditions.append(f"{field_ref(request.measure_field)} IS NOT NULL")
    params = {
        "$select": f"{group} AS label, {measure} AS value",
        "$group": group,
        "$order": "value DESC, label" if text else "label",
        "$limit": str(MAX_GROUPS),
    }
    if conditions:
        params["$where"] = " AND ".join(conditions)
    return params


def bar_or_line_chart(rows: Sequence[Mapping[str, object]], request: ChartRequest) -> Chart:
    """Draw `rows` (see the module docstring for their shape) as `request` asks."""
    if request.dimension_type == "text":
        return _bar_chart(rows, request)
    return _line_chart(rows, request)


def _bar_chart(rows: Sequence[Mapping[str, object]], request: ChartRequest) -> Chart:
    points = sorted(_text_points(rows), key=lambda point: (-point[1], point[0]))
    shown, rest = points[: request.top_n], points[request.top_n :]
    data = [{"label": label, "value": value} for label, value in shown]
    chart = (
        alt.Chart(alt.NamedData(name=_DATA_NAME))
        .mark_bar(color=BAR_COLOUR)
        .encode(
            y=alt.Y(
                "label:N", sort=None, title=request.x_title, axis=alt.Axis(labelExpr=LABEL_EXPR)
            ),
            x=alt.X("value:Q", title=request.y_title, axis=_value_axis(request)),
        )
        .properties(width=520, height=alt.Step(20))
    )
    description = _bar_description(shown, len(points), request)
    return _finish(chart, data, "bar", request, description, _rest_note(rest, request))


def _line_chart(rows: Sequence[Mapping[str, object]], request: ChartRequest) -> Chart:
    if request.dimension_type == "floating_timestamp":
        x, data, shown = _time_series(rows, request)
    else:
        x, data, shown = _number_series(rows, request)
    chart = (
        alt.Chart(alt.NamedData(name=_DATA_NAME))
        .mark_line(point=True, color=BAR_COLOUR)
        .encode(x=x, y=alt.Y("value:Q", title=request.y_title, axis=_value_axis(request)))
        .properties(width=560, height=300)
    )
    description = _line_description(shown, request)
    return _finish(chart, data, "line", request, description, "", table=shown)


def _value_axis(request: ChartRequest) -> alt.Axis:
    # Counts are whole numbers: no 0.5 ticks.
    return alt.Axis(tickMinStep=1, format=",d") if request.measure == "count" else alt.Axis()


_Series = tuple[alt.X, list[dict[str, Any]], list[tuple[str, float]]]


def _time_series(rows: Sequence[Mapping[str, object]], request: ChartRequest) -> _Series:
    """The x encoding, Vega data and table rows of a time dimension, in time order."""
    points = sorted(_time_points(rows))
    axis_format, label_format = _TIME_FORMATS[request.time_unit]
    x = alt.X("label:T", title=request.x_title, axis=alt.Axis(format=axis_format))
    data = [{"label": _vega_time(key), "value": value} for key, value in points]
    shown = [(key.strftime(label_format), value) for key, value in points]
    return x, data, shown


def _number_series(rows: Sequence[Mapping[str, object]], request: ChartRequest) -> _Series:
    """The same for a number dimension (years, ages): whole numbers without separators."""
    points = sorted(_number_points(rows))
    whole = all(key.is_integer() for key, _ in points)
    axis = alt.Axis(format="d" if whole else ",")
    x = alt.X("label:Q", title=request.x_title, axis=axis, scale=alt.Scale(zero=False))
    data = [{"label": key, "value": value} for key, value in points]
    shown = [(as_label(key) or "", value) for key, value in points]
    return x, data, shown


def _finish(
    chart: alt.Chart,
    data: list[dict[str, Any]],
    kind: str,
    request: ChartRequest,
    description: str,
    note: str,
    table: list[tuple[str, float]] | None = None,
) -> Chart:
    title = request.chart_title
    spec: dict[str, Any] = chart.properties(title=title, description=description).to_dict()
    spec["data"] = {"values": data}  # inlined after to_dict: Altair would deep-copy it slowly
    spec["config"] = copy.deepcopy(CONFIG)
    svg = render_svg(spec, title=title, description=description)
    rows = table if table is not None else [(row["label"], row["value"]) for row in data]
    return Chart(kind, title, description, spec, svg, rows, note)


def _text_points(rows: Sequence[Mapping[str, object]]) -> list[tuple[str, float]]:
    points = []
    for row in rows:
        value = to_number(row.get("value"))
        if value is not None:
            points.append((as_label(row.get("label")) or BLANK_LABEL, value))
    return points


def _number_points(rows: Sequence[Mapping[str, object]]) -> list[tuple[float, float]]:
    points = []
    for row in rows:
        key, value = to_number(row.get("label")), to_number(row.get("value"))
        if key is not None and value is not None:
            points.append((key, value))
    return points


def _time_points(rows: Sequence[Mapping[str, object]]) -> list[tuple[datetime, float]]:
    points = []
    for row in rows:
        key, value = _timestamp(row.get("label")), to_number(row.get("value"))
        if key is not None and value is not None:
            points.append((key, value))
    return points


def _timestamp(value: object) -> datetime | None:
    """A floating (zone-less) timestamp; a zone, if any, is dropped rather than converted."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value).strip()).replace(tzinfo=None)
    except ValueError:
        raise Invalid(f"Not a timestamp: {value!r}") from None


def _vega_time(moment: datetime) -> str:
    # Without a zone, so Vega parses and formats it in the same (local) time zone.
    return moment.isoformat(timespec="seconds")


def _bar_description(shown: list[tuple[str, float]], total: int, request: ChartRequest) -> str:
    if not shown:
        return f"{request.chart_title}: no data to chart."
    scope = f"the {len(shown)} largest of {total} values" if total > len(shown) else "all values"
    top, bottom = shown[0], shown[-1]
    return (
        f"Bar chart of {request.y_title} by {request.x_title}, showing {scope}. "
        f"Largest: {top[0]} ({format_number(top[1])}); "
        f"smallest shown: {bottom[0]} ({format_number(bottom[1])})."
    )


def _line_description(shown: list[tuple[str, float]], request: ChartRequest) -> str:
    if not shown:
        return f"{request.chart_title}: no data to chart."
    high = max(shown, key=lambda point: point[1])
    low = min(shown, key=lambda point: point[1])
    return (
        f"Line chart of {request.y_title} by {request.x_title}, {len(shown)} points from "
        f"{shown[0][0]} to {shown[-1][0]}. Highest: {high[0]} ({format_number(high[1])}); "
        f"lowest: {low[0]} ({format_number(low[1])})."
    )


def _rest_note(rest: list[tuple[str, float]], request: ChartRequest) -> str:
    if not rest:
        return ""
    others = f"{len(rest)} other value{'s' if len(rest) > 1 else ''}"
    if request.measure == "avg":
        return f"{others} not shown."
    return f"{others} not shown, adding up to {format_number(sum(v for _, v in rest))}."
