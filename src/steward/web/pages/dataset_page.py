"""The dataset page `/d/{id}`: metadata, freshness, dictionary, versions, a filterable preview,
chart, town map, downloads and API examples. Everything works with plain links and forms."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from steward.catalog import service, versions
from steward.catalog.schemas import DatasetPublic
from steward.config import Settings
from steward.errors import NotAuthorized
from steward.metadata import completeness
from steward.portal.view import PAGE_SIZE, TableView, ViewField, parse_view
from steward.query.service import PreparedQuery, prepare_query, run_query
from steward.web.api.deps import SessionDep, SettingsDep
from steward.web.pages import figures
from steward.web.pages.quality_pages import dataset_freshness, dataset_quality
from steward.web.pages.render import SITE, render, url
from steward.web.pages.standards_pages import conformance_context
from steward.web.pages.usecase_pages import dataset_usecases

router = APIRouter(include_in_schema=False)
FREQUENCIES = {
    "R/P1D": "daily",
    "R/P1W": "weekly",
    "R/P1M": "monthly",
    "R/P3M": "quarterly",
    "R/P1Y": "yearly",
    "R/PT1H": "hourly",
    "irregular": "irregular",
}


@router.get("/d/{dataset_id}", response_class=HTMLResponse)
def dataset_page(
    request: Request, session: SessionDep, settings: SettingsDep, dataset_id: str
) -> HTMLResponse:
    dataset = service.get_dataset(session, dataset_id)
    base = str(request.base_url).rstrip("/")
    context: dict[str, Any] = {
        "d": dataset,
        "freshness": dataset_freshness(session, dataset),
        "frequency_label": FREQUENCIES.get(
            dataset.update_frequency or "", dataset.update_frequency or "not stated"
        ),
        "citation": citation(dataset, base),
        "dictionary": dataset.fields,
        "versions": versions.list_versions(session, dataset_id),
        "jsonld": figures.jsonld(dataset, base),
        "completeness": completeness.evaluate(dataset),
        "rows_public": False,
        "standards": conformance_context(session, settings, dataset),
    }
    context.update(dataset_quality(session, dataset))
    context.update(dataset_usecases(session, dataset))
    try:
        context.update(_rows_context(request, session, settings, dataset, base))
    except NotAuthorized as exc:
        context["rows_reason"] = (
            f"{exc.message}. The dataset is listed so the public knows it "
            "exists; contact the agency about access."
        )
    return render(request, "dataset.html", context)


def _rows_context(
    request: Request, session: Session, settings: Settings, dataset: DatasetPublic, base: str
) -> dict[str, Any]:
    probe = prepare_query(session, settings, dataset.id, [("$limit", "0")])
    labels = {field.name: field.label for field in dataset.fields}
    fields = [ViewField(c.name, c.type) for c in probe.columns]
    params = list(request.query_params.multi_items())
    view = parse_view(params, fields)
    prepared = prepare_query(session, settings, dataset.id, view.soql())
    table = run_query(request.app.state.query_engine, prepared)
    rows = _display_rows(prepared, table)
    state = view.state()
    page_url = f"/d/{dataset.id}"
    columns = [
        {"name": c.name, "type": c.type, "label": labels.get(c.name, c.name)}
        for c in prepared.columns
    ]
    context = {
        "rows_public": True,
        "view": view,
        "view_state": state,
        "soql_text": " ".join(f"{k}={v}" for k, v in view.soql(paged=False)),
        "columns": columns,
        "filter_fields": [
            c for c in columns if c["type"] in {"text", "number", "floating_timestamp"}
        ],
        "filter_values": dict(state),
        "rows": rows[:PAGE_SIZE],
        "sort_urls": {c["name"]: _sort_url(page_url, view, c["name"]) for c in columns},
        "prev_url": url(page_url, [*state, ("page", str(view.page - 1))]) + "#data"
        if view.page > 1
        else None,
        "next_url": url(page_url, [*state, ("page", str(view.page + 1))]) + "#data"
        if len(rows) > PAGE_SIZE
        else None,
        "downloads": _downloads(dataset.id, view),
        "has_point": any(c["type"] == "point" for c in columns),
        "api": api_examples(dataset.id, base),
    }
    context.update(figures.figure_context(request, session, settings, dataset, columns, view))
    return context


def _sort_url(page_url: str, view: TableView, name: str) -> str:
    state = [(k, v) for k, v in view.state() if k not in {"sort", "desc"}]
    descending = view.sort == name and not view.descending
    return (
        url(page_url, [*state, ("sort", name), *([("desc", "1")] if descending else [])]) + "#data"
    )


def _display_rows(prepared: PreparedQuery, table: Any) -> list[list[str]]:
    values = [table.column(i).to_pylist() for i in range(table.num_columns)]
    types = [c.type for c in prepared.columns]
    return [
        [_display(t, v) for t, v in zip(types, row, strict=True)]
        for row in zip(*values, strict=True)
    ]


def _display(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.isoformat()
        )
    if kind == "point" and isinstance(value, dict):
        return f"{value.get('latitude')}, {value.get('longitude')}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _downloads(dataset_id: str, view: TableView) -> list[tuple[str, str]]:
    state = view.state()
    label = "filtered " if view.filters else ""
    links = [
        (f"CSV ({label}rows)", url(f"/d/{dataset_id}/download.csv", state)),
        (f"JSON ({label}rows)", url(f"/d/{dataset_id}/download.json", state)),
        (f"Parquet ({label}rows)", url(f"/d/{dataset_id}/download.parquet", state)),
        (f"Excel ({label}rows)", url(f"/d/{dataset_id}/download.xlsx", state)),
    ]
    if view.filters:
        links.append(
            ("CSV (whole dataset)", f"/api/views/{dataset_id}/rows.csv?accessType=DOWNLOAD")
        )
    return links


def api_examples(dataset_id: str, base: str) -> dict[str, str]:
    resource = f"{base}/resource/{dataset_id}.json"
    host = base.split("://", 1)[-1]
    scheme = base.split("://", 1)[0]
    return {
        "soda_url": f"{resource}?$limit=5",
        "curl": f"curl '{resource}?$limit=5'",
        "sodapy": (
            "import requests\nfrom sodapy import Socrata\n\n"
            f'client = Socrata("{host}", None'
            + (
                ', session_adapter={"prefix": "http://", "adapter": '
                "requests.adapters.HTTPAdapter()}"
                if scheme == "http"
                else ""
            )
            + f')\nrows = client.get("{dataset_id}", limit=5)'
        ),
        "pandas": (
            "import pandas as pd\n\n"
            f'df = pd.read_csv("{base}/api/views/{dataset_id}/rows.csv?accessType=DOWNLOAD")'
        ),
    }


def citation(dataset: DatasetPublic, base: str) -> str:
    year = (dataset.data_updated_at or dataset.created_at).year
    version = f" (version {dataset.current_version})" if dataset.current_version else ""
    today = datetime.now(UTC).strftime("%B %-d, %Y")
    return (
        f"{dataset.agency_name}. ({year}). {dataset.title}{version} [Data set]. "
        f"{SITE['site_name']}. {base}/d/{quote(dataset.id)}. Accessed {today}."
    )
