"""Role matrix rows of the privacy engine (#9): policies, releases, extracts and their pages.

`setup` acts as the system for dph: a small person-level dataset (Personal, non-public), draft
releases to approve (by the API and by the page), approved ones to publish (both ways) and an
extract to download. A release the first let-in role approves or publishes leaves the next
ones a 409, which still counts as let in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from steward.accounts.policy import SYSTEM
from steward.catalog import service as catalog
from steward.catalog import versions
from steward.catalog.schemas import DatasetCreate
from steward.config import Settings
from steward.db import Database
from steward.privacy import releases
from steward.privacy.schemas import ExtractCreate, ReleaseCreate

API = "/api/v1/privacy"
PAGE = "/console/privacy"
DATASET = "mtrx-priv"
TOWNS = ["Hartford", "Bolton", "Andover", "New Haven", "Groton", "Bethel"]
TABLE = {
    "dataset_id": DATASET,
    "title": "Matrix table",
    "policy": "ct_sde",
    "tables": [{"name": "t", "dims": ["town=ct_town_county", "year"]}],
}
EXTRACT = {
    "dataset_id": DATASET,
    "title": "Matrix extract",
    "k": 2,
    "quasi": {"town": "town:town", "age": "age_band:age"},
    "identifier": "case_id",
}
FORM = {
    "dataset_id": DATASET,
    "title": "Matrix page table",
    "policy": "ct_sde",
    "table1_name": "t",
    "table1": "town=ct_town_county, year",
}
EXTRACT_FORM = {"dataset_id": DATASET, "title": "Matrix page extract", "k": "2"}
EXTRACT_FORM["quasi"] = "town=town:town\nage=age_band:age"


def _dataset(session: Any, data_dir: Path) -> None:
    catalog.create_dataset(
        session,
        SYSTEM,
        DatasetCreate(
            id=DATASET,
            agency="dph",
            title="Matrix person-level records",
            access_level="non-public",
            classification="personal",
        ),
    )
    lines = ["case_id,town,year,age"]
    for number in range(90):
        town = TOWNS[(number * 7) % len(TOWNS)] if number % 9 else TOWNS[0]
        lines.append(f"c-{number},{town},{2016 + number % 3},{20 + number % 50}")
    source = data_dir / "matrix-privacy.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    versions.ingest_version(session, SYSTEM, data_dir, DATASET, source)


def setup(database: Database, settings: Settings) -> dict[str, Any]:
    data_dir = settings.data_dir
    with database.session() as session:
        _dataset(session, data_dir)

        def release() -> int:
            made = releases.create_table_release(
                session, SYSTEM, data_dir, ReleaseCreate.model_validate(TABLE)
            )
            return made.id

        values = {name: release() for name in ("draft", "approve_page", "publish", "publish_page")}
        for name in ("publish", "publish_page"):
            releases.approve_release(session, SYSTEM, values[name])
        extract = releases.create_extract(
            session, SYSTEM, data_dir, ExtractCreate.model_validate(EXTRACT)
        )
        values["extract"] = extract.id
    return values


ROWS: list[dict[str, Any]] = [
    {"method": "GET", "path": API + "/policies", "need": "public", "url": API + "/policies"},
    {
        "method": "POST",
        "path": API + "/policies",
        "need": "ado",
        "url": API + "/policies",
        "json": {"name": "matrix_policy", "agency": "dph", "rules": {"max_suppressed": 5}},
    },
    {
        "method": "GET",
        "path": API + "/policies/{name}",
        "need": "public",
        "url": API + "/policies/cms",
    },
    {"method": "GET", "path": API + "/sources", "need": "signed_in", "url": API + "/sources"},
    {"method": "GET", "path": API + "/releases", "need": "signed_in", "url": API + "/releases"},
    {
        "method": "POST",
        "path": API + "/releases",
        "need": "steward",
        "url": API + "/releases",
        "json": TABLE,
    },
    {
        "method": "GET",
        "path": API + "/releases/{release_id}",
        "need": "analyst",
        "url": API + "/releases/{draft}",
    },
    {
        "method": "POST",
        "path": API + "/releases/{release_id}/approve",
        "need": "ado",
        "url": API + "/releases/{draft}/approve",
    },
    {
        "method": "POST",
        "path": API + "/releases/{release_id}/publish",
        "need": "steward",
        "url": API + "/releases/{publish}/publish",
    },
    {
        "method": "POST",
        "path": API + "/extracts",
        "need": "steward",
        "url": API + "/extracts",
        "json": EXTRACT,
    },
    {
        "method": "GET",
        "path": API + "/extracts/{release_id}.csv",
        "need": "steward",
        "url": API + "/extracts/{extract}.csv",
    },
    # pages
    {"method": "GET", "path": "/privacy/policies", "need": "public", "url": "/privacy/policies"},
    {
        "method": "GET",
        "path": "/privacy/policies/{name}",
        "need": "public",
        "url": "/privacy/policies/ct_sde",
    },
    {"method": "GET", "path": PAGE, "need": "signed_in", "url": PAGE},
    {"method": "GET", "path": PAGE + "/new", "need": "signed_in", "url": PAGE + "/new"},
    {"method": "POST", "path": PAGE, "need": "steward", "url": PAGE, "data": FORM},
    {
        "method": "POST",
        "path": PAGE + "/extracts",
        "need": "steward",
        "url": PAGE + "/extracts",
        "data": EXTRACT_FORM,
    },
    {
        "method": "GET",
        "path": PAGE + "/{release_id}",
        "need": "analyst",
        "url": PAGE + "/{draft}",
    },
    {
        "method": "POST",
        "path": PAGE + "/{release_id}/approve",
        "need": "ado",
        "url": PAGE + "/{approve_page}/approve",
    },
    {
        "method": "POST",
        "path": PAGE + "/{release_id}/publish",
        "need": "steward",
        "url": PAGE + "/{publish_page}/publish",
    },
]
