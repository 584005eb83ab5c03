"""CKAN Action API (`/api/3/action/{name}`, `/api/action/{name}`) and DataStore dump, so CKAN
tooling (`ckanapi`, harvesters, ckanr) reads Steward's catalog and rows unchanged.

GET query parameters and POST bodies (JSON or form) give the same parameters. Answers use CKAN's
envelope `{"help", "success", "result"}`; errors use CKAN's body and codes (`ckan_errors.py`).
Shapes are in `ckan_shapes.py`, catalog actions in `ckan_search.py`, rows in `ckan_datastore.py`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from steward import __version__
from steward.errors import Invalid
from steward.query.service import prepare_export, stream_query
from steward.web.api import ckan_datastore, ckan_search
from steward.web.api import ckan_params as p
from steward.web.api.ckan_errors import help_url
from steward.web.api.deps import SessionDep, SettingsDep
from steward.web.api.soda_encoding import soda_csv
from steward.web.usage import note_usage

router = APIRouter(tags=["ckan"])
MAX_BODY = 1 << 20
CORS = {"Access-Control-Allow-Origin": "*"}
CKAN_VERSION = "2.10.0"  # the Action API version whose shapes these answers follow

Action = Callable[[p.ActionContext, p.Params], Any]


def status_show(ctx: p.ActionContext, _params: p.Params) -> dict[str, Any]:
    return {
        "site_title": "Steward",
        "site_description": "A state's data catalog and open data portal",
        "site_url": ctx.base,
        "ckan_version": CKAN_VERSION,
        "api_version": 3,
        "locale_default": "en",
        "extensions": ["datastore"],
        "steward_version": __version__,
    }


ACTIONS: dict[str, Action] = {
    "status_show": status_show,
    "package_list": ckan_search.package_list,
    "package_search": ckan_search.package_search,
    "package_show": ckan_search.package_show,
    "resource_show": ckan_search.resource_show,
    "organization_list": ckan_search.organization_list,
    "organization_show": ckan_search.organization_show,
    "group_list": ckan_search.group_list,
    "group_show": ckan_search.group_show,
    "tag_list": ckan_search.tag_list,
    "datastore_search": ckan_datastore.datastore_search,
}


async def action_params(request: Request) -> p.Params:
    """Query parameters, overlaid by the POST body (a JSON object or a form)."""
    params: p.Params = {}
    for key, value in request.query_params.multi_items():
        previous = params.get(key)
        params[key] = value if previous is None else [*_as_list(previous), value]
    if request.method == "POST":
        params.update(_body_params(await _read_body(request), request.headers))
    return params


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


async def _read_body(request: Request) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY:
            raise Invalid(f"the request body is larger than {MAX_BODY:,} bytes")
    return bytes(body)


def _body_params(body: bytes, headers: Any) -> p.Params:
    if not body.strip():
        return {}
    if "application/x-www-form-urlencoded" in headers.get("content-type", ""):
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        decoded = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Invalid("the request body is not valid JSON") from None
    if not isinstance(decoded, dict):
        raise Invalid("the request body must be a JSON object")
    return decoded


ParamsDep = Annotated[p.Params, Depends(action_params)]


V3_SUMMARY = "CKAN Action API: package_search, package_show, datastore_search, ... (public)"
PLAIN_SUMMARY = "CKAN Action API without the version segment, as ckanapi calls it (public)"


# One route per path and method, so each has its own OpenAPI operation id.
@router.get("/api/3/action/{name}", summary=V3_SUMMARY)
@router.post("/api/3/action/{name}", summary=V3_SUMMARY)
@router.get("/api/action/{name}", summary=PLAIN_SUMMARY)
@router.post("/api/action/{name}", summary=PLAIN_SUMMARY)
def action(
    request: Request, session: SessionDep, settings: SettingsDep, params: ParamsDep, name: str
) -> JSONResponse:
    base = str(request.base_url).rstrip("/")
    function = ACTIONS.get(name)
    if function is None:
        error = {"__type": "Bad Request", "message": f"Action name not known: {name[:100]}"}
        body = {"help": help_url(base, "help_show"), "success": False, "error": error}
        return JSONResponse(body, status_code=400, headers=CORS)
    ctx = p.ActionContext(session, settings, request.app.state.query_engine, base)
    result = function(ctx, params)
    if name == "datastore_search":  # counted as a CKAN API call of that dataset
        note_usage(request, rows=len(result["records"]), dataset_id=result["resource_id"])
    return JSONResponse(
        {"help": help_url(base, name), "success": True, "result": result}, headers=CORS
    )


@router.get(
    "/datastore/dump/{resource_id}",
    summary="CKAN DataStore dump: a resource's rows as CSV, streamed (public datasets)",
    response_class=StreamingResponse,
)
def datastore_dump(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    resource_id: str,
    format: Annotated[Literal["csv"], Query()] = "csv",
    bom: Annotated[bool, Query()] = False,
) -> StreamingResponse:
    prepared = prepare_export(session, settings, resource_id)
    batches = stream_query(request.app.state.query_engine, prepared)
    dataset_id = prepared.source.dataset.id
    headers = {**CORS, "Content-Disposition": f'attachment; filename="{dataset_id}.csv"'}
    body = soda_csv(batches, prepared.columns, bom=bom)
    return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers=headers)
