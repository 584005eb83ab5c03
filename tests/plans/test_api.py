"""The plans and assessments APIs with API tokens: a plan from draft to published with its
adherence and exports, a maturity assessment compared with the last, an ethics assessment with a
risk, and clear 4xx answers for bad input."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient

from steward.plans import maturity

from .conftest import World

Headers = Callable[[str], dict[str, str]]
PLANS = "/api/v1/plans"
PLAN = PLANS + "/dph/2026-2027"


def test_a_plan_from_draft_to_public_with_adherence(
    world: World, app_client: TestClient, bearer: Headers
) -> None:
    ado, steward = bearer("ado@dph.ct.gov"), bearer("steward@dph.ct.gov")
    created = app_client.post(
        PLANS, json={"agency": "dph", "period": "2026-2027", "summary": "Goals"}, headers=ado
    )
    assert created.status_code == 201, created.text
    assert app_client.get(PLAN).status_code == 401  # a draft is not public
    target = (date.today() + timedelta(days=20)).isoformat()
    entry = app_client.post(
        PLAN + "/entries",
        json={"dataset_id": "plan-0001", "target_date": target, "priority": "high"},
        headers=steward,
    )
    assert entry.status_code == 201, entry.text
    assert entry.json()["adherence"] == "pending"
    entry_id = entry.json()["id"]
    changed = app_client.patch(
        f"{PLAN}/entries/{entry_id}", json={"rationale": "Towns asked"}, headers=steward
    )
    assert changed.json()["rationale"] == "Towns asked"
    assert app_client.post(PLAN + "/publish", headers=steward).status_code == 403
    published = app_client.post(PLAN + "/publish", headers=ado)
    assert published.status_code == 200 and published.json()["status"] == "published"

    world.publish("plan-0001")
    public = app_client.get(PLAN).json()
    assert public["entries"][0]["adherence"] == "on_time"
    assert public["adherence"]["on_time_share"] == 1.0
    assert [p["period"] for p in app_client.get(PLANS, params={"agency": "dph"}).json()] == [
        "2026-2027"
    ]
    assert app_client.get(f"{PLAN}/entries/{entry_id}").json()["title"].startswith("Lead")
    exported = app_client.get(PLAN + "/export", params={"format": "csv"})
    assert exported.headers["content-disposition"].endswith('"odap-dph-2026-2027.csv"')
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows[0]["Adherence"] == "Released on time"
    xlsx = app_client.get(PLAN + "/export", params={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    gone = app_client.delete(f"{PLAN}/entries/{entry_id}", headers=steward)
    assert gone.status_code == 409  # a published plan keeps its entries


def test_plan_input_is_checked(world: World, app_client: TestClient, bearer: Headers) -> None:
    ado = bearer("ado@dph.ct.gov")
    bad_period = app_client.post(PLANS, json={"agency": "dph", "period": "2026"}, headers=ado)
    assert bad_period.status_code == 400
    assert "two consecutive years" in bad_period.json()["error"]["message"]
    assert app_client.post(PLANS, json={"agency": "dph", "period": "2026-2027"}, headers=ado)
    again = app_client.post(PLANS, json={"agency": "dph", "period": "2026-2027"}, headers=ado)
    assert again.status_code == 409
    no_target = app_client.post(PLAN + "/entries", json={"title": "Births"}, headers=ado)
    assert no_target.status_code == 400 and "target date" in no_target.json()["error"]["message"]
    bad_priority = app_client.post(
        PLAN + "/entries", json={"title": "B", "priority": "urgent"}, headers=ado
    )
    assert bad_priority.status_code == 400
    assert app_client.get(PLANS + "/dph/2030-2031", headers=ado).status_code == 404
    assert app_client.get(PLANS + "/dph/not-a-period", headers=ado).status_code == 404
    assert app_client.get(PLANS + "/nope/2026-2027").status_code == 404
    export = app_client.get(PLAN + "/export", params={"format": "pdf"}, headers=ado)
    assert export.status_code == 400
    empty = app_client.post(PLAN + "/from-inventory", headers=ado)
    assert empty.status_code == 409
    outsider = app_client.post(
        PLAN + "/entries",
        json={"title": "T", "target_date": "2026-05-01"},
        headers=bearer("steward@opm.ct.gov"),
    )
    assert outsider.status_code == 403


def _cells(level: int) -> dict[str, dict[str, int]]:
    return {e: dict.fromkeys(maturity.DIMENSION_IDS, level) for e in maturity.ELEMENT_IDS}


def test_a_maturity_assessment_through_the_api(
    world: World, app_client: TestClient, bearer: Headers
) -> None:
    ado = bearer("ado@dph.ct.gov")
    base = "/api/v1/assessments/maturity/dph"
    assert app_client.post(base, headers=bearer("steward@dph.ct.gov")).status_code == 403
    assert app_client.post(base, headers=ado).status_code == 201
    incomplete = app_client.post(base + "/1/complete", headers=ado)
    assert (
        incomplete.status_code == 400 and len(incomplete.json()["error"]["data"]["unrated"]) == 30
    )
    out_of_range = app_client.patch(
        base + "/1", json={"ratings": {"analytics": {"people": 7}}}, headers=ado
    )
    assert out_of_range.status_code == 400
    rated = app_client.patch(base + "/1", json={"ratings": _cells(2)}, headers=ado)
    assert rated.json()["rated"] == 30
    assert app_client.get(base + "/1").status_code == 401  # drafts are staff-only
    assert app_client.post(base + "/1/complete", headers=ado).json()["status"] == "completed"
    assert app_client.post(base, headers=ado).json()["number"] == 2
    app_client.patch(base + "/2", json={"ratings": {"metadata": {"policies": 4}}}, headers=ado)
    app_client.post(base + "/2/complete", headers=ado)
    second = app_client.get(base + "/2").json()  # public once completed
    row = next(r for r in second["rows"] if r["element"] == "metadata")
    policies = next(c for c in row["cells"] if c["dimension"] == "policies")
    assert (policies["previous"], policies["level"], policies["direction"]) == (2, 4, "up")
    assert second["summary"] is None and row["note"] is None
    assert [a["number"] for a in app_client.get(base).json()] == [2, 1]


def test_an_ethics_assessment_and_its_risk_through_the_api(
    world: World, app_client: TestClient, bearer: Headers
) -> None:
    steward = bearer("steward@dph.ct.gov")
    base = "/api/v1/assessments"
    made = app_client.post(base + "/ethics", json={"dataset_id": "plan-0001"}, headers=steward)
    assert made.status_code == 201, made.text
    ident = made.json()["id"]
    scores = {p: {"score": 4} for p in ("public_benefit", "diverse_expertise", "data_quality")}
    scores |= {"legal_compliance": {"score": 5}, "wider_implications": {"score": 0}}
    scored = app_client.patch(f"{base}/ethics/{ident}", json={"scores": scores}, headers=steward)
    risk = scored.json()["risks"][0]
    assert risk["principle"] == "wider_implications" and not risk["ready"]
    blocked = app_client.post(f"{base}/ethics/{ident}/complete", headers=steward)
    assert blocked.status_code == 400
    assert blocked.json()["error"]["data"]["errors"] == [
        "the risk on Wider implications needs an owner and a mitigation"
    ]
    owned = app_client.patch(
        f"{base}/risks/{risk['id']}",
        json={"owner": "Privacy officer", "mitigation": "Aggregate to county"},
        headers=steward,
    )
    assert owned.json()["ready"] is True
    assert app_client.post(f"{base}/ethics/{ident}/complete", headers=steward).status_code == 200
    listed = app_client.get(base + "/risks", params={"status": "open"}, headers=steward).json()
    assert [r["id"] for r in listed] == [risk["id"]]
    closed = app_client.post(
        f"{base}/risks/{risk['id']}/close", json={"note": "Published by county"}, headers=steward
    )
    assert closed.json()["status"] == "closed"
    assert app_client.get(f"{base}/ethics/{ident}").status_code == 401
    assert app_client.get(base + "/ethics", headers=bearer("steward@opm.ct.gov")).json() == []
    assert (
        app_client.get(f"{base}/ethics/{ident}", headers=bearer("analyst@dph.ct.gov")).json()[
            "total"
        ]
        == 17
    )
    bad_score = app_client.patch(
        f"{base}/ethics/{ident}", json={"scores": {"public_benefit": {"score": 9}}}, headers=steward
    )
    assert bad_score.status_code == 400
