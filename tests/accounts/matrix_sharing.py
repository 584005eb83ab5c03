"""Role matrix rows of data sharing agreements and grants (#10 parts 1-4, 6).

`setup` acts as the system: a non-public dph dataset, and agreements provided by dph to opm
over it, made active. Agreements A (detail, edits, documents) and the status ones name nobody of
the matrix; agreement B names steward@opm as its authorized user, who opens a use session and
makes an extract (so the signed-in rows have someone who gets through; everyone else gets 404
for a grant or extract that is not theirs). Agreement detail, edits, status moves, documents
and grant administration need the ADO of dph (the provider); the catalog and the checklist are
public.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.catalog import service as catalog
from steward.catalog import versions
from steward.catalog.schemas import DatasetCreate
from steward.config import Settings
from steward.db import Database
from steward.query.engine import QueryEngine
from steward.sharing import agreements, documents, extracts, grants
from steward.sharing.schemas import AgreementCreate, ExtractCreate, StatusChange

DATASET = "mtrx-0010"
BASE = "/api/v1/agreements"
PAGES = "/console/sharing"
GRANTEE = "steward@opm.ct.gov"


def _agreement(session: Any, title: str, users: list[str]) -> int:
    values = {
        "title": title,
        "provider": "dph",
        "recipient_agency": "opm",
        "purposes": ["Matrix purpose"],
        "effective_date": date.today().isoformat(),
        "end_date": (date.today() + timedelta(days=365)).isoformat(),
        "datasets": [
            {"dataset_id": DATASET, "fields": ["town", "cases"], "identifier_fields": ["name"]}
        ],
        "authorized_users": users,
        "program": "matrix-program",
        "consent_purpose": "research",
    }
    made = agreements.create_agreement(session, SYSTEM, AgreementCreate.model_validate(values))
    for status in ("legal_review", "signed", "active"):
        agreements.change_status(session, SYSTEM, made.id, StatusChange(status=status))
    return made.id


def _dataset(database: Database, settings: Settings) -> None:
    with database.session() as session:
        values = {
            "id": DATASET,
            "agency": "dph",
            "title": "Matrix cases",
            "access_level": "non-public",
        }
        catalog.create_dataset(session, SYSTEM, DatasetCreate.model_validate(values))
    source = settings.data_dir.parent / f"{DATASET}.csv"
    source.write_text("name,town,cases\nAna,Hartford,3\nBen,Salem,4\n", encoding="utf-8")
    with database.session() as session:
        versions.ingest_version(session, SYSTEM, settings.data_dir, DATASET, source)


def setup(database: Database, settings: Settings) -> dict[str, Any]:
    _dataset(database, settings)
    values: dict[str, Any] = {}
    with database.session() as session:
        values["agreement"] = _agreement(session, "Matrix agreement A", [])
        values["granted"] = _agreement(session, "Matrix agreement B", [GRANTEE])
        values["moved"] = _agreement(session, "Matrix agreement to terminate", [])
        values["page_moved"] = _agreement(session, "Matrix agreement for the page", [])
        values["suspended"] = _agreement(session, "Matrix agreement C", [GRANTEE])
        values["resumed"] = _agreement(session, "Matrix agreement D", [GRANTEE])
        values["page_suspend"] = _agreement(session, "Matrix agreement E", [GRANTEE])
        values["page_resume"] = _agreement(session, "Matrix agreement F", [GRANTEE])
        doc = documents.attach(
            session, SYSTEM, settings.data_dir, values["agreement"], "signed.txt", b"signed copy"
        )
        values["document"] = doc.id
        by_agreement = {g.agreement_id: g.id for g in grants.agency_grants(session, SYSTEM, "dph")}
        values["grant"] = by_agreement[values["granted"]]
        values["grant2"] = by_agreement[values["suspended"]]
        values["grant3"] = by_agreement[values["resumed"]]
        grants.suspend(session, SYSTEM, values["grant3"], "to be resumed by a row")
        values["grant4"] = by_agreement[values["page_suspend"]]
        values["grant5"] = by_agreement[values["page_resume"]]
        grants.suspend(session, SYSTEM, values["grant5"], "to be resumed by a page row")
        grantee = accounts.actor_by_email(session, GRANTEE)
        engine = QueryEngine(settings.datasets_dir)
        made = extracts.create_extract(
            session,
            grantee,
            engine,
            settings.data_dir,
            values["granted"],
            ExtractCreate(dataset_id=DATASET, purpose="Matrix extract"),
        )
        values["extract"] = made.id
    return values


TXT = {"file": ("note.txt", b"a note", "text/plain")}
CREATE = {
    "title": "Matrix created agreement",
    "provider": "dph",
    "recipient_organization": "University of Connecticut",
}
ROWS: list[dict[str, Any]] = [
    {"method": "GET", "path": BASE + "/catalog", "need": "public", "url": BASE + "/catalog"},
    {
        "method": "POST",
        "path": BASE + "/checklist",
        "need": "public",
        "url": BASE + "/checklist",
        "json": {"legal_authorities": ["ferpa_studies"]},
    },
    {"method": "GET", "path": BASE, "need": "signed_in", "url": BASE},
    {"method": "POST", "path": BASE, "need": "ado", "url": BASE, "json": CREATE},
    {
        "method": "POST",
        "path": BASE + "/import",
        "need": "ado",
        "url": BASE + "/import",
        "files": {
            "file": (
                "a.csv",
                b"title,provider,recipient_organization\nMatrix import,dph,UConn\n",
                "text/csv",
            )
        },
    },
    {
        "method": "GET",
        "path": BASE + "/{agreement_id}",
        "need": "ado",
        "url": BASE + "/{agreement}",
    },
    {
        "method": "PATCH",
        "path": BASE + "/{agreement_id}",
        "need": "ado",
        "url": BASE + "/{agreement}",
        "json": {"retention": "Five years"},
    },
    {
        "method": "POST",
        "path": BASE + "/{agreement_id}/status",
        "need": "ado",
        "url": BASE + "/{moved}/status",
        "json": {"status": "terminated"},
    },
    {
        "method": "GET",
        "path": BASE + "/{agreement_id}/render",
        "need": "ado",
        "url": BASE + "/{agreement}/render?format=html",
    },
    {
        "method": "POST",
        "path": BASE + "/{agreement_id}/documents",
        "need": "ado",
        "url": BASE + "/{agreement}/documents",
        "files": TXT,
    },
    {
        "method": "GET",
        "path": BASE + "/{agreement_id}/documents/{document_id}",
        "need": "ado",
        "url": BASE + "/{agreement}/documents/{document}",
    },
    {
        "method": "POST",
        "path": BASE + "/{agreement_id}/extracts",
        "need": "signed_in",
        "url": BASE + "/{granted}/extracts",
        "json": {"dataset_id": DATASET, "purpose": "Matrix extract"},
    },
    {
        "method": "GET",
        "path": BASE + "/{agreement_id}/extracts",
        "need": "ado",
        "url": BASE + "/{agreement}/extracts",
    },
    {
        "method": "GET",
        "path": BASE + "/{agreement_id}/extracts/{extract_id}",
        "need": "signed_in",
        "url": BASE + "/{granted}/extracts/{extract}",
    },
    {
        "method": "GET",
        "path": "/api/v1/grants/mine",
        "need": "signed_in",
        "url": "/api/v1/grants/mine",
    },
    {
        "method": "POST",
        "path": "/api/v1/grants/{grant_id}/use",
        "need": "signed_in",
        "url": "/api/v1/grants/{grant}/use",
        "json": {"purpose": "Matrix purpose of use"},
    },
    {
        "method": "GET",
        "path": "/api/v1/agencies/{agency}/grants",
        "need": "ado",
        "url": "/api/v1/agencies/dph/grants",
    },
    {
        "method": "POST",
        "path": "/api/v1/grants/{grant_id}/suspend",
        "need": "ado",
        "url": "/api/v1/grants/{grant2}/suspend",
        "json": {"reason": "matrix"},
    },
    {
        "method": "POST",
        "path": "/api/v1/grants/{grant_id}/resume",
        "need": "ado",
        "url": "/api/v1/grants/{grant3}/resume",
    },
]

# the pages (sharing_pages, sharing_forms) ---------------------------------------------------

PAGE_FORM = {
    "op": "save",
    "title": "Matrix agreement A",
    "kind": "dsa",
    "recipient_agency": "opm",
    "purposes": "Matrix purpose",
    f"fields.{DATASET}": ["town", "cases"],
    f"identifiers.{DATASET}": "name",
    "effective_date": date.today().isoformat(),
    "end_date": (date.today() + timedelta(days=365)).isoformat(),
    "program": "matrix-program",
    "consent_purpose": "research",
    "retention": "Five years",
}
ROWS += [
    {"method": "GET", "path": "/agreements", "need": "public", "url": "/agreements"},
    {"method": "GET", "path": PAGES, "need": "signed_in", "url": PAGES + "?status=active"},
    {"method": "GET", "path": PAGES + "/new", "need": "ado", "url": PAGES + "/new"},
    {
        "method": "POST",
        "path": PAGES + "/new",
        "need": "ado",
        "url": PAGES + "/new",
        "data": {**CREATE, "op": "save", "title": "Matrix page agreement"},
    },
    {"method": "GET", "path": PAGES + "/import", "need": "ado", "url": PAGES + "/import"},
    {
        "method": "POST",
        "path": PAGES + "/import",
        "need": "ado",
        "url": PAGES + "/import",
        "files": {
            "file": (
                "a.csv",
                b"title,provider,recipient_organization\nMatrix page import,dph,UConn\n",
                "text/csv",
            )
        },
    },
    {
        "method": "GET",
        "path": PAGES + "/{agreement_id}",
        "need": "ado",
        "url": PAGES + "/{agreement}",
    },
    {
        "method": "GET",
        "path": PAGES + "/{agreement_id}/edit",
        "need": "ado",
        "url": PAGES + "/{agreement}/edit",
    },
    {
        "method": "POST",
        "path": PAGES + "/{agreement_id}/edit",
        "need": "ado",
        "url": PAGES + "/{agreement}/edit",
        "data": PAGE_FORM,
    },
    {
        "method": "POST",
        "path": PAGES + "/{agreement_id}/status",
        "need": "ado",
        "url": PAGES + "/{page_moved}/status",
        "data": {"status": "terminated", "note": "matrix"},
    },
    {
        "method": "POST",
        "path": PAGES + "/{agreement_id}/documents",
        "need": "ado",
        "url": PAGES + "/{agreement}/documents",
        "files": TXT,
    },
    {
        "method": "POST",
        "path": "/console/grants/{grant_id}/suspend",
        "need": "ado",
        "url": "/console/grants/{grant4}/suspend",
        "data": {"reason": "matrix page"},
    },
    {
        "method": "POST",
        "path": "/console/grants/{grant_id}/resume",
        "need": "ado",
        "url": "/console/grants/{grant5}/resume",
    },
    {"method": "GET", "path": "/console/grants", "need": "signed_in", "url": "/console/grants"},
    {
        "method": "POST",
        "path": "/console/grants/{grant_id}/use",
        "need": "signed_in",
        "url": "/console/grants/{grant}/use",
        "data": {"purpose": "Matrix purpose from the page"},
    },
    {
        "method": "POST",
        "path": PAGES + "/{agreement_id}/extracts",
        "need": "signed_in",
        "url": PAGES + "/{granted}/extracts",
        "data": {"dataset_id": DATASET, "purpose": "Matrix page extract"},
    },
]
