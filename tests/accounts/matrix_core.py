"""Role-matrix rows for the portal, the read APIs and accounts (see test_role_matrix.py).

Objects named in URLs belong to the agency dph. `setup()` makes what some URLs need and returns
the values of their `{placeholders}`.
"""

from __future__ import annotations

from typing import Any

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.accounts.schemas import RoleGrant, TokenCreate, UserCreate
from steward.config import Settings
from steward.db import Database
from steward.quality import feedback
from steward.quality.schemas import FeedbackCreate

# The public dataset used by most rows, and a small one for whole-file downloads.
TOWNS = "28fr-iqnx"
SMALL = "7rne-efic"
PASSWORD = "matrix-password-1"
ANALYST = RoleGrant(role="analyst", agency="dph")
SAME_PASSWORD = {"current_password": PASSWORD, "new_password": PASSWORD}


def _public(method: str, path: str, url: str, **body: Any) -> dict[str, Any]:
    return {"method": method, "path": path, "need": "public", "url": url, **body}


def _get(path: str, url: str) -> dict[str, Any]:
    return _public("GET", path, url)


DS = "/api/v1/datasets/{dataset_id}"

API_READS = [
    _get("/openapi.json", "/openapi.json"),
    _get("/healthz", "/healthz"),
    _get("/api/v1/agencies", "/api/v1/agencies"),
    _get("/api/v1/datasets", "/api/v1/datasets?q=covid"),
    _get(DS, f"/api/v1/datasets/{TOWNS}"),
    _get(f"{DS}/fields", f"/api/v1/datasets/{TOWNS}/fields"),
    _get(f"{DS}/versions", f"/api/v1/datasets/{TOWNS}/versions"),
    _get(f"{DS}/versions/{{number}}/download", f"/api/v1/datasets/{SMALL}/versions/1/download"),
    _get("/api/v1/usage", "/api/v1/usage?days=7"),
    _get(f"{DS}/query", f"/api/v1/datasets/{TOWNS}/query?$limit=3"),
    _get(f"{DS}/profile", f"/api/v1/datasets/{TOWNS}/profile"),
    _get(f"{DS}/quality", f"/api/v1/datasets/{TOWNS}/quality"),
    _get(f"{DS}/rules", f"/api/v1/datasets/{TOWNS}/rules"),
    _get(f"{DS}/compare", f"/api/v1/datasets/{TOWNS}/compare?from=1&to=1"),
    _get(f"{DS}/freshness", f"/api/v1/datasets/{TOWNS}/freshness"),
    _get(f"{DS}/feedback", f"/api/v1/datasets/{TOWNS}/feedback"),
    _get("/api/v1/quality/freshness", "/api/v1/quality/freshness"),
    _get("/api/v1/quality/response-times", "/api/v1/quality/response-times"),
    _get(f"{DS}/jsonld", f"/api/v1/datasets/{TOWNS}/jsonld"),
    _get(f"{DS}/datapackage.json", f"/api/v1/datasets/{TOWNS}/datapackage.json"),
    _get(f"{DS}/datapackage.zip", f"/api/v1/datasets/{SMALL}/datapackage.zip"),
    _get(f"{DS}/completeness", f"/api/v1/datasets/{TOWNS}/completeness"),
    _get("/api/v1/metadata/report", "/api/v1/metadata/report"),
    _get("/api/v1/standards", "/api/v1/standards"),
    _get("/api/v1/standards/{element}", "/api/v1/standards/ct_town"),
    _public(
        "POST",
        "/api/v1/standards/{element}/normalize",
        "/api/v1/standards/ct_town/normalize",
        json={"values": ["HARTFORD", "W Hartford"]},
    ),
    _public(
        "POST",
        "/api/v1/standards/suggest",
        "/api/v1/standards/suggest",
        json={"name": "town", "values": ["Hartford", "New Haven"]},
    ),
    _get(f"{DS}/conformance", f"/api/v1/datasets/{TOWNS}/conformance"),
    _get("/data.json", "/data.json"),
]

COMPATIBLE_APIS = [
    _get("/resource/{resource}", f"/resource/{TOWNS}.json?$limit=3"),
    _get("/api/views/{view}", f"/api/views/{TOWNS}"),
    _get("/api/views/{view}/columns.json", f"/api/views/{TOWNS}/columns.json"),
    _get("/api/views/{view}/rows.{ext}", f"/api/views/{SMALL}/rows.csv"),
    _get("/api/catalog/v1", "/api/catalog/v1?q=covid"),
    _get("/api/views.json", "/api/views.json"),
    _get("/api/action/{name}", "/api/action/package_list"),
    _public("POST", "/api/action/{name}", "/api/action/package_show", json={"id": TOWNS}),
    _get("/api/3/action/{name}", f"/api/3/action/package_show?id={TOWNS}"),
    _public("POST", "/api/3/action/{name}", "/api/3/action/package_search", json={"q": "covid"}),
    _get("/datastore/dump/{resource_id}", f"/datastore/dump/{SMALL}"),
]

