"""Role matrix rows of data requests, usage and use cases (#11 parts 1 and 3).

`setup` files two requests to dph (one worked through the API, one through the console page)
and submits two use cases of the demo's dph dataset 28fr-iqnx (one reviewed through the API,
one through the page), acting as the system; it returns their ids and the first request's
private token for the URLs. Transitions acknowledge: the ADO does it, the CDO then gets 409.
Queues are asked for with `agency=dph`, so a steward or ADO of another agency is kept out.
"""

from __future__ import annotations

from typing import Any

from steward.accounts.policy import SYSTEM
from steward.config import Settings
from steward.db import Database
from steward.requests import service
from steward.requests.schemas import DataRequestCreate
from steward.usage import usecases
from steward.usage.schemas import UseCaseCreate

DATASET = "28fr-iqnx"
REQUEST: dict[str, Any] = {
    "requester_name": "Matrix Requester",
    "requester_email": "requester@example.org",
    "title": "Clinic inspection results by town",
    "description": "Every inspection of a licensed clinic, with its town and result.",
    "purpose": "A study of how inspections vary across towns.",
    "agency": "dph",
}
FORM = {**REQUEST, "requester_kind": "academic", "title": "Immunization rates by school"}
USE_CASE = {
    "title": "Weekly COVID dashboard",
    "url": "https://example.org/dashboard",
    "description": "A town-by-town dashboard built from the weekly counts.",
}


def setup(database: Database, settings: Settings) -> dict[str, Any]:
    values: dict[str, Any] = {}
    with database.session() as session:
        for name in ("api", "page"):
            data = DataRequestCreate.model_validate({**REQUEST, "title": f"Matrix {name} request"})
            filed = service.file_request(session, SYSTEM, data, settings)
            values[f"{name}_request"] = filed.request.id
            values[f"{name}_token"] = filed.token
        for name in ("api", "page"):
            case = UseCaseCreate.model_validate({**USE_CASE, "title": f"Matrix {name} use case"})
            values[f"{name}_case"] = usecases.submit(session, SYSTEM, DATASET, case).id
    return values


API = "/api/v1/requests"
ROWS: list[dict[str, Any]] = [
    # API: data requests
    {"method": "POST", "path": API, "need": "public", "url": API, "json": REQUEST},
    {"method": "GET", "path": API, "need": "public", "url": API + "?agency=dph&status=open"},
    {"method": "GET", "path": API + "/metrics", "need": "public", "url": API + "/metrics"},
    {"method": "GET", "path": API + "/calendar", "need": "public", "url": API + "/calendar"},
    {"method": "GET", "path": API + "/queue", "need": "ado", "url": API + "/queue?agency=dph"},
    {"method": "GET", "path": API + "/outbox", "need": "ado", "url": API + "/outbox"},
    {
        "method": "GET",
        "path": API + "/follow/{token}",
        "need": "public",
        "url": API + "/follow/{api_token}",
    },
    {
        "method": "GET",
        "path": API + "/{request_id}",
        "need": "public",
        "url": API + "/{api_request}",
    },
    {
        "method": "GET",
        "path": API + "/{request_id}/details",
        "need": "ado",
        "url": API + "/{api_request}/details",
    },
    {
        "method": "POST",
        "path": API + "/{request_id}/transitions",
        "need": "ado",
        "url": API + "/{api_request}/transitions",
        "json": {"action": "acknowledge", "note": "We are looking for it."},
    },
    # API: usage and use cases
    {
        "method": "GET",
        "path": "/api/v1/datasets/{dataset_id}/usage",
        "need": "public",
        "url": f"/api/v1/datasets/{DATASET}/usage?start=2026-01-01&end=2026-01-31",
    },
    {
        "method": "GET",
        "path": "/api/v1/datasets/{dataset_id}/use-cases",
        "need": "public",
        "url": f"/api/v1/datasets/{DATASET}/use-cases",
    },
    {
        "method": "POST",
        "path": "/api/v1/datasets/{dataset_id}/use-cases",
        "need": "public",
        "url": f"/api/v1/datasets/{DATASET}/use-cases",
        "json": USE_CASE,
    },
    {
        "method": "GET",
        "path": "/api/v1/use-cases",
        "need": "steward",
        "url": "/api/v1/use-cases?agency=dph",
    },
    {
        "method": "POST",
        "path": "/api/v1/use-cases/{use_case_id}/review",
        "need": "steward",
        "url": "/api/v1/use-cases/{api_case}/review",
        "json": {"decision": "approve"},
    },
    # portal pages
    {"method": "GET", "path": "/requests", "need": "public", "url": "/requests?agency=dph"},
    {
        "method": "GET",
        "path": "/requests/new",
        "need": "public",
        "url": f"/requests/new?dataset={DATASET}",
    },
    {"method": "POST", "path": "/requests", "need": "public", "url": "/requests", "data": FORM},
    {
        "method": "GET",
        "path": "/requests/follow/{token}",
        "need": "public",
        "url": "/requests/follow/{page_token}",
    },
    {
        "method": "GET",
        "path": "/requests/{request_id}",
        "need": "public",
        "url": "/requests/{page_request}",
    },
    {
        "method": "GET",
        "path": "/d/{dataset_id}/use-cases/new",
        "need": "public",
        "url": f"/d/{DATASET}/use-cases/new",
    },
    {
        "method": "POST",
        "path": "/d/{dataset_id}/use-cases",
        "need": "public",
        "url": f"/d/{DATASET}/use-cases",
        "data": USE_CASE,
    },
    # console pages
    {
        "method": "GET",
        "path": "/console/requests",
        "need": "ado",
        "url": "/console/requests?agency=dph",
    },
    {
        "method": "GET",
        "path": "/console/requests/outbox",
        "need": "ado",
        "url": "/console/requests/outbox",
    },
    {
        "method": "GET",
        "path": "/console/requests/{request_id}",
        "need": "ado",
        "url": "/console/requests/{page_request}",
    },
    {
        "method": "POST",
        "path": "/console/requests/{request_id}",
        "need": "ado",
        "url": "/console/requests/{page_request}",
        "data": {"action": "acknowledge", "note": ""},
    },
    {
        "method": "GET",
        "path": "/console/use-cases",
        "need": "steward",
        "url": "/console/use-cases?agency=dph",
    },
    {
        "method": "POST",
        "path": "/console/use-cases/{use_case_id}",
        "need": "steward",
        "url": "/console/use-cases/{page_case}",
        "data": {"decision": "approve", "note": ""},
    },
]
