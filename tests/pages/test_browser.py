"""A person using the portal in a real browser (Debian's Chromium driven by Playwright), with and
without JavaScript, and axe-core checking every page type for serious accessibility problems.

Screenshots of each page type go to docs/screenshots/ when STEWARD_SCREENSHOTS=1.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from steward.app import create_app
from steward.config import Settings

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = os.environ.get("STEWARD_SCREENSHOTS") == "1"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def base_url(portal_settings: Settings, live_server: Any) -> Iterator[str]:
    with live_server(create_app(portal_settings)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        if os.environ.get("STEWARD_REQUIRE_ALL_TESTS") == "1":
            pytest.fail("required in CI: Chromium is not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def shoot(page: object, name: str) -> None:
    if SHOTS:
        folder = ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"))  # type: ignore[attr-defined]


def find_filter_download_flow(browser: object, base_url: str, *, javascript: bool) -> list[dict]:
    context = browser.new_context(java_script_enabled=javascript, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base_url + "/")
    page.get_by_role("searchbox", name="Search datasets").fill("covid")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="COVID-19 Tests, Cases, and Deaths (By Town)").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("COVID-19 Tests")
    page.get_by_text("Filter rows").click()
    page.get_by_label("Town equals").fill("Hartford")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Last update date").click()
    page.get_by_role("link", name="Last update date").click()  # again: newest first
    first_row = page.locator("table tbody tr").first.inner_text()
    assert "Hartford" in first_row and "2021-01-12" in first_row
    page.get_by_label("Group by").select_option("last_update_date")
    page.get_by_label("Measure", exact=True).select_option("sum:total_cases")
    page.get_by_role("button", name="Draw chart").click()
    assert page.locator("#chart ~ .figure svg").count() == 1
    assert page.get_by_role("table", name="Total of Total cases by Last update date").is_visible()
    page.get_by_role("button", name="Draw map").click()
    assert page.locator("#map ~ .figure svg path").count() >= 169
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV (filtered rows)").click()
    with open(info.value.path(), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    context.close()
    return rows


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_search_open_filter_sort_download(browser: object, base_url: str, javascript: bool) -> None:
    rows = find_filter_download_flow(browser, base_url, javascript=javascript)
    assert len(rows) == 236
    assert {row["town"] for row in rows} == {"Hartford"}
    dates = [row["last_update_date"] for row in rows]
    assert dates == sorted(dates, reverse=True)


PAGES = {
    "home": "/",
    "search": "/browse?q=covid",
    "dataset": "/d/28fr-iqnx?eq.town=Hartford",
    "dataset-chart": "/d/28fr-iqnx?chart=town&measure=sum:total_deaths#chart",
    "dataset-map": "/d/dphp-0pop?eq.year=2020&eq.measure_type=Number&map=sum:value#map",
    "dataset-restricted": "/d/rybz-nyjw",
    "agency": "/agencies/dph",
    "about": "/about",
    "api-docs": "/api-docs",
    "error-400": "/d/28fr-iqnx?min.total_cases=abc",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations(browser: object, base_url: str, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1280, "height": 1000})  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base_url + PAGES[name])
    shoot(page, name)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    page.close()
    assert serious == [], [(v["id"], v["help"], v["nodes"][0]["target"]) for v in serious]
    assert all(url.startswith(base_url) for url in requests), "a page asked another host"
