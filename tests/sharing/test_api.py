"""The sharing API on bad input (#10): a JSON error body with 400 for what cannot be read, 404
for unknown ids, 403 for another agency's agreements and grants, 409 for a wrong move; never a
500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .conftest import DATASET, World

ADO, OTHER_ADO = "ado@dph.ct.gov", "ado@dss.ct.gov"
BASE = "/api/v1/agreements"
DRAFT = {
    "title": "Draft agreement",
    "provider": "dph",
    "recipient_agency": "dss",
    "datasets": [{"dataset_id": DATASET, "fields": ["town"]}],
}


def error_of(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body = answer.json()["error"]
    assert body["message"] and body["code"]
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"title": None}, "title"),
        ({"title": "ab"}, "title"),
        ({"kind": "nda"}, "kind"),
        ({"provider": "x" * 65}, "provider"),
        ({"unknown_attribute": 1}, "unknown_attribute"),
        ({"recipient_agency": None}, "recipient"),
        ({"recipient_organization": "Yale"}, "recipient"),
        ({"legal_authorities": ["gdpr"]}, "legal_authorities"),
        ({"authorized_users": ["not-an-email"]}, "authorized_users"),
        ({"renewal_reminder_days": -1}, "renewal_reminder_days"),
        ({"end_date": "2026-13-01"}, "end_date"),
        ({"effective_date": "2026-06-01", "end_date": "2026-01-01"}, "end date"),
        ({"datasets": [{"dataset_id": DATASET, "fields": []}]}, "fields"),
        ({"datasets": [{"dataset_id": DATASET, "fields": ["Town; DROP"]}]}, "field name"),
        ({"datasets": [{"dataset_id": "short", "fields": ["town"]}]}, "dataset_id"),
        ({"purposes": ["x" * 1001]}, "purpose"),
        ({"signatories": [{"name": ""}]}, "signatories"),
    ],
)
def test_a_draft_that_cannot_be_read_is_400(
    world: World, client: TestClient, change: dict[str, Any], where: str
) -> None:
    body = {k: v for k, v in {**DRAFT, **change}.items() if v is not None}
    error = error_of(client.post(BASE, json=body, headers=world.token(ADO)), 400)
    assert where in error["message"], error


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"provider": "nowhere"}, 404, "nowhere"),
        ({"recipient_agency": "nowhere"}, 404, "nowhere"),
        ({"recipient_agency": "dph"}, 400, "another agency"),
        ({"datasets": [{"dataset_id": "zzzz-9999", "fields": ["town"]}]}, 404, "zzzz-9999"),
        ({"datasets": [{"dataset_id": DATASET, "fields": ["shoe_size"]}]}, 400, "shoe_size"),
        (
            {"datasets": [{"dataset_id": DATASET, "fields": ["town"], "row_filter": "town ="}]},
            400,
            "row filter",
        ),
        (
            {"datasets": [{"dataset_id": DATASET, "fields": ["town"]}] * 2},
            400,
            "named twice",
        ),
        ({"authorized_users": ["ghost@ct.gov"]}, 400, "ghost@ct.gov"),
        ({"provider": "dss", "recipient_agency": "dph"}, 403, "sharing.manage"),
    ],
)
def test_a_draft_the_service_refuses(
    world: World, client: TestClient, change: dict[str, Any], status: int, words: str
) -> None:
    error = error_of(client.post(BASE, json={**DRAFT, **change}, headers=world.token(ADO)), status)
    assert words in error["message"], error


def test_unknown_ids_are_404(world: World, client: TestClient) -> None:
    auth = world.token(ADO)
    for method, url, body in [
        ("GET", f"{BASE}/999", None),
        ("PATCH", f"{BASE}/999", {"retention": "x"}),
        ("POST", f"{BASE}/999/status", {"status": "legal_review"}),
        ("GET", f"{BASE}/999/render", None),
        ("GET", f"{BASE}/999/documents/1", None),
        ("GET", f"{BASE}/999/extracts", None),
        ("GET", f"{BASE}/999/extracts/1", None),
        ("POST", f"{BASE}/999/extracts", {"dataset_id": DATASET, "purpose": "A purpose"}),
        ("POST", "/api/v1/grants/999/use", {"purpose": "A purpose"}),
        ("POST", "/api/v1/grants/999/suspend", {}),
        ("POST", "/api/v1/grants/999/resume", None),
        ("GET", "/api/v1/agencies/nowhere/grants", None),
    ]:
        answer = client.request(method, url, json=body, headers=auth)
        assert error_of(answer, 404)["code"] == "not_found", (method, url)


@pytest.mark.parametrize("bad", ["abc", "1.5", "-1", "0", "99999999999999999999", "1e3"])
def test_ids_that_are_not_numbers_are_never_a_500(
    world: World, client: TestClient, bad: str
) -> None:
    auth = world.token(ADO)
    for method, url in [
        ("GET", f"{BASE}/{bad}"),
        ("PATCH", f"{BASE}/{bad}"),
        ("GET", f"{BASE}/{bad}/render"),
        ("GET", f"{BASE}/1/documents/{bad}"),
        ("GET", f"{BASE}/1/extracts/{bad}"),
        ("POST", f"/api/v1/grants/{bad}/resume"),
    ]:
        answer = client.request(method, url, json={}, headers=auth)
        assert answer.status_code in (400, 404), (method, url, answer.text)
        assert answer.json()["error"]["message"]


def test_bad_queries_and_bodies(world: World, client: TestClient) -> None:
    made = world.agreement()
    auth = world.token(ADO)
    listed = client.get(BASE, params={"status": "bogus"}, headers=auth)
    assert "status must be one of" in error_of(listed, 400)["message"]
    error_of(client.get(BASE, params={"agency": "nowhere"}, headers=auth), 404)
    error_of(client.get(f"{BASE}/{made}/render", params={"format": "rtf"}, headers=auth), 400)
    error_of(client.get(f"{BASE}/{made}/render", params={"document": "memo"}, headers=auth), 400)
    error_of(client.post(f"{BASE}/{made}/status", json={"status": "approved"}, headers=auth), 400)
    error_of(client.post(f"{BASE}/{made}/status", json={"note": "x"}, headers=auth), 400)
    moved = client.post(f"{BASE}/{made}/status", json={"status": "draft"}, headers=auth)
    assert "can move to" in error_of(moved, 409)["message"]
    error_of(client.patch(f"{BASE}/{made}", json={"kind": "nda"}, headers=auth), 400)
    error_of(client.patch(f"{BASE}/{made}", json={"end_date": None}, headers=auth), 400)
    error_of(client.patch(f"{BASE}/{made}", content=b"{not json", headers=auth), 400)
    error_of(client.post(f"{BASE}/checklist", json={"legal_authorities": "ferpa"}), 400)
    error_of(client.post(f"{BASE}/{made}/documents", headers=auth), 400)
    mine = client.get("/api/v1/grants/mine", headers=world.token("analyst@dss.ct.gov")).json()
    short = client.post(
        f"/api/v1/grants/{mine[0]['id']}/use",
        json={"purpose": "x"},
        headers=world.token("analyst@dss.ct.gov"),
    )
    assert "purpose" in error_of(short, 400)["message"]
    extract = client.post(
        f"{BASE}/{made}/extracts",
        json={"dataset_id": DATASET, "purpose": "Outcomes study"},
        headers=world.token("analyst@dss.ct.gov"),
    )
    assert "identifier" in error_of(extract, 400)["message"]


def test_other_agencies_are_403(world: World, client: TestClient) -> None:
    made = world.agreement()
    grant = client.get("/api/v1/agencies/dph/grants", headers=world.token(ADO)).json()[0]["id"]
    for email in (OTHER_ADO, "analyst@dph.ct.gov", "other@dss.ct.gov"):
        auth = world.token(email)
        for method, url, body in [
            ("PATCH", f"{BASE}/{made}", {"retention": "Forever"}),
            ("POST", f"{BASE}/{made}/status", {"status": "terminated"}),
            ("POST", f"/api/v1/grants/{grant}/suspend", {"reason": "mine now"}),
            ("POST", f"/api/v1/grants/{grant}/resume", None),
            ("GET", "/api/v1/agencies/dph/grants", None),
        ]:
            answer = client.request(method, url, json=body, headers=auth)
            assert error_of(answer, 403)["code"], (email, method, url)
    # the recipient's ADO reads the agreement but changes nothing
    assert client.get(f"{BASE}/{made}", headers=world.token(OTHER_ADO)).status_code == 200
    for email in ("analyst@dph.ct.gov", "other@dss.ct.gov"):
        error_of(client.get(f"{BASE}/{made}", headers=world.token(email)), 403)
    # someone else's grant is not theirs to use
    used = client.post(
        f"/api/v1/grants/{grant}/use", json={"purpose": "Not mine"}, headers=world.token(OTHER_ADO)
    )
    error_of(used, 404)
    # signed out: 401
    for method, url in [("GET", BASE), ("GET", f"{BASE}/{made}"), ("GET", "/api/v1/grants/mine")]:
        error_of(client.request(method, url), 401)
    detail = client.get(f"{BASE}/{made}", headers=world.token(ADO)).json()
    assert detail["retention"] == "" and detail["status"] == "active"
