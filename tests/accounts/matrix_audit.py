"""Role matrix rows of the audit log and the consent registry (#10 parts 4 and 5).

`setup` registers the dph consent program `dph-matrix` and records one decision for the person
the rows look up and revoke, so every let-in role gets an answer below 400.
"""

from __future__ import annotations

from typing import Any

from steward.accounts.policy import SYSTEM
from steward.config import Settings
from steward.consent import keys, service
from steward.consent.schemas import ConsentCreate, ProgramCreate
from steward.db import Database

PROGRAM = "dph-matrix"
PERSON = {"last_name": "Matrix", "first_name": "Pat", "dob": "1980-02-03"}
CSV = b"last_name,first_name,dob,purpose,decision\nMatrix,Lee,1970-01-01,evaluation,opt_out\n"


def setup(database: Database, settings: Settings) -> dict[str, Any]:
    key = keys.configure(settings)
    with database.session() as session:
        service.create_program(
            session, SYSTEM, ProgramCreate(key=PROGRAM, name="Matrix program", agency="dph")
        )
        data = {"program": PROGRAM, "person": PERSON, "purpose": "any", "decision": "opt_in"}
        service.record_consent(session, SYSTEM, ConsentCreate.model_validate(data), key)
    return {}


RECORD = {"program": PROGRAM, "person": PERSON, "purpose": "evaluation", "decision": "opt_out"}
ROWS: list[dict[str, Any]] = [
    {"method": "GET", "path": "/api/v1/audit", "need": "ado", "url": "/api/v1/audit?agency=dph"},
    {
        "method": "GET",
        "path": "/api/v1/audit/export.csv",
        "need": "ado",
        "url": "/api/v1/audit/export.csv?agency=dph",
    },
    {"method": "GET", "path": "/api/v1/audit/verify", "need": "cdo", "url": "/api/v1/audit/verify"},
    {"method": "POST", "path": "/api/v1/audit/seal", "need": "cdo", "url": "/api/v1/audit/seal"},
    {
        "method": "GET",
        "path": "/api/v1/consent/programs",
        "need": "ado",
        "url": "/api/v1/consent/programs",
    },
    {
        "method": "POST",
        "path": "/api/v1/consent/programs",
        "need": "ado",
        "url": "/api/v1/consent/programs",
        "json": {"key": "dph-matrix-2", "name": "Second", "agency": "dph"},
    },
    {
        "method": "GET",
        "path": "/api/v1/consent/programs/{program}/records",
        "need": "ado",
        "url": f"/api/v1/consent/programs/{PROGRAM}/records",
    },
    {
        "method": "POST",
        "path": "/api/v1/consent/programs/{program}/import",
        "need": "ado",
        "url": f"/api/v1/consent/programs/{PROGRAM}/import",
        "files": {"file": ("consent.csv", CSV, "text/csv")},
    },
    {
        "method": "POST",
        "path": "/api/v1/consent/records",
        "need": "ado",
        "url": "/api/v1/consent/records",
        "json": RECORD,
    },
    {
        "method": "POST",
        "path": "/api/v1/consent/revocations",
        "need": "ado",
        "url": "/api/v1/consent/revocations",
        "json": {"program": PROGRAM, "person": PERSON, "purpose": "evaluation"},
    },
    {
        "method": "POST",
        "path": "/api/v1/consent/lookup",
        "need": "ado",
        "url": "/api/v1/consent/lookup",
        "json": {"program": PROGRAM, "person": PERSON, "purpose": "evaluation"},
    },
    # pages
    {"method": "GET", "path": "/console/audit", "need": "ado", "url": "/console/audit?agency=dph"},
    {"method": "GET", "path": "/console/consent", "need": "ado", "url": "/console/consent"},
    {
        "method": "POST",
        "path": "/console/consent",
        "need": "ado",
        "url": "/console/consent",
        "data": {"program": PROGRAM, "op": "lookup", **PERSON, "purpose": "any"},
    },
]