PAGES = [
    _get("/", "/"),
    _get("/browse", "/browse?q=covid"),
    _get("/agencies", "/agencies"),
    _get("/agencies/{slug}", "/agencies/dph"),
    _get("/about", "/about"),
    _get("/api-docs", "/api-docs"),
    _get("/d/{dataset_id}", f"/d/{TOWNS}"),
    _get("/d/{dataset_id}/download.{fmt}", f"/d/{SMALL}/download.csv"),
    _get("/d/{dataset_id}/chart.vl.json", f"/d/{TOWNS}/chart.vl.json?chart=town"),
    _get("/d/{dataset_id}/quality", f"/d/{TOWNS}/quality"),
    _get("/d/{dataset_id}/feedback", f"/d/{TOWNS}/feedback"),
    _public(
        "POST",
        "/d/{dataset_id}/feedback",
        f"/d/{TOWNS}/feedback",
        data={"message": "The role matrix reports a problem here.", "website": ""},
    ),
    _get("/feedback/{token}", "/feedback/{feedback_token}"),
    _get("/standards", "/standards"),
    _get("/standards/{element}", "/standards/ct_town"),
]

ACCOUNT_PAGES = [
    _get("/login", "/login?next=/account"),
    _public(
        "POST",
        "/login",
        "/login",
        data={"email": "steward@dph.ct.gov", "password": PASSWORD, "next": "/account"},
    ),
    _public("POST", "/logout", "/logout"),
    {"method": "GET", "path": "/account", "need": "signed_in", "url": "/account"},
    {
        "method": "POST",
        "path": "/account/password",
        "need": "signed_in",
        "url": "/account/password",
        "data": {**SAME_PASSWORD, "confirm_password": PASSWORD},
    },
    {
        "method": "POST",
        "path": "/account/tokens",
        "need": "signed_in",
        "url": "/account/tokens",
        "data": {"name": "role matrix", "expires_in_days": "7"},
    },
    {
        "method": "POST",
        "path": "/account/tokens/{token_id}/revoke",
        "need": "signed_in",
        "url": "/account/tokens/{page_token}/revoke",
    },
]

PERSON = "/api/v1/users/{email}"
ACCOUNT_API = [
    {"method": "GET", "path": "/api/v1/me", "need": "signed_in", "url": "/api/v1/me"},
    {
        "method": "POST",
        "path": "/api/v1/me/password",
        "need": "signed_in",
        "url": "/api/v1/me/password",
        "json": SAME_PASSWORD,
    },
    {"method": "GET", "path": "/api/v1/me/tokens", "need": "signed_in", "url": "/api/v1/me/tokens"},
    {
        "method": "POST",
        "path": "/api/v1/me/tokens",
        "need": "signed_in",
        "url": "/api/v1/me/tokens",
        "json": {"name": "role matrix", "expires_in_days": 7},
    },
    {
        "method": "DELETE",
        "path": "/api/v1/me/tokens/{token_id}",
        "need": "signed_in",
        "url": "/api/v1/me/tokens/{api_token}",
    },
    {"method": "GET", "path": "/api/v1/users", "need": "cdo", "url": "/api/v1/users"},
    {
        "method": "POST",
        "path": "/api/v1/users",
        "need": "ado",
        "url": "/api/v1/users",
        "json": {"email": "new.person@dph.ct.gov", "name": "New Person", "agency": "dph"},
    },
    {"method": "GET", "path": PERSON, "need": "analyst", "url": "/api/v1/users/ado@dph.ct.gov"},
    {
        "method": "PATCH",
        "path": PERSON,
        "need": "ado",
        "url": "/api/v1/users/kept.person@dph.ct.gov",
        "json": {"is_active": True},
    },
    {
        "method": "POST",
        "path": f"{PERSON}/roles",
        "need": "ado",
        "url": "/api/v1/users/granted.person@dph.ct.gov/roles",
        "json": {"role": "steward", "agency": "dph"},
    },
    {
        "method": "DELETE",
        "path": f"{PERSON}/roles",
        "need": "ado",
        "url": "/api/v1/users/kept.person@dph.ct.gov/roles?role=analyst&agency=dph",
    },
    {
        "method": "GET",
        "path": "/api/v1/agencies/{slug}/people",
        "need": "analyst",
        "url": "/api/v1/agencies/dph/people",
    },
]

ROWS = API_READS + COMPATIBLE_APIS + PAGES + ACCOUNT_PAGES + ACCOUNT_API


def setup(database: Database, settings: Settings) -> dict[str, Any]:
    """People to act on, two of the CDO's tokens to revoke and a feedback report to follow."""
    with database.session() as session:
        for email, roles in (("kept.person", [ANALYST]), ("granted.person", [])):
            person = UserCreate(
                email=f"{email}@dph.ct.gov", name=email.title(), agency="dph", roles=roles
            )
            accounts.create_user(session, SYSTEM, person)
        cdo = accounts.actor_by_email(session, "cdo@ct.gov")
        api_token = accounts.create_token(session, cdo, TokenCreate(name="to revoke by API"))
        page_token = accounts.create_token(session, cdo, TokenCreate(name="to revoke on a page"))
        report = FeedbackCreate(message="A report the role matrix follows.")
        feedback_token, _ = feedback.submit(session, TOWNS, report)
    return {
        "api_token": api_token.id,
        "page_token": page_token.id,
        "feedback_token": feedback_token,
    }
