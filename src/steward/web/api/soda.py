"""Socrata SODA 2.x compatible routes, so sodapy, RSocrata and existing scripts work unchanged.

`/resource/{id}.json|.csv|.geojson`, `/api/views/{id}.json`, `/api/views/{id}/rows.csv|json`,
`/api/views/{id}/columns.json`, `/api/views.json` and the Discovery API `/api/catalog/v1`.
Errors here use Socrata's body: `{"code", "error": true, "message", "data"}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy.orm import Session

from steward.catalog import service
from steward.errors import Invalid, NotFound
from steward.query.service import (
    PreparedQuery,
    note_read,
    prepare_export,
    prepare_query,
    run_query,
    stream_query,
)
from steward.web.api import soda_encoding as encoding
from steward.web.api.deps import ActorDep, SessionDep, SettingsDep, get_session
from steward.web.api.socrata_shapes import column_json, discovery_json, view_json
from steward.web.usage import note_usage

router = APIRouter(tags=["soda"])

RESOURCE = re.compile(r"^(?P<id>[a-z0-9]{4}-[a-z0-9]{4})(?:\.(?P<ext>json|csv|geojson))?$")
MEDIA = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/vnd.geo+json; charset=utf-8",
}
ACCEPT = [
    ("application/vnd.geo+json", "geojson"),
    ("text/csv", "csv"),
    ("application/json", "json"),
]
CORS = {"Access-Control-Allow-Origin": "*"}
# A read under a data sharing grant is audited in the same transaction: commit before answering.
AuditedSessionDep = Annotated[Session, Depends(get_session, scope="function")]
PURPOSE_HEADER = "x-steward-purpose"


def _split(name: str) -> tuple[str, str | None]:
    match = RESOURCE.match(name)
    if match is None:
        raise NotFound(f"no dataset {name!r}")
    return match["id"], match["ext"]


def _negotiate(ext: str | None, request: Request) -> str:
    if ext:
        return ext
    accept = request.headers.get("accept", "")
    return next((fmt for media, fmt in ACCEPT if media in accept), "json")


def _headers(prepared: PreparedQuery) -> dict[str, str]:
    columns = prepared.columns
    return {
        **CORS,
        "X-SODA2-Fields": json.dumps([column.name for column in columns]),
        "X-SODA2-Types": json.dumps([column.type for column in columns]),
        "X-SODA2-Data-Out-Of-Date": "false",
        "X-SODA2-Truth-Last-Modified": format_datetime(prepared.source.data_updated_at, True),
        "Last-Modified": format_datetime(prepared.source.data_updated_at, True),
        "ETag": f'"{prepared.etag}"',
        "Cache-Control": "public, max-age=0, must-revalidate",
        **({"Cache-Control": "private, no-store"} if prepared.grant else {}),
    }


def _not_modified(request: Request, etag: str) -> bool:
    tags = [
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("if-none-match", "").split(",")
    ]
    return f'"{etag}"' in tags or "*" in tags


@router.get(
    "/resource/{resource}",
    summary="Query a dataset with SoQL (public datasets; others under a sharing grant)",
)
def resource(
    request: Request,
    session: AuditedSessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    resource: str,
) -> Response:
    dataset_id, ext = _split(resource)
    fmt = _negotiate(ext, request)
    params = list(request.query_params.multi_items())
    purpose = request.headers.get(PURPOSE_HEADER)
    prepared = prepare_query(session, settings, dataset_id, params, actor, purpose)
    headers = _headers(prepared)
    if _not_modified(request, prepared.etag) and prepared.grant is None:
        return Response(status_code=304, headers=headers)
    if fmt == "geojson" and not any(c.type == "point" for c in prepared.columns):
        raise Invalid(f"dataset {dataset_id} has no point column selected; GeoJSON needs one")
    table = run_query(request.app.state.query_engine, prepared)
    note_usage(request, rows=table.num_rows)
    note_read(session, prepared, table.num_rows)
    batches = table.to_batches()
    bom = request.query_params.get("$$bom", "").lower() == "true"
    body = _encode(fmt, batches, prepared, bom=bom)
    return Response(content=b"".join(body), media_type=MEDIA[fmt], headers=headers)


def _encode(fmt: str, batches: Any, prepared: PreparedQuery, *, bom: bool) -> Iterator[bytes]:
    if fmt == "csv":
        return encoding.soda_csv(batches, prepared.columns, bom=bom)
    if fmt == "geojson":
        return encoding.soda_geojson(batches, prepared.columns)
    return encoding.soda_json(batches, prepared.columns)


def _view_parts(session: SessionDep, view: str) -> tuple[Any, Any]:
    dataset_id, _ext = _split(view)
    dataset = service.get_dataset(session, dataset_id)
    return dataset, _visible(dataset.fields)


@router.get("/api/views/{view}", summary="Socrata view metadata with columns[] (public)")
def view_metadata(request: Request, session: SessionDep, view: str) -> JSONResponse:
    dataset, visible = _view_parts(session, view)
    return JSONResponse(view_json(dataset, visible, _base(request)), headers=CORS)


@router.get("/api/views/{view}/columns.json", summary="A dataset's columns, Socrata-shaped")
def view_columns(session: SessionDep, view: str) -> JSONResponse:
    _dataset, visible = _view_parts(session, view)
    return JSONResponse([column_json(field) for field in visible], headers=CORS)


@router.get("/api/views/{view}/rows.{ext}", summary="Full export, streamed (public datasets)")
def view_rows(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    view: str,
    ext: str,
    accessType: Annotated[str | None, Query(alias="accessType")] = None,
) -> StreamingResponse:
    if ext not in {"csv", "json"}:
        raise NotFound(f"no export format {ext!r}; use rows.csv or rows.json")
    dataset_id, _ = _split(view)
    prepared = prepare_export(session, settings, dataset_id)
    batches = stream_query(request.app.state.query_engine, prepared)
    headers = _headers(prepared)
    if accessType == "DOWNLOAD":
        headers["Content-Disposition"] = f'attachment; filename="{dataset_id}.{ext}"'
    if ext == "csv":
        body = encoding.soda_csv(batches, prepared.columns)
        return StreamingResponse(body, media_type=MEDIA["csv"], headers=headers)
    meta = view_json(prepared.source.dataset, prepared.source.fields, _base(request))
    body = encoding.legacy_rows_json(batches, prepared.columns, meta)
    return StreamingResponse(body, media_type=MEDIA["json"], headers=headers)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


DISCOVERY_ORDER = {"name": "title", "updatedat": "updated", "createdat": "created"}


def _discovery_order(order: str | None) -> tuple[str, bool]:
    if not order:
        return "title", False
    words = order.strip().lower().split()
    key = DISCOVERY_ORDER.get(words[0].replace("_", "")) if words else None
    if key is None or len(words) > 2 or (len(words) == 2 and words[1] not in {"asc", "desc"}):
        raise Invalid(f"unsupported order {order!r}; use name, updatedAt or createdAt [ASC|DESC]")
    return key, len(words) == 2 and words[1] == "desc"


@router.get("/api/catalog/v1", summary="Socrata Discovery API over the published catalog")
def discovery(
    request: Request,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=500)] = None,
    ids: Annotated[list[str] | None, Query()] = None,
    categories: Annotated[list[str] | None, Query()] = None,
    tags: Annotated[list[str] | None, Query()] = None,
    domains: Annotated[list[str] | None, Query()] = None,
    only: Annotated[list[str] | None, Query()] = None,
    order: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=0, le=service.MAX_PAGE)] = 100,
) -> JSONResponse:
    key, descending = _discovery_order(order)
    domain = request.url.netloc
    elsewhere = domains and not any(
        d.split(",")[0] in {domain, request.url.hostname} for d in domains
    )
    not_datasets = only and not any(kind.lower() in {"dataset", "datasets"} for kind in only)
    where = service.DatasetFilter(
        q=q,
        status="published",
        ids=tuple(ids or ()),
        categories=tuple(categories or ()),
        tags=tuple(tags or ()),
    )
    if elsewhere or not_datasets:
        results, total = [], 0
    else:
        page = service.list_datasets(
            session,
            where=where,
            order=key,
            descending=descending,
            offset=offset,
            limit=max(limit, 1),
        )
        results = [] if limit == 0 else page.results
        total = page.count
    base = _base(request)
    body = {
        "results": [discovery_json(d, _visible(d.fields), base) for d in results],
        "resultSetSize": total,
        "timings": {"serviceMillis": 0, "searchMillis": [0, 0]},
    }
    return JSONResponse(body, headers=CORS)


@router.get("/api/views.json", summary="Legacy listing of published datasets (Socrata views)")
def views_listing(
    request: Request,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = 200,
    page: Annotated[int, Query(ge=1)] = 1,
) -> JSONResponse:
    listed = service.list_datasets(
        session, status="published", offset=(page - 1) * limit, limit=limit
    )
    base = _base(request)
    return JSONResponse(
        [view_json(d, _visible(d.fields), base) for d in listed.results], headers=CORS
    )


def _visible(fields: list[Any]) -> list[Any]:
    return [field for field in fields if field.classification not in {"personal", "private"}]
