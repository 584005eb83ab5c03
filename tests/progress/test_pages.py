"""The progress pages with a test client: the dashboard and every figure's link, the report's
forms (narrative, submit, return, accept), errors shown on the page, refusals."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from steward.progress.figures import GOAL_IDS

from .conftest import REQUEST_TITLE, World

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
SignIn = Callable[[TestClient, str], str]
LINK = re.compile(r'class="figure-link" data-figure="([a-z_]+)" href="([^"]+)"')
# What each figure's records page lists in the demo world (a dataset title or a request).
EXPECTED = {
    "api_datasets": "Annual Population Estimates by Town",
    "metadata_standard": "COVID-19 Cases and Deaths by Race/Ethnicity",
    "on_schedule": "Municipal Grants and Reimbursements",
    "quality_score": "Accidental Drug Related Deaths",
    "request_acknowledge_days": REQUEST_TITLE,
    "usage_views": "COVID-19 Tests, Cases, and Deaths",
}


def test_every_figure_link_leads_to_its_records(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    world.inventory()
    sign_in(app_client, "cdo@ct.gov")
    page = app_client.get("/console/dashboard")
    assert page.status_code == 200 and page.text.count("<svg") >= 4
    links = LINK.findall(page.text)
    assert {key for key, _ in links} >= set(EXPECTED) | {"inventory_submitted", "maturity"}
    for key, href in set(links):
        target = app_client.get(href.replace("&amp;", "&"))
        assert target.status_code == 200, (key, href)
        if key in EXPECTED and "agency" not in href:  # the state-wide figures
            assert EXPECTED[key] in target.text, (key, href)
        if key in EXPECTED and "agency=dph" in href:
            expected = REQUEST_TITLE if key.startswith("request") else "Annual Population"
            assert expected in target.text, (key, href)
            assert "Municipal Grants" not in target.text, (key, href)
    drill = app_client.get("/console/dashboard/agencies/dph")
    assert drill.status_code == 200 and "Annual Population Estimates by Town" in drill.text


def test_the_report_forms(world: World, app_client: TestClient, sign_in: SignIn) -> None:
    csrf = sign_in(app_client, "cdo@ct.gov")
    form = {
        "name": "FY 2026",
        "starts_on": "2025-07-01",
        "ends_on": "2026-06-30",
        "due_on": "2099-09-30",
    }
    bad = app_client.post(
        "/console/progress", data={**form, "ends_on": "2025-01-01", "csrf_token": csrf}
    )
    assert bad.status_code == 400 and "end on or after" in bad.text
    opened = app_client.post(
        "/console/progress", data={**form, "csrf_token": csrf}, follow_redirects=False
    )
    assert (
        opened.status_code == 303
        and opened.headers["location"] == "/console/progress/1?done=opened"
    )
    assert "Department of Public Health" in app_client.get("/console/progress/1").text
    csrf = sign_in(app_client, "ado@dph.ct.gov")
    url = "/console/progress/1/dph"
    refused = app_client.post(url + "/submit", data={"csrf_token": csrf})
    assert refused.status_code == 400 and "narrative of every goal" in refused.text
    narratives = {f"narrative_{goal}": f"Page {goal}" for goal in GOAL_IDS}
    saved = app_client.post(url + "/narrative", data={**narratives, "csrf_token": csrf})
    assert saved.status_code == 200 and "Page publish" in saved.text
    assert "submitted" in app_client.post(url + "/submit", data={"csrf_token": csrf}).text
    assert app_client.get("/console/progress/1").status_code == 403
    csrf = sign_in(app_client, "cdo@ct.gov")
    empty = app_client.post(url + "/return", data={"comment": "", "csrf_token": csrf})
    assert empty.status_code == 400
    back = app_client.post(url + "/return", data={"comment": "Say more", "csrf_token": csrf})
    assert "Returned by cdo@ct.gov: Say more" in back.text
    csrf = sign_in(app_client, "ado@dph.ct.gov")
    app_client.post(url + "/submit", data={"csrf_token": csrf})
    csrf = sign_in(app_client, "cdo@ct.gov")
    assert (
        "The report was accepted"
        in app_client.post(url + "/accept", data={"csrf_token": csrf}).text
    )
    pdf = app_client.get("/console/progress/1/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_strangers_are_kept_out(world: World, app_client: TestClient, sign_in: SignIn) -> None:
    assert (
        app_client.get("/console/dashboard", follow_redirects=False)
        .headers["location"]
        .startswith("/login")
    )
    sign_in(app_client, "ado@opm.ct.gov")
    assert app_client.get("/console/dashboard").status_code == 403
    assert app_client.get("/console/dashboard/agencies/dph").status_code == 403
    assert (
        app_client.get("/console/dashboard/datasets?freshness=nope&agency=opm").status_code == 400
    )
