"""The accounts API with personal API tokens: your own account and tokens, and people and roles
for ADOs (their agency) and the CDO (everyone)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from steward.accounts import service
from steward.accounts.schemas import TokenCreate, UserPublic
from steward.db import Database

People = dict[str, UserPublic]
Headers = dict[str, str]


@pytest.fixture
def auth(store: Database, people: People) -> dict[str, Headers]:
    """`Authorization` headers of each person, from tokens made through the service."""
    headers = {}
    with store.session() as session:
        for key, person in people.items():
            acting = service.actor_by_email(session, person.email)
            made = service.create_token(session, acting, TokenCreate(name="tests"))
            headers[key] = {"Authorization": f"Bearer {made.token}"}
    return headers


def test_me_shows_the_caller_and_their_roles(web: TestClient, auth: dict[str, Headers]) -> None:
    mine = web.get("/api/v1/me", headers=auth["steward"]).json()
    assert mine["email"] == "steward@dph.ct.gov" and mine["agency"] == "dph"
    assert [(r["role"], r["agency"]) for r in mine["roles"]] == [("steward", "dph")]
    assert "password_hash" not in mine and mine["has_password"] is True
    refused = web.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_required"


def test_an_ado_adds_a_person_and_gives_and_takes_roles(
    web: TestClient, auth: dict[str, Headers]
) -> None:
    ado = auth["ado"]
    person = {"email": "Pat.Lee@dph.ct.gov", "name": "Pat Lee", "agency": "dph"}
    made = web.post(
        "/api/v1/users",
        json={**person, "roles": [{"role": "analyst", "agency": "dph"}]},
        headers=ado,
    )
    assert made.status_code == 201, made.text
    assert made.json()["email"] == "pat.lee@dph.ct.gov"
    again = web.post("/api/v1/users", json=person, headers=ado)
    assert again.status_code == 409
    url = "/api/v1/users/pat.lee@dph.ct.gov/roles"
    given = web.post(url, json={"role": "ado", "agency": "dph"}, headers=ado)
    assert {r["role"] for r in given.json()["roles"]} == {"analyst", "ado"}
    taken = web.delete(url, params={"role": "analyst", "agency": "dph"}, headers=ado)
    assert [r["role"] for r in taken.json()["roles"]] == ["ado"]
    missing = web.delete(url, params={"role": "analyst", "agency": "dph"}, headers=ado)
    assert missing.status_code == 404
    people = web.get("/api/v1/agencies/dph/people", headers=auth["analyst"]).json()
    assert "pat.lee@dph.ct.gov" in {p["email"] for p in people}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"agency": "opm"}, 403),
        ({"roles": [{"role": "steward", "agency": "opm"}]}, 403),
        ({"roles": [{"role": "cdo"}]}, 403),
        ({"email": "not-an-email"}, 400),
        ({"roles": [{"role": "owner", "agency": "dph"}]}, 400),
        ({"is_admin": True}, 400),
        ({"agency": "nope"}, 404),
    ],
    ids=[
        "other-agency",
        "role-elsewhere",
        "cdo",
        "bad-email",
        "bad-role",
        "extra-field",
        "no-agency",
    ],
)
def test_an_ado_is_kept_within_their_agency(
    web: TestClient, auth: dict[str, Headers], body: dict[str, Any], status: int
) -> None:
    person = {"email": "sam@dph.ct.gov", "name": "Sam", "agency": "dph", **body}
    answer = web.post("/api/v1/users", json=person, headers=auth["ado"])
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["message"]
    assert web.get("/api/v1/users/sam@dph.ct.gov", headers=auth["cdo"]).status_code == 404


def test_only_the_right_people_change_roles(web: TestClient, auth: dict[str, Headers]) -> None:
    url = "/api/v1/users/analyst@dph.ct.gov/roles"
    steward = web.post(url, json={"role": "steward", "agency": "dph"}, headers=auth["steward"])
    assert steward.status_code == 403
    elsewhere = web.post(url, json={"role": "analyst", "agency": "opm"}, headers=auth["ado"])
    assert elsewhere.status_code == 403
    outsider = web.delete(url, params={"role": "analyst", "agency": "dph"}, headers=auth["opm_ado"])
    assert outsider.status_code == 403
    cdo = web.post(url, json={"role": "cdo"}, headers=auth["cdo"])
    assert cdo.status_code == 200 and "cdo" in {r["role"] for r in cdo.json()["roles"]}
    assert (
        web.post(url, json={"role": "cdo", "agency": "dph"}, headers=auth["cdo"]).status_code == 400
    )


def test_who_sees_whom(web: TestClient, auth: dict[str, Headers]) -> None:
    assert len(web.get("/api/v1/users", headers=auth["cdo"]).json()) == 5
    assert web.get("/api/v1/users", headers=auth["ado"]).status_code == 403
    assert web.get("/api/v1/users").status_code == 401
    dph = "/api/v1/agencies/dph/people"
    assert web.get(dph, headers=auth["analyst"]).status_code == 200
    assert web.get(dph, headers=auth["opm_ado"]).status_code == 403
    assert web.get("/api/v1/agencies/nope/people", headers=auth["cdo"]).status_code == 404
    one = "/api/v1/users/steward@dph.ct.gov"
    assert web.get(one, headers=auth["analyst"]).json()["email"] == "steward@dph.ct.gov"
    assert web.get(one, headers=auth["steward"]).status_code == 200  # yourself
    outsider = [web.get(u, headers=auth["opm_ado"]) for u in (one, "/api/v1/users/no@dph.ct.gov")]
    assert [a.status_code for a in outsider] == [403, 403]


def test_deactivating_a_person(web: TestClient, auth: dict[str, Headers]) -> None:
    url = "/api/v1/users/steward@dph.ct.gov"
    assert web.patch(url, json={"is_active": False}, headers=auth["analyst"]).status_code == 403
    off = web.patch(url, json={"is_active": False}, headers=auth["ado"])
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert web.get("/api/v1/me", headers=auth["steward"]).status_code == 401
    myself = web.patch(
        "/api/v1/users/ado@dph.ct.gov", json={"is_active": False}, headers=auth["ado"]
    )
    assert myself.status_code == 409
    cdo = web.patch("/api/v1/users/cdo@ct.gov", json={"is_active": False}, headers=auth["ado"])
    assert cdo.status_code == 403
    assert web.patch(url, json={"active": True}, headers=auth["ado"]).status_code == 400


def test_your_tokens_and_password(web: TestClient, auth: dict[str, Headers]) -> None:
    mine = auth["analyst"]
    made = web.post("/api/v1/me/tokens", json={"name": "etl", "expires_in_days": 30}, headers=mine)
    assert made.status_code == 201 and made.json()["token"].startswith("stw_")
    for bad in (
        {"name": ""},
        {"name": "x", "expires_in_days": 0},
        {"name": "x", "expires_in_days": 731},
    ):
        assert web.post("/api/v1/me/tokens", json=bad, headers=mine).status_code == 400
    listed = web.get("/api/v1/me/tokens", headers=mine).json()
    assert [t["name"] for t in listed] == ["etl", "tests"]
    assert all("token" not in t for t in listed)
    other = web.delete(f"/api/v1/me/tokens/{made.json()['id']}", headers=auth["steward"])
    assert other.status_code == 404  # someone else's token is not there for you
    gone = web.delete(f"/api/v1/me/tokens/{made.json()['id']}", headers=mine)
    assert gone.json()["status"] == "revoked"
    new = {"current_password": "matrix-password-1", "new_password": "another-good-one"}
    wrong = web.post("/api/v1/me/password", json={**new, "current_password": "nope"}, headers=mine)
    assert wrong.status_code == 400
    short = web.post("/api/v1/me/password", json={**new, "new_password": "short"}, headers=mine)
    assert short.status_code == 400 and "at least 10" in short.json()["error"]["message"]
    assert web.post("/api/v1/me/password", json=new, headers=mine).status_code == 204
    assert web.get("/api/v1/me", headers=mine).status_code == 200  # tokens outlive a new password
