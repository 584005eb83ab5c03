"""The plan and assessment pages through their forms, as the people who use them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from steward.plans import ethics, maturity

from .conftest import World, csrf_of

SignIn = Callable[[TestClient, str], None]
pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def _post(client: TestClient, page: str, url: str, data: dict[str, str]) -> object:
    token = csrf_of(client.get(page).text)
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)


def test_an_agency_drafts_and_publishes_its_plan(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    assert "has not published" in app_client.get("/agencies/dph/plan").text
    anonymous = app_client.get("/console/plans", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")

    sign_in(app_client, "ado@dph.ct.gov")
    bad = _post(app_client, "/console/plans", "/console/plans", {"agency": "dph", "period": "26"})
    assert bad.status_code == 400 and "two consecutive years" in bad.text  # type: ignore[attr-defined]
    made = _post(
        app_client, "/console/plans", "/console/plans", {"agency": "dph", "period": "2026-2027"}
    )
    plan = "/console/plans/dph/2026-2027"
    assert made.headers["location"] == plan + "?done=created"  # type: ignore[attr-defined]
    page = app_client.get(made.headers["location"])  # type: ignore[attr-defined]
    assert "The plan was created" in page.text and "Add entry" in page.text

    missing = _post(app_client, plan, plan + "/entries", {"kind": "planned", "title": "Births"})
    assert missing.status_code == 400  # type: ignore[attr-defined]
    assert "needs a target date" in missing.text  # type: ignore[attr-defined]
    target = (date.today() + timedelta(days=15)).isoformat()
    added = _post(
        app_client,
        plan,
        plan + "/entries",
        {"kind": "planned", "dataset_id": "plan-0001", "priority": "high", "target_date": target},
    )
    assert added.status_code == 303  # type: ignore[attr-defined]
    published_entry = {"kind": "published", "dataset_id": "plan-0002", "priority": "low"}
    _post(app_client, plan, plan + "/entries", published_entry)
    page = app_client.get(plan)
    assert "Lead poisoning cases by town" in page.text and "Not yet released" in page.text

    entry_url = plan + "/entries/1"
    form = app_client.get(entry_url)
    assert form.status_code == 200 and 'value="high" selected' in form.text
    saved = _post(
        app_client,
        entry_url,
        entry_url,
        {
            "kind": "planned",
            "dataset_id": "plan-0001",
            "priority": "medium",
            "target_date": target,
            "rationale": "Asked for by towns",
        },
    )
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert "Asked for by towns" in app_client.get(plan).text

    published = _post(app_client, plan, plan + "/publish", {})
    assert published.headers["location"].endswith("done=published")  # type: ignore[attr-defined]
    world.publish("plan-0001")
    public = app_client.get("/agencies/dph/plan")
    assert "Released on time" in public.text and "Licensed clinics" in public.text
    assert "/api/v1/plans/dph/2026-2027/export?format=xlsx" in public.text
    index = app_client.get("/plans")
    assert '<a href="/agencies/dph/plan">Department of Public Health</a>' in index.text
    assert "No plan published yet" in index.text  # the other agencies
    refused = _post(app_client, plan, entry_url + "/delete", {})
    assert refused.status_code == 409 and "keeps its entries" in refused.text  # type: ignore[attr-defined]


def test_an_analyst_reads_a_plan_but_has_no_forms(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    sign_in(app_client, "ado@dph.ct.gov")
    _post(app_client, "/console/plans", "/console/plans", {"agency": "dph", "period": "2026-2027"})
    sign_in(app_client, "analyst@dph.ct.gov")
    page = app_client.get("/console/plans/dph/2026-2027")
    assert page.status_code == 200 and "Add entry" not in page.text
    assert "Start plan" not in app_client.get("/console/plans").text
    sign_in(app_client, "steward@opm.ct.gov")
    assert app_client.get("/console/plans/dph/2026-2027").status_code == 403


def test_the_ado_rates_completes_and_publishes_a_maturity_matrix(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    sign_in(app_client, "ado@dph.ct.gov")
    started = _post(app_client, "/console/assessments", "/console/assessments/maturity/dph", {})
    url = "/console/assessments/maturity/dph/1"
    assert started.headers["location"] == url + "?done=started"  # type: ignore[attr-defined]
    ratings = {
        f"rating_{e}_{d}": str(3 if e != "data_quality" else 2)
        for e in maturity.ELEMENT_IDS
        for d in maturity.DIMENSION_IDS
    }
    ratings |= {"note_data_quality": "No profiling yet", "summary": "First assessment"}
    blocked = _post(app_client, url, url + "/complete", {})
    assert blocked.status_code == 400 and "30 of 30 cells are not rated" in blocked.text  # type: ignore[attr-defined]
    assert _post(app_client, url, url, ratings).status_code == 303  # type: ignore[attr-defined]
    page = app_client.get(url)
    assert "No profiling yet" in page.text and 'role="img"' in page.text
    assert _post(app_client, url, url + "/complete", {}).status_code == 303  # type: ignore[attr-defined]
    public = TestClient(app_client.app).get("/agencies/dph/maturity")
    assert "overall 2.9 of 5 (Defined)" in public.text
    assert "No profiling yet" not in public.text and "<svg" in public.text
    assert "has not completed" in app_client.get("/agencies/opm/maturity").text
    assert app_client.get("/agencies/dph/maturity?number=7").status_code == 404


def test_a_steward_runs_an_ethics_assessment_with_a_risk(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    sign_in(app_client, "steward@dph.ct.gov")
    new = app_client.get("/console/assessments/ethics/new")
    assert new.status_code == 200 and "plan-0001" in new.text
    made = _post(
        app_client,
        "/console/assessments/ethics/new",
        "/console/assessments/ethics",
        {"agency": "dph", "dataset_id": "plan-0001", "description": "A town map"},
    )
    url = made.headers["location"].split("?")[0]  # type: ignore[attr-defined]
    scores = {f"score_{p}": "4" for p in ethics.PRINCIPLE_IDS}
    scores |= {"score_wider_implications": "2", "notes_wider_implications": "Small towns"}
    assert _post(app_client, url, url, scores).status_code == 303  # type: ignore[attr-defined]
    page = app_client.get(url)
    assert "Risk 1: Wider implications (scored 2)" in page.text
    blocked = _post(app_client, url, url + "/complete", {})
    assert blocked.status_code == 400 and "needs an owner and a mitigation" in blocked.text  # type: ignore[attr-defined]
    risk = "/console/assessments/risks/1"
    owned = _post(app_client, url, risk, {"owner": "Epi lead", "mitigation": "Suppress < 5"})
    assert owned.headers["location"] == url + "?done=risk"  # type: ignore[attr-defined]
    assert _post(app_client, url, url + "/complete", {}).status_code == 303  # type: ignore[attr-defined]
    assert "Epi lead" in app_client.get("/console/assessments/risks").text
    closed = _post(app_client, url, risk + "/close", {"note": "Suppression applied"})
    assert closed.status_code == 303  # type: ignore[attr-defined]
    assert "Suppression applied" in app_client.get(url).text
    assert "No open risks" in app_client.get("/console/assessments/risks").text
    sign_in(app_client, "steward@opm.ct.gov")
    assert app_client.get(url).status_code == 403
