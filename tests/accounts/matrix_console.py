"""Role matrix rows for the catalog write API and the steward console (#7 parts 3 and 6).

Objects belong to dph: two datasets made by `setup` (non-public, so publishing needs no
classification assessment), one for the pages and one for the API, and people whose roles the
ADO rows take back or whose accounts they deactivate, so no row touches the matrix's own users.
Rows that create something use a fixed name: the first allowed role creates it, later ones get
409, which counts as allowed. Uploads send a multipart `files` entry.
"""

from __future__ import annotations

from typing import Any

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.accounts.schemas import RoleGrant, UserCreate
from steward.catalog import service, versions
from steward.catalog.schemas import DatasetCreate
from steward.config import Settings
from steward.db import Database

PAGE_DATASET = "mtrx-0001"
API_DATASET = "mtrx-0002"
CSV = b"Town,Count\nAndover,1\nHartford,5\n"
REVOKED = "matrix-revoke@dph.ct.gov"
DEACTIVATED = "matrix-active@dph.ct.gov"


def setup(database: Database, settings: Settings) -> None:
    source = settings.data_dir / "matrix-console.csv"
    source.write_bytes(CSV)
    with database.session() as session:
        for dataset_id in (PAGE_DATASET, API_DATASET):
            data = DatasetCreate(
                id=dataset_id,
                agency="dph",
                title=f"Matrix counts {dataset_id}",
                access_level="non-public",
            )
            service.create_dataset(session, SYSTEM, data)
            versions.ingest_version(session, SYSTEM, settings.data_dir, dataset_id, source)
        for email in (REVOKED, DEACTIVATED):
            grant = RoleGrant(role="analyst", agency="dph")
            person = UserCreate(email=email, name="Matrix Person", agency="dph", roles=[grant])
            accounts.create_user(session, SYSTEM, person)


def _upload() -> dict[str, Any]:
    return {"file": ("matrix.csv", CSV + b"Ashford,2\n", "text/csv")}


PAGE = f"/console/d/{PAGE_DATASET}"
API = f"/api/v1/datasets/{API_DATASET}"
METADATA = {"title": "Matrix counts by town", "access_level": "non-public", "keywords": "a, b"}

ROWS: list[dict[str, Any]] = [
    # the console pages
    {"method": "GET", "path": "/console", "need": "signed_in", "url": "/console"},
    {
        "method": "GET",
        "path": "/console/datasets/new",
        "need": "steward",
        "url": "/console/datasets/new?agency=dph",
    },
    {
        "method": "POST",
        "path": "/console/datasets/new",
        "need": "steward",
        "url": "/console/datasets/new",
        "data": {"agency": "dph", "id": "mtrx-0003", "title": "Matrix dataset from the page"},
    },
    {"method": "GET", "path": "/console/d/{dataset_id}", "need": "analyst", "url": PAGE},
    {
        "method": "POST",
        "path": "/console/d/{dataset_id}",
        "need": "steward",
        "url": PAGE,
        "data": METADATA,
    },
    {
        "method": "POST",
        "path": "/console/d/{dataset_id}/fields",
        "need": "steward",
        "url": f"{PAGE}/fields",
        "data": {"label.town": "Town", "description.town": "Connecticut town"},
    },
    {
        "method": "POST",
        "path": "/console/d/{dataset_id}/versions",
        "need": "steward",
        "url": f"{PAGE}/versions",
        "data": {"notes": "Matrix upload"},
        "files": _upload(),
    },
    {
        "method": "POST",
        "path": "/console/d/{dataset_id}/publish",
        "need": "steward",
        "url": f"{PAGE}/publish",
        "data": {},
    },
    {
        "method": "POST",
        "path": "/console/d/{dataset_id}/unpublish",
        "need": "steward",
        "url": f"{PAGE}/unpublish",
        "data": {},
    },
    {
        "method": "GET",
        "path": "/console/agencies/{slug}/people",
        "need": "analyst",
        "url": "/console/agencies/dph/people",
    },
    {
        "method": "POST",
        "path": "/console/agencies/{slug}/people",
        "need": "ado",
        "url": "/console/agencies/dph/people",
        "data": {"email": "matrix-new@dph.ct.gov", "name": "Matrix New", "role": "analyst"},
    },
    {
        "method": "POST",
        "path": "/console/agencies/{slug}/people/revoke",
        "need": "ado",
        "url": "/console/agencies/dph/people/revoke",
        "data": {"email": REVOKED, "role": "analyst"},
    },
    {
        "method": "POST",
        "path": "/console/agencies/{slug}/people/active",
        "need": "ado",
        "url": "/console/agencies/dph/people/active",
        "data": {"email": DEACTIVATED, "active": "0"},
    },
    {
        "method": "POST",
        "path": "/console/agencies/{slug}",
        "need": "ado",
        "url": "/console/agencies/dph",
        "data": {"name": "Department of Public Health", "abbreviation": "DPH"},
    },
    {
        "method": "POST",
        "path": "/console/agencies",
        "need": "cdo",
        "url": "/console/agencies",
        "data": {"slug": "matrix-page", "name": "Matrix Page Agency"},
    },
    # the catalog write API
    {
        "method": "POST",
        "path": "/api/v1/agencies",
        "need": "cdo",
        "url": "/api/v1/agencies",
        "json": {"slug": "matrix-api", "name": "Matrix API Agency"},
    },
    {
        "method": "PATCH",
        "path": "/api/v1/agencies/{slug}",
        "need": "ado",
        "url": "/api/v1/agencies/dph",
        "json": {"abbreviation": "DPH"},
    },
    {
        "method": "POST",
        "path": "/api/v1/datasets",
        "need": "steward",
        "url": "/api/v1/datasets",
        "json": {"agency": "dph", "id": "mtrx-0004", "title": "Matrix dataset from the API"},
    },
    {
        "method": "PATCH",
        "path": "/api/v1/datasets/{dataset_id}",
        "need": "steward",
        "url": API,
        "json": {"license": "Public Domain"},
    },
    {
        "method": "PATCH",
        "path": "/api/v1/datasets/{dataset_id}/fields",
        "need": "steward",
        "url": f"{API}/fields",
        "json": {"town": {"description": "Connecticut town"}},
    },
    {
        "method": "PATCH",
        "path": "/api/v1/datasets/{dataset_id}/fields/{name}",
        "need": "steward",
        "url": f"{API}/fields/count",
        "json": {"description": "How many"},
    },
    {
        "method": "POST",
        "path": "/api/v1/datasets/{dataset_id}/versions",
        "need": "steward",
        "url": f"{API}/versions",
        "data": {"notes": "Matrix upload"},
        "files": _upload(),
    },
    {
        "method": "POST",
        "path": "/api/v1/datasets/{dataset_id}/publish",
        "need": "steward",
        "url": f"{API}/publish",
    },
    {
        "method": "POST",
        "path": "/api/v1/datasets/{dataset_id}/unpublish",
        "need": "steward",
        "url": f"{API}/unpublish",
    },
]
