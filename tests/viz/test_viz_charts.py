"""Bar and line charts: SoQL, spec, accessible SVG and table, from real demo numbers."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime

import pytest

from steward.errors import Invalid
from steward.query.translate import FieldInfo, compile_query, parse_soda_params
from steward.viz.charts import ChartRequest, bar_or_line_chart, chart_soql
from steward.viz.render import cache_info

Rows = Callable[[str], tuple[dict[str, str], ...]]
FIELDS = [
    FieldInfo(name="town", type="text", column="town"),
    FieldInfo(name="total_cases", type="number", column="total_cases"),
    FieldInfo(name="last_update_date", type="floating_timestamp", column="last_update_date"),
    FieldInfo(name="year", type="number", column="year"),
    FieldInfo(name="in", type="text", column="in"),
]


def compiles(params: dict[str, str]) -> str:
    """The SQL the query service would run for `params` (pure: no store needed)."""
    return str(compile_query(parse_soda_params(list(params.items()), FIELDS), FIELDS).sql)


def text_of(svg: str) -> list[str]:
    return list(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def marks(svg: str, role: str) -> int:
    return svg.count(f'aria-roledescription="{role}"')


@pytest.fixture(scope="module")
def cases_by_town(rows: Rows) -> list[dict[str, object]]:
    """Total cases per town on the last report date of the COVID file (169 rows)."""
    last = max(rows("covid_towns"), key=lambda row: _day(row["Last update date"]))
    return [
        {"label": row["Town"], "value": row["Total cases "]}
        for row in rows("covid_towns")
        if row["Last update date"] == last["Last update date"]
    ]


def _day(text: str) -> date:
    return datetime.strptime(text, "%m/%d/%Y").date()


# ---------------------------------------------------------------- SoQL


def test_text_soql_fetches_every_group_largest_first() -> None:
    params = chart_soql(ChartRequest("town", "text", "sum", "total_cases"))
    assert params == {
        "$select": "town AS label, sum(total_cases) AS value",
        "$where": "total_cases IS NOT NULL",
        "$group": "town",
        "$order": "value DESC, label",
        "$limit": "50000",
    }
    assert 'SUM("dataset"."total_cases") AS "value"' in compiles(params)


def test_count_soql_has_no_where() -> None:
    params = chart_soql(ChartRequest("town", "text"))
    assert params["$select"] == "town AS label, count(*) AS value"
    assert "$where" not in params
    compiles(params)


@pytest.mark.parametrize(
    ("unit", "function"), [("month", "date_trunc_ym"), ("year", "date_trunc_y")]
)
def test_time_soql_truncates_and_orders_by_period(unit: str, function: str) -> None:
    params = chart_soql(
        ChartRequest("last_update_date", "floating_timestamp", "avg", "total_cases", time_unit=unit)
    )
    assert params["$select"] == f"{function}(last_update_date) AS label, avg(total_cases) AS value"
    assert params["$group"] == f"{function}(last_update_date)"
    assert params["$order"] == "label"
    assert params["$where"] == "last_update_date IS NOT NULL AND total_cases IS NOT NULL"
    assert "DATE_TRUNC" in compiles(params)


def test_number_soql_orders_by_label() -> None:
    params = chart_soql(ChartRequest("year", "number"))
    assert (params["$group"], params["$order"]) == ("year", "label")
    compiles(params)


def test_keyword_field_names_are_quoted() -> None:
    params = chart_soql(ChartRequest("in", "text"))
    assert params["$select"] == "`in` AS label, count(*) AS value"
    compiles(params)


@pytest.mark.parametrize(
    "arguments",
    [
        ("town", "checkbox"),
        ("town; drop", "text"),
        ("Town", "text"),
        ("town", "text", "median", "total_cases"),
        ("town", "text", "sum", None),
        ("town", "text", "sum", "total cases"),
        ("day", "floating_timestamp", "count", None, "", None, None, "week"),
    ],
)
def test_bad_requests_are_invalid(arguments: tuple[object, ...]) -> None:
    with pytest.raises(Invalid):
        ChartRequest(*arguments)


# ---------------------------------------------------------------- bar charts


def test_bar_chart_draws_the_top_25_and_notes_the_rest(
    cases_by_town: list[dict[str, object]],
) -> None:
    request = ChartRequest(
        "town", "text", "sum", "total_cases", dimension_label="Town", measure_label="Total cases"
    )
    chart = bar_or_line_chart(cases_by_town, request)
    assert chart.kind == "bar" and chart.title == "Total cases by Town"
    assert marks(chart.svg, "bar") == 25 and len(chart.table) == 25
    values = [value for _, value in chart.table]
    assert values == sorted(values, reverse=True)
    labels = text_of(chart.svg)
    assert all(label in labels for label, _ in chart.table)
    assert "Total cases by Town" in labels and "Total cases" in labels and "Town" in labels
    rest = sum(float(str(row["value"])) for row in cases_by_town) - sum(values)
    assert chart.note.startswith("144 other values not shown, adding up to ")
    assert f"{rest:,.0f}" in chart.note
    assert "the 25 largest of 169 values" in chart.description


def test_svg_has_a_text_alternative_and_no_remote_references() -> None:
    chart = bar_or_line_chart(
        [{"label": "A & B <c>", "value": 3}, {"label": "D", "value": "4.5"}],
        ChartRequest("kind", "text", title='Cases by "kind" & <type>'),
    )
    root = ET.fromstring(chart.svg)  # well formed, escapes included
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.find(f"{ns}title").get("id") == title_id  # type: ignore[union-attr]
    assert root.find(f"{ns}title").text == 'Cases by "kind" & <type>'  # type: ignore[union-attr]
    assert root.find(f"{ns}desc").get("id") == desc_id  # type: ignore[union-attr]
    assert "Largest: D (4.5)" in (root.find(f"{ns}desc").text or "")  # type: ignore[union-attr]
    urls = set(re.findall(r"https?://[^\"' )]+", chart.svg))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "font-face" not in chart.svg and "@import" not in chart.svg


def test_bar_chart_spec_is_self_contained_json() -> None:
    rows = [{"label": None, "value": 2}, {"label": "x", "value": 1}, {"label": "y", "value": None}]
    chart = bar_or_line_chart(rows, ChartRequest("kind", "text"))
    spec = json.loads(json.dumps(chart.spec))
    assert spec["data"] == {
        "values": [{"label": "(blank)", "value": 2.0}, {"label": "x", "value": 1.0}]
    }
    assert "url" not in json.dumps(spec["data"])
    assert spec["description"] == chart.description and spec["title"] == chart.title
    assert chart.table == [("(blank)", 2.0), ("x", 1.0)] and chart.note == ""


def test_no_rows_still_draws_with_a_message() -> None:
    chart = bar_or_line_chart([], ChartRequest("kind", "text"))
    assert chart.table == [] and "no data to chart" in chart.description
    assert "<svg" in chart.svg


def test_non_numeric_values_are_invalid() -> None:
    with pytest.raises(Invalid):
        bar_or_line_chart([{"label": "a", "value": "lots"}], ChartRequest("kind", "text"))


def test_the_same_chart_is_rendered_once() -> None:
    rows = [{"label": "cached", "value": 1}]
    bar_or_line_chart(rows, ChartRequest("kind", "text"))
    hits = cache_info().hits
    again = bar_or_line_chart(rows, ChartRequest("kind", "text"))
    assert cache_info().hits == hits + 1 and marks(again.svg, "bar") == 1


# ---------------------------------------------------------------- line charts


def test_monthly_line_from_the_covid_file(rows: Rows) -> None:
    monthly: dict[datetime, float] = defaultdict(float)
    for row in rows("covid_towns"):
        if row["Total deaths"]:
            month = datetime.strptime(row["Last update date"], "%m/%d/%Y").replace(day=1)
            monthly[month] += float(row["Total deaths"])
    # as the query service's JSON would send them, out of order
    data = [
        {"label": f"{key:%Y-%m-%dT%H:%M:%S}.000", "value": str(v)} for key, v in monthly.items()
    ]
    request = ChartRequest("last_update_date", "floating_timestamp", "sum", "total_deaths")
    chart = bar_or_line_chart(list(reversed(data)), request)
    assert chart.kind == "line" and marks(chart.svg, "line mark") == 1
    assert marks(chart.svg, "point") == len(monthly) == 11
    assert [label for label, _ in chart.table][:2] == ["March 2020", "April 2020"]
    assert chart.table[-1][0] == "January 2021"
    assert "11 points from March 2020 to January 2021" in chart.description
    assert "Mar 2020" in text_of(chart.svg) or "Apr 2020" in text_of(chart.svg)


def test_time_labels_may_be_dates_or_datetimes() -> None:
    rows = [
        {"label": "2022-01-01T00:00:00Z", "value": 3},
        {"label": date(2020, 1, 1), "value": 1},
        {"label": datetime(2021, 1, 1), "value": 2},
    ]
    request = ChartRequest("d", "floating_timestamp", time_unit="year")
    chart = bar_or_line_chart(rows, request)
    assert chart.table == [("2020", 1.0), ("2021", 2.0), ("2022", 3.0)]
    assert chart.spec["data"]["values"][0]["label"] == "2020-01-01T00:00:00"


def test_bad_timestamps_are_invalid() -> None:
    with pytest.raises(Invalid):
        bar_or_line_chart([{"label": "soon", "value": 1}], ChartRequest("d", "floating_timestamp"))


def test_number_dimension_draws_a_line_in_order(rows: Rows) -> None:
    totals: dict[int, float] = defaultdict(float)
    for row in rows("population"):
        if row["Measure Type"] == "Number" and row["Town"] != "Connecticut":
            totals[int(row["Year"])] += float(row["Value"])
    data = [{"label": year, "value": value} for year, value in sorted(totals.items(), reverse=True)]
    chart = bar_or_line_chart(data, ChartRequest("year", "number", "sum", "value"))
    assert chart.table[0][0] == "1996" and chart.table[-1][0] == "2020"
    assert "1,996" not in text_of(chart.svg)  # years are not grouped in thousands
