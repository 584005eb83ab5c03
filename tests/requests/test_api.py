"""The data requests API: filing (anyone), the public list, the private view, the data
officers' queue and transitions, metrics and the calendar."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from steward.accounts import service as accounts
from steward.accounts.schemas import TokenCreate

from .conftest import Clock, World, eastern

BODY: dict[str, Any] = {
    "requester_name": "Pat Reyes",
    "requester_email": "pat.reyes@example.org",
    "organization": "Hartford Health Equity Project",
    "title": "Clinic inspections by town",
    "description": "Every inspection of a licensed clinic since 2015, with its town.",
    "purpose": "To map where inspections find problems most often.",
    "agency": "dph",
}


def bearer(world: World, email: str) -> dict[str, str]:
    with world.database.session() as session:
        actor = accounts.actor_by_email(session, email)
        token = accounts.create_token(session, actor, TokenCreate(name="test")).token
    return {"Authorization": f"Bearer {token}"}


def test_filing_and_following(app_client: TestClient) -> None:
    answer = app_client.post("/api/v1/requests", json=BODY)
    assert answer.status_code == 201, answer.text
    filed = answer.json()
    assert filed["follow_path"] == f"/requests/follow/{filed['token']}"
    assert filed["request"]["clock"]["ack_due"] == "2026-07-10"
    mine = app_client.get(f"/api/v1/requests/follow/{filed['token']}")
    assert mine.status_code == 200
    assert mine.headers["cache-control"] == "no-store"
    assert mine.headers["referrer-policy"] == "no-referrer"
    assert mine.json()["purpose"] == BODY["purpose"]
    assert app_client.get("/api/v1/requests/follow/not-a-real-token-at-all").status_code == 404


def test_bad_input_is_a_clear_400(app_client: TestClient) -> None:
    cases = [
        ({**BODY, "requester_email": "nobody"}, "requester_email"),
        ({**BODY, "title": "ab"}, "title"),
        ({**BODY, "agency": "nope"}, "no agency 'nope'"),
        ({**BODY, "requester_kind": "alien"}, "requester_kind"),
        ({key: value for key, value in BODY.items() if key != "purpose"}, "purpose"),
    ]
    for body, problem in cases:
        answer = app_client.post("/api/v1/requests", json=body)
        assert answer.status_code == 400, body
        assert problem in answer.json()["error"]["message"]


def test_the_public_list_has_no_personal_details(app_client: TestClient) -> None:
    app_client.post("/api/v1/requests", json=BODY)
    listed = app_client.get("/api/v1/requests?agency=dph&status=open")
    assert [r["title"] for r in listed.json()] == ["Clinic inspections by town"]
    one = app_client.get(f"/api/v1/requests/{listed.json()[0]['id']}")
    for text in (listed.text, one.text):
        for private in ("Pat Reyes", "pat.reyes", "Hartford Health", "map where"):
            assert private not in text
    assert app_client.get("/api/v1/requests?status=lost").status_code == 400
    assert app_client.get("/api/v1/requests/999").status_code == 404


def test_the_queue_and_transitions_need_the_ado(
    world: World, app_client: TestClient, clock: Clock
) -> None:
    request_id = app_client.post("/api/v1/requests", json=BODY).json()["request"]["id"]
    url = f"/api/v1/requests/{request_id}"
    assert app_client.get("/api/v1/requests/queue").status_code == 401
    assert app_client.get(url + "/details").status_code == 401
    steward = bearer(world, "steward@dph.ct.gov")
    assert app_client.get("/api/v1/requests/queue", headers=steward).status_code == 403
    ado = bearer(world, "ado@dph.ct.gov")
    queue = app_client.get("/api/v1/requests/queue", headers=ado).json()
    assert [(r["id"], r["requester_email"]) for r in queue] == [
        (request_id, BODY["requester_email"])
    ]
    ack = {"action": "acknowledge", "note": "On it"}
    assert app_client.post(url + "/transitions", json=ack, headers=steward).status_code == 403
    clock.now = eastern(2026, 7, 2)
    moved = app_client.post(url + "/transitions", json=ack, headers=ado)
    assert moved.status_code == 200, moved.text
    assert moved.json()["clock"]["acknowledged_on"] == "2026-07-02"
    again = app_client.post(url + "/transitions", json=ack, headers=ado)
    assert again.status_code == 409
    bad = app_client.post(url + "/transitions", json={"action": "explode"}, headers=ado)
    assert bad.status_code == 400
    declined = app_client.post(
        url + "/transitions", json={"action": "decline", "reason": "Not kept"}, headers=ado
    )
    assert declined.json()["status"] == "declined"
    assert app_client.get(url).json()["decline_reason"] == "Not kept"
    outbox = app_client.get("/api/v1/requests/outbox", headers=ado).json()
    assert {m["kind"] for m in outbox} == {"new_request", "receipt", "status"}
    assert app_client.get("/api/v1/requests/outbox", headers=steward).status_code == 403


def test_overdue_with_a_frozen_clock(app_client: TestClient, clock: Clock) -> None:
    request_id = app_client.post("/api/v1/requests", json=BODY).json()["request"]["id"]
    clock.now = eastern(2026, 7, 10, 17)
    assert app_client.get(f"/api/v1/requests/{request_id}").json()["clock"]["overdue"] is False
    clock.now = eastern(2026, 7, 13, 9)
    late = app_client.get(f"/api/v1/requests/{request_id}").json()["clock"]
    assert (late["ack_overdue"], late["overdue"]) == (True, True)
    metrics = app_client.get("/api/v1/requests/metrics").json()
    assert metrics["as_of"] == "2026-07-13"
    assert [(a["agency"], a["overdue"]) for a in metrics["agencies"]] == [("dph", 1)]
    assert metrics["agencies"][0]["acknowledged_on_time"] == 0.0


def test_the_calendar(app_client: TestClient) -> None:
    found = app_client.get("/api/v1/requests/calendar?year=2026").json()
    days = {h["date"]: h["name"] for h in found["holidays"]}
    assert days["2026-07-03"] == "Independence Day (observed)"
    assert days["2026-07-07"] == "Closed"  # the configured extra day
    assert (found["ack_days"], found["response_days"]) == (5, 20)
    assert app_client.get("/api/v1/requests/calendar").json()["year"] == 2026  # the clock's year


def test_anonymous_filing_is_limited_per_address(app_client: TestClient) -> None:
    codes = [app_client.post("/api/v1/requests", json=BODY).status_code for _ in range(6)]
    assert codes == [201] * 5 + [429]


def test_signed_in_filing_records_who(world: World, app_client: TestClient) -> None:
    headers = bearer(world, "steward@dph.ct.gov")
    body = {**BODY, "requester_kind": "agency_staff"}
    codes = [
        app_client.post("/api/v1/requests", json=body, headers=headers).status_code
        for _ in range(6)
    ]
    assert codes == [201] * 6  # known people are not limited
    ado = bearer(world, "ado@dph.ct.gov")
    first = app_client.get("/api/v1/requests/queue", headers=ado).json()[0]
    assert first["filed_by"] == "steward@dph.ct.gov"
