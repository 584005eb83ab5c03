"""Chart, town map and structured data for the dataset page.

Charts and maps are drawn on request (`?chart=` / `?map=`), over the visitor's filtered view,
through the same query service as everything else; the town field is detected once per data
version and remembered.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Literal, cast

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from steward import viz
from steward.catalog import service
from steward.catalog.schemas import DatasetPublic
from steward.config import Settings
from steward.errors import Invalid
from steward.metadata.jsonld import dataset_jsonld
from steward.portal.view import TableView, ViewField, parse_view
from steward.query.service import prepare_query, run_query
from steward.web.api.deps import SessionDep, SettingsDep
from steward.web.pages.render import url

router = APIRouter(include_in_schema=False)
Level = Literal["town", "county", "region"]
LEVELS = [("town", "Town"), ("county", "County"), ("region", "Planning region")]
TOWN_HINTS = ("town", "city", "municipal", "fips", "geoid")
_town_fields: OrderedDict[tuple[str, int], tuple[str, Any] | None] = OrderedDict()
_town_lock = threading.Lock()


def jsonld(dataset: DatasetPublic, base: str) -> dict[str, Any]:
    return dataset_jsonld(dataset, base)


def measure_options(columns: list[dict[str, str]]) -> list[tuple[str, str]]:
    options = [("count", "Number of rows")]
    for column in columns:
        if column["type"] == "number":
            options += [
                (f"sum:{column['name']}", f"Total of {column['label']}"),
                (f"avg:{column['name']}", f"Average of {column['label']}"),
            ]
    return options


def _measure(value: str, columns: list[dict[str, str]]) -> tuple[str, str | None, str]:
    labels = dict(measure_options(columns))
    if value not in labels:
        raise Invalid(f"unknown measure {value[:60]!r}")
    kind, _, field = value.partition(":")
    return kind, field or None, labels[value]


def _with_view(params: dict[str, str], view: TableView) -> list[tuple[str, str]]:
    where = view.where()
    if where:
        own = params.get("$where")
        params = {**params, "$where": f"({own}) AND ({where})" if own else where}
    return list(params.items())


def _rows(
    request: Request,
    session: Session,
    settings: Settings,
    dataset_id: str,
    params: list[tuple[str, str]],
) -> list[dict[str, Any]]:
    table = run_query(
        request.app.state.query_engine, prepare_query(session, settings, dataset_id, params)
    )
    return [
        dict(zip(table.column_names, row, strict=True))
        for row in zip(
            *(table.column(i).to_pylist() for i in range(table.num_columns)), strict=True
        )
    ]


def chart_request(
    dataset: DatasetPublic, columns: list[dict[str, str]], dimension: str, measure: str
) -> Any:
    by_name = {c["name"]: c for c in columns if c["type"] != "point"}
    if dimension not in by_name:
        raise Invalid(f"cannot chart by {dimension[:60]!r}")
    kind, field, measure_label = _measure(measure, columns)
    column = by_name[dimension]
    return viz.ChartRequest(
        dimension=dimension,
        dimension_type=column["type"],
        measure=kind,
        measure_field=field,
        title=f"{measure_label} by {column['label']}",
        dimension_label=column["label"],
        measure_label=measure_label,
    )


def chart_context(
    request: Request,
    session: Session,
    settings: Settings,
    dataset: DatasetPublic,
    columns: list[dict[str, str]],
    view: TableView,
) -> dict[str, Any]:
    dimension = request.query_params.get("chart", "")
    measure = request.query_params.get("measure", "count")
    form = {"dimension": dimension, "measure": measure, "dimension_label": "", "measure_label": ""}
    if not dimension:
        return {"chart_form": form}
    chart_req = chart_request(dataset, columns, dimension, measure)
    rows = _rows(
        request, session, settings, dataset.id, _with_view(viz.chart_soql(chart_req), view)
    )
    chart = viz.bar_or_line_chart(rows, chart_req)
    form.update(dimension_label=chart_req.dimension_label, measure_label=chart_req.measure_label)
    spec_params = [*view.state(), ("chart", dimension), ("measure", measure)]
    shown = {
        "svg": chart.svg,
        "table": [(label, _fmt(value)) for label, value in chart.table],
        "note": chart.note,
    }
    return {
        "chart_form": form,
        "chart": shown,
        "chart_title": chart.title,
        "chart_spec_url": url(f"/d/{dataset.id}/chart.vl.json", spec_params),
    }


def town_field(
    request: Request,
    session: Session,
    settings: Settings,
    dataset: DatasetPublic,
    columns: list[dict[str, str]],
) -> tuple[str, Any] | None:
    """The field holding Connecticut towns and how it matches, remembered per data version."""
    key = (dataset.id, dataset.current_version or 0)
    with _town_lock:
        if key in _town_fields:
            return _town_fields[key]
    found = None
    standards = {f.name: (f.standard or "") for f in dataset.fields}
    for column in columns:
        hint = f"{column['name']} {column['label']} {standards.get(column['name'], '')}"
        if column["type"] not in {"text", "number"} or not any(
            h in hint.lower() for h in TOWN_HINTS
        ):
            continue
        values = _rows(
            request,
            session,
            settings,
            dataset.id,
            [("$select", column["name"]), ("$group", column["name"]), ("$limit", "5000")],
        )
        match = viz.detect_town_field([row[column["name"]] for row in values], hint)
        if match is not None:
            found = (column["name"], match)
            break
    with _town_lock:
        _town_fields[key] = found
        while len(_town_fields) > 256:
            _town_fields.popitem(last=False)
    return found


def map_context(
    request: Request,
    session: Session,
    settings: Settings,
    dataset: DatasetPublic,
    columns: list[dict[str, str]],
    view: TableView,
) -> dict[str, Any]:
    found = town_field(request, session, settings, dataset, columns)
    measure = request.query_params.get("map", "")
    level = request.query_params.get("level", "town")
    form = {"measure": measure, "level": level, "measure_label": "", "level_label": ""}
    context: dict[str, Any] = {
        "town_field": found[0] if found else None,
        "map_form": form,
        "levels": LEVELS,
    }
    if found is None or not measure:
        return context
    if level not in dict(LEVELS):
        raise Invalid("level must be town, county or region")
    kind, field, measure_label = _measure(measure, columns)
    rows = _rows(
        request,
        session,
        settings,
        dataset.id,
        _with_view(viz.map_soql(found[0], kind, field), view),
    )
    combine: Literal["sum", "mean"] = "mean" if kind == "avg" else "sum"
    values, unmatched = viz.resolve_town_values(rows, found[1], combine=combine)
    result = viz.choropleth(
        values,
        cast(Level, level),
        title=f"{measure_label} by {dict(LEVELS)[level].lower()}",
        measure_label=measure_label,
        aggregate=combine,
    )
    form.update(measure_label=measure_label, level_label=dict(LEVELS)[level])
    shown = {
        "svg": result.svg,
        "table": [(name, _fmt(value)) for name, value in result.table],
        "unmatched": list(unmatched),
    }
    return {**context, "town_map": shown, "map_title": result.title}


def _fmt(value: float | None) -> str:
    if value is None:
        return "no data"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def figure_context(
    request: Request,
    session: Session,
    settings: Settings,
    dataset: DatasetPublic,
    columns: list[dict[str, str]],
    view: TableView,
) -> dict[str, Any]:
    return {
        "dimension_fields": [
            {"name": c["name"], "label": c["label"]}
            for c in columns
            if c["type"] in {"text", "floating_timestamp", "number"}
        ],
        "measure_options": measure_options(columns),
        **chart_context(request, session, settings, dataset, columns, view),
        **map_context(request, session, settings, dataset, columns, view),
    }


@router.get("/d/{dataset_id}/chart.vl.json")
def chart_spec(
    request: Request, session: SessionDep, settings: SettingsDep, dataset_id: str
) -> JSONResponse:
    dataset = service.get_dataset(session, dataset_id)
    probe = prepare_query(session, settings, dataset_id, [("$limit", "0")])
    labels = {field.name: field.label for field in dataset.fields}
    columns = [
        {"name": c.name, "type": c.type, "label": labels.get(c.name, c.name)} for c in probe.columns
    ]
    view = parse_view(
        list(request.query_params.multi_items()), [ViewField(c["name"], c["type"]) for c in columns]
    )
    chart_req = chart_request(
        dataset,
        columns,
        request.query_params.get("chart", ""),
        request.query_params.get("measure", "count"),
    )
    rows = _rows(
        request, session, settings, dataset_id, _with_view(viz.chart_soql(chart_req), view)
    )
    return JSONResponse(viz.bar_or_line_chart(rows, chart_req).spec)
