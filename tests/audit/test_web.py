"""The audit and consent API and pages, end to end through the app."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from steward.audit import log

from .conftest import World

Bearer = Callable[[str], dict[str, str]]


def test_audit_api_filters_exports_and_verifies(
    world: World, app_client: TestClient, bearer: Bearer
) -> None:
    with world.database.session() as session:
        log.append(
            session,
            actor="a@dss.ct.gov",
            action="data.read",
            dataset_id="dphx-0001",
            details={"agreement_id": 4, "purpose": "evaluation", "row_count": 12},
        )
        log.append(session, actor="a@dss.ct.gov", action="data.read", dataset_id="dssx-0001")
    ado = bearer("ado@dph.ct.gov")
    page = app_client.get("/api/v1/audit?action=data.read", headers=ado).json()
    assert [e["dataset_id"] for e in page["entries"]] == ["dphx-0001"]
    assert page["entries"][0]["details"]["purpose"] == "evaluation"
    csv = app_client.get("/api/v1/audit/export.csv?agency=dph", headers=ado)
    assert csv.status_code == 200 and "dphx-0001" in csv.text and "dssx-0001" not in csv.text
    assert app_client.get("/api/v1/audit?agency=dss", headers=ado).status_code == 403
    assert app_client.get("/api/v1/audit?since=soon", headers=ado).status_code in {400, 422}
    assert app_client.get("/api/v1/audit/verify", headers=ado).status_code == 403
    cdo = bearer("cdo@ct.gov")
    assert app_client.get("/api/v1/audit/verify", headers=cdo).json()["ok"] is True
    assert app_client.post("/api/v1/audit/seal", headers=cdo).status_code == 201
    assert app_client.get("/api/v1/audit/verify", headers=cdo).json()["checkpoints"] == 1
    for method in ("PUT", "PATCH", "DELETE"):
        assert app_client.request(method, "/api/v1/audit", headers=cdo).status_code == 405


def test_consent_api_never_echoes_identifiers(app_client: TestClient, bearer: Bearer) -> None:
    ado = bearer("ado@dss.ct.gov")
    made = app_client.post(
        "/api/v1/consent/programs",
        json={"key": "snap", "name": "SNAP", "agency": "dss", "model": "opt_out"},
        headers=ado,
    )
    assert made.status_code == 201
    person = {"last_name": "Quintero", "first_name": "Lu", "dob": "1977-05-06"}
    body = {"program": "snap", "person": person, "purpose": "evaluation", "decision": "opt_out"}
    recorded = app_client.post("/api/v1/consent/records", json=body, headers=ado)
    assert recorded.status_code == 201 and "Quintero" not in recorded.text
    look = {"program": "snap", "person": person, "purpose": "evaluation"}
    status = app_client.post("/api/v1/consent/lookup", json=look, headers=ado).json()
    assert status["released"] is False and status["in_force"] == "opt_out"
    bad = {**body, "person": {"dob": "not a date", "last_name": "x", "first_name": "y"}}
    assert app_client.post("/api/v1/consent/records", json=bad, headers=ado).status_code == 400
    other = bearer("ado@dph.ct.gov")
    assert app_client.post("/api/v1/consent/records", json=body, headers=other).status_code == 403
