"""The CDO dashboard in a real browser (Debian's Chromium driven by Playwright): the CDO signs
in, the dashboard shows its charts (non-empty SVGs), and every figure's link opens a page that
lists its records; the CDO opens a period and the ADO writes and submits the report. axe-core
checks the dashboard for serious or critical problems."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.progress.figures import GOALS

from .conftest import PASSWORD, REQUEST_TITLE, World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database", ["sqlite"], indirect=True),
]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        if os.environ.get("STEWARD_REQUIRE_ALL_TESTS") == "1":
            pytest.fail("required in CI: Chromium is not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def base_url(world: World, live_server: Any) -> Iterator[str]:
    world.inventory()
    with world.database.session() as session:
        for email in ("cdo@ct.gov", "ado@dph.ct.gov"):
            accounts.reset_password(session, SYSTEM, email, PASSWORD)
    with live_server(create_app(world.settings)) as base:
        yield base


def person(browser: Any, base_url: str, email: str) -> Any:
    page = browser.new_context().new_page()
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def serious_problems(page: Any) -> list[tuple[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        (v["id"], v["nodes"][0]["target"])
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


def test_the_dashboard_shows_charts_and_links_to_the_records(
    browser: Any, base_url: str, world: World
) -> None:
    cdo = person(browser, base_url, "cdo@ct.gov")
    cdo.goto(base_url + "/console")
    cdo.get_by_role("link", name="CDO dashboard").click()
    assert cdo.get_by_role("heading", name="CDO dashboard", level=1).is_visible()
    charts = cdo.locator("figure.progress-chart svg")
    assert charts.count() >= 4
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
        assert charts.nth(index).locator("path, rect").count() > 0
    for goal in GOALS:
        assert cdo.get_by_role("heading", name=goal.title).is_visible()
    assert serious_problems(cdo) == []
    links = cdo.locator("a.figure-link")
    hrefs = sorted({links.nth(i).get_attribute("href") for i in range(links.count())})
    assert len(hrefs) >= 20
    expected = {
        "/browse?access=public": "Annual Population Estimates by Town",
        "/console/requests?status=all": REQUEST_TITLE,
        "/console/dashboard/datasets": "Accidental Drug Related Deaths",
        "/console/inventory/2026/dph": "Licensed clinics",
    }
    for href in hrefs:
        answer = cdo.goto(base_url + href)
        assert answer is not None and answer.status == 200, href
        if href in expected:
            assert expected[href] in cdo.content(), href
    cdo.goto(base_url + "/console/dashboard")
    cdo.get_by_role("link", name="Department of Public Health").first.click()
    assert cdo.get_by_role("heading", name="Department of Public Health: progress").is_visible()
    assert cdo.locator("figure.progress-chart svg").count() == 1


def test_a_period_is_opened_and_a_report_submitted(
    browser: Any, base_url: str, world: World
) -> None:
    cdo = person(browser, base_url, "cdo@ct.gov")
    cdo.goto(base_url + "/console/progress")
    cdo.get_by_label("Name").fill("FY 2026")
    cdo.get_by_label("First day (YYYY-MM-DD)").fill("2025-07-01")
    cdo.get_by_label("Last day (YYYY-MM-DD)").fill("2026-06-30")
    cdo.get_by_label("Reports due (YYYY-MM-DD)").fill("2099-09-30")
    cdo.get_by_role("button", name="Open the period").click()
    assert "pre-filled" in cdo.content()
    ado = person(browser, base_url, "ado@dph.ct.gov")
    ado.goto(base_url + "/console/progress")
    ado.get_by_role("link", name="Department of Public Health").click()
    for goal in GOALS:
        ado.get_by_label(f"Narrative: {goal.title}").fill(f"Browser narrative for {goal.id}")
    ado.get_by_role("button", name="Save the narrative").click()
    ado.get_by_role("button", name="Submit to the Chief Data Officer").click()
    assert "The report was submitted" in ado.content()
    cdo.goto(base_url + "/console/progress/1/dph")
    cdo.get_by_role("button", name="Accept the report").click()
    assert "The report was accepted" in cdo.content()
