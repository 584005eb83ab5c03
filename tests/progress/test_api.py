"""The progress and dashboard API: the workflow over HTTP with API tokens, JSON errors for bad
input, refusals for the wrong people, PDFs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from steward.accounts import service as accounts
from steward.accounts.schemas import TokenCreate
from steward.progress.figures import GOAL_IDS

from .conftest import World

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
API = "/api/v1/progress/periods"
PERIOD = {
    "name": "FY 2026",
    "starts_on": "2025-07-01",
    "ends_on": "2026-06-30",
    "due_on": "2099-09-30",
}


@pytest.fixture
def bearer(world: World) -> Callable[[str], dict[str, str]]:
    def headers(email: str) -> dict[str, str]:
        with world.database.session() as session:
            actor = accounts.actor_by_email(session, email)
            token = accounts.create_token(session, actor, TokenCreate(name="test")).token
        return {"Authorization": f"Bearer {token}"}

    return headers


def test_the_workflow_over_the_api(
    app_client: TestClient, bearer: Callable[[str], dict[str, str]]
) -> None:
    cdo, ado = bearer("cdo@ct.gov"), bearer("ado@dph.ct.gov")
    opened = app_client.post(API, json=PERIOD, headers=cdo)
    assert opened.status_code == 201, opened.text
    pid = opened.json()["id"]
    report = f"{API}/{pid}/reports/dph"
    shown = app_client.get(report, headers=bearer("analyst@dph.ct.gov")).json()
    api = next(f for f in shown["figures"]["figures"] if f["key"] == "api_datasets")
    assert api["value"] == 3 and shown["status"] == "draft"
    assert app_client.post(report + "/submit", headers=ado).status_code == 400
    written = {"narratives": {goal: f"About {goal}" for goal in GOAL_IDS}}
    assert app_client.put(report + "/narrative", json=written, headers=ado).status_code == 200
    assert app_client.post(report + "/refresh", headers=ado).status_code == 200
    assert app_client.post(report + "/submit", headers=ado).json()["status"] == "submitted"
    back = app_client.post(report + "/return", json={"comment": "More on use."}, headers=cdo)
    assert back.json()["status"] == "returned" and back.json()["review_comment"] == "More on use."
    assert app_client.post(report + "/submit", headers=ado).status_code == 200
    assert app_client.post(report + "/accept", headers=cdo).json()["status"] == "accepted"
    state = app_client.get(f"{API}/{pid}/report", headers=cdo).json()
    assert state["period"]["status_counts"]["accepted"] == 1
    assert [r["agency"] for r in state["reports"]] == ["dph", "opm", "ocme"]
    for url in (f"{API}/{pid}/report.pdf", report + "/report.pdf"):
        answer = app_client.get(url, headers=cdo)
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
        assert answer.headers["content-type"] == "application/pdf"


def test_bad_input_and_refusals(
    app_client: TestClient, bearer: Callable[[str], dict[str, str]]
) -> None:
    cdo, ado = bearer("cdo@ct.gov"), bearer("ado@dph.ct.gov")
    backwards = {**PERIOD, "ends_on": "2025-01-01"}
    assert app_client.post(API, json=backwards, headers=cdo).status_code in (400, 422)
    assert app_client.post(API, json={**PERIOD, "due_on": "soon"}, headers=cdo).status_code in (
        400,
        422,
    )
    assert app_client.post(API, json=PERIOD, headers=ado).status_code == 403
    pid = app_client.post(API, json=PERIOD, headers=cdo).json()["id"]
    assert app_client.post(API, json=PERIOD, headers=cdo).status_code == 409
    report = f"{API}/{pid}/reports/dph"
    unknown = app_client.put(report + "/narrative", json={"narratives": {"x": "y"}}, headers=ado)
    assert unknown.status_code == 400 and "unknown goal" in unknown.json()["error"]["message"]
    assert app_client.get(report, headers=bearer("ado@opm.ct.gov")).status_code == 403
    assert app_client.get(report).status_code == 401
    assert app_client.get(f"{API}/999/reports/dph", headers=cdo).status_code == 404
    assert app_client.get(f"{API}/{pid}/reports/nope", headers=cdo).status_code == 404
    assert app_client.get("/api/v1/dashboard", headers=ado).status_code == 403


def test_the_dashboard_json(
    app_client: TestClient, bearer: Callable[[str], dict[str, str]]
) -> None:
    board = app_client.get("/api/v1/dashboard", headers=bearer("cdo@ct.gov")).json()
    assert [g["id"] for g in board["goals"]] == list(GOAL_IDS)
    assert [a["scope"] for a in board["agencies"]] == ["dph", "opm", "ocme"]
    state = {f["key"]: f for f in board["state"]["figures"]}
    assert (
        state["api_datasets"]["value"] == 4
        and state["api_datasets"]["detail"] == "of 5 published datasets"
    )
    assert len(board["state"]["usage"]) == 12
    one = app_client.get("/api/v1/dashboard/agencies/dph", headers=bearer("ado@dph.ct.gov")).json()
    assert {d["id"] for d in one["datasets"]} == {"28fr-iqnx", "7rne-efic", "dphp-0pop"}
