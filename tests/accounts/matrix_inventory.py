"""Role matrix rows of the high-value data inventory (API and console pages).

`setup` opens cycles 2030-2036 for the demo agencies, acting as the system: 2030 is a draft
with three dph entries (ids 1-3: read and edited by rows, 2 removed through the API, 3 through
the page); 2031 and 2034 are drafts to submit; 2032/2033 and 2035/2036 are submitted, to be
returned and accepted through the API and the pages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from steward.accounts.policy import SYSTEM
from steward.config import Settings
from steward.db import Database
from steward.inventory import assets, service
from steward.inventory.schemas import AssetCreate, CycleCreate

API = "/api/v1/inventory"
SUB = API + "/cycles/{year}/agencies/{agency}"
PAGE = "/console/inventory/{year}/{agency}"
ENTRY: dict[str, Any] = {
    "name": "Matrix entry",
    "criteria": {"A": {"applies": True, "justification": "Runs the programme"}},
    "classification": "public",
    "access_level": "public",
    "open_data_status": "published",
}
FORM = {
    "name": "Matrix page entry",
    "criterion_A": "yes",
    "criterion_A_justification": "Runs the programme",
    "classification": "protected",
    "access_level": "restricted public",
    "access_reason": "Small counts",
    "open_data_status": "planned",
    "planned_date": "2031-01-01",
}
SHEET = (
    "Asset name,Classification,Access level,Open data status\n"
    "Imported entry,public,public,published\n"
)


def _file() -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("inventory.csv", SHEET.encode(), "text/csv")}


def _url(template: str, year: int, **rest: object) -> str:
    return template.format(year=year, agency="dph", **rest)


ROWS: list[dict[str, Any]] = [
    # API: cycles
    {"method": "GET", "path": API + "/cycles", "need": "signed_in", "url": API + "/cycles"},
    {
        "method": "POST",
        "path": API + "/cycles",
        "need": "cdo",
        "url": API + "/cycles",
        "json": {"year": 2040, "due_date": "2040-03-31"},
    },
    {
        "method": "GET",
        "path": API + "/cycles/{year}",
        "need": "signed_in",
        "url": API + "/cycles/2030",
    },
    {
        "method": "GET",
        "path": API + "/cycles/{year}/dashboard",
        "need": "cdo",
        "url": API + "/cycles/2030/dashboard",
    },
    {
        "method": "GET",
        "path": API + "/cycles/{year}/export",
        "need": "cdo",
        "url": API + "/cycles/2030/export?format=csv",
    },
    {
        "method": "GET",
        "path": API + "/cycles/{year}/data.json",
        "need": "cdo",
        "url": API + "/cycles/2030/data.json",
    },
    # API: a submission and its entries
    {"method": "GET", "path": SUB, "need": "analyst", "url": _url(SUB, 2030)},
    {
        "method": "GET",
        "path": SUB + "/history",
        "need": "analyst",
        "url": _url(SUB, 2030) + "/history",
    },
    {
        "method": "GET",
        "path": SUB + "/export",
        "need": "analyst",
        "url": _url(SUB, 2030) + "/export?format=xlsx",
    },
    {
        "method": "GET",
        "path": SUB + "/assets",
        "need": "analyst",
        "url": _url(SUB, 2030) + "/assets",
    },
    {
        "method": "GET",
        "path": SUB + "/candidates",
        "need": "analyst",
        "url": _url(SUB, 2030) + "/candidates",
    },
    {
        "method": "GET",
        "path": SUB + "/assets/{asset_id}",
        "need": "analyst",
        "url": _url(SUB, 2030) + "/assets/1",
    },
    {
        "method": "POST",
        "path": SUB + "/assets",
        "need": "steward",
        "url": _url(SUB, 2030) + "/assets",
        "json": ENTRY,
    },
    {
        "method": "PATCH",
        "path": SUB + "/assets/{asset_id}",
        "need": "steward",
        "url": _url(SUB, 2030) + "/assets/1",
        "json": {"owner": "Matrix owner"},
    },
    {
        "method": "DELETE",
        "path": SUB + "/assets/{asset_id}",
        "need": "steward",
        "url": _url(SUB, 2030) + "/assets/2",
    },
    {
        "method": "POST",
        "path": SUB + "/import",
        "need": "steward",
        "url": _url(SUB, 2030) + "/import",
        "files": _file(),
    },
    # API: the review workflow
    {"method": "POST", "path": SUB + "/submit", "need": "ado", "url": _url(SUB, 2031) + "/submit"},
    {
        "method": "POST",
        "path": SUB + "/return",
        "need": "cdo",
        "url": _url(SUB, 2032) + "/return",
        "json": {"comment": "Please add the legal authority"},
    },
    {"method": "POST", "path": SUB + "/accept", "need": "cdo", "url": _url(SUB, 2033) + "/accept"},
    # console pages
    {
        "method": "GET",
        "path": "/console/inventory",
        "need": "signed_in",
        "url": "/console/inventory",
    },
    {
        "method": "POST",
        "path": "/console/inventory/cycles",
        "need": "cdo",
        "url": "/console/inventory/cycles",
        "data": {"year": "2041", "due_date": "2041-03-31"},
    },
    {
        "method": "GET",
        "path": "/console/inventory/{year}",
        "need": "cdo",
        "url": "/console/inventory/2030",
    },
    {"method": "GET", "path": PAGE, "need": "analyst", "url": _url(PAGE, 2030)},
    {
        "method": "GET",
        "path": PAGE + "/assets/new",
        "need": "steward",
        "url": _url(PAGE, 2030) + "/assets/new",
    },
    {
        "method": "POST",
        "path": PAGE + "/assets",
        "need": "steward",
        "url": _url(PAGE, 2030) + "/assets",
        "data": FORM,
    },
    {
        "method": "GET",
        "path": PAGE + "/assets/{asset_id}",
        "need": "analyst",
        "url": _url(PAGE, 2030) + "/assets/1",
    },
    {
        "method": "POST",
        "path": PAGE + "/assets/{asset_id}",
        "need": "steward",
        "url": _url(PAGE, 2030) + "/assets/1",
        "data": FORM,
    },
    {
        "method": "POST",
        "path": PAGE + "/assets/{asset_id}/delete",
        "need": "steward",
        "url": _url(PAGE, 2030) + "/assets/3/delete",
        "data": {},
    },
    {
        "method": "POST",
        "path": PAGE + "/import",
        "need": "steward",
        "url": _url(PAGE, 2030) + "/import",
        "data": {},
        "files": _file(),
    },
    {
        "method": "POST",
        "path": PAGE + "/submit",
        "need": "ado",
        "url": _url(PAGE, 2034) + "/submit",
        "data": {"comment": ""},
    },
    {
        "method": "POST",
        "path": PAGE + "/return",
        "need": "cdo",
        "url": _url(PAGE, 2035) + "/return",
        "data": {"comment": "Please add the custodian"},
    },
    {
        "method": "POST",
        "path": PAGE + "/accept",
        "need": "cdo",
        "url": _url(PAGE, 2036) + "/accept",
        "data": {"comment": ""},
    },
]


def setup(database: Database, settings: Settings) -> None:
    """Cycles 2030-2036 (see the module docstring); entry ids 1-3 are 2030's dph entries."""
    with database.session() as session:
        service.open_cycle(session, SYSTEM, CycleCreate(year=2030, due_date=date(2030, 3, 31)))
        for number in (1, 2, 3):
            data = AssetCreate.model_validate({**ENTRY, "name": f"Matrix entry {number}"})
            created = assets.add_asset(session, SYSTEM, 2030, "dph", data)
            assert created.id == number, "the rows name entries 1-3: start from an empty inventory"
        for year in range(2031, 2037):
            service.open_cycle(session, SYSTEM, CycleCreate(year=year, due_date=date(year, 3, 31)))
            if year in (2032, 2033, 2035, 2036):
                service.submit(session, SYSTEM, year, "dph")
