"""A problem reported on a public dataset page travels to the agency stewards' queue and back
to the reporter's private status page, in a real browser (Debian's Chromium driven by
Playwright) with JavaScript off: the form is plain HTML."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from steward.app import create_app
from steward.config import Settings
from steward.db import Database
from steward.quality import feedback
from steward.quality.schemas import FeedbackCreate, FeedbackUpdate

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROBLEM = "Hartford's total cases for 2020-05-01 look doubled."


@pytest.fixture(scope="module")
def base_url(demo_settings: Settings, live_server: Any) -> Iterator[str]:
    with live_server(create_app(demo_settings)) as base:
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


def test_a_report_travels_to_the_stewards_and_back(
    browser: object, base_url: str, demo_db: Database
) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base_url + "/d/28fr-iqnx")
    page.get_by_role("link", name="Report a problem with this data").click()
    page.get_by_label("What is wrong? (required)").fill(PROBLEM)
    page.get_by_label("Which field (optional)").select_option("total_cases")
    page.get_by_label("Which row (optional)").fill("Hartford, 2020-05-01")
    page.get_by_label("Your email (optional)").fill("resident@example.org")
    page.get_by_role("button", name="Send report").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your report: received"
    assert page.get_by_role("status").is_visible()
    private = page.url.split("?")[0]

    with demo_db.session() as session:  # the DPH stewards work through their queue
        (item,) = [i for i in feedback.queue(session, agency="dph") if i.message == PROBLEM]
        assert (item.field, item.email) == ("total_cases", "resident@example.org")
        feedback.set_status(session, item.id, FeedbackUpdate(status="acknowledged"), "dph")
        fixed = FeedbackUpdate(status="fixed", fixed_in_version=1, note="Corrected upstream")
        feedback.set_status(session, item.id, fixed, "dph")

    page.goto(private)
    assert page.get_by_role("heading", level=1).inner_text() == "Your report: fixed"
    assert page.get_by_role("link", name="version 1").is_visible()
    assert "Corrected upstream" in page.locator("ol.history").inner_text()
    page.goto(base_url + "/d/28fr-iqnx")
    assert "1 fixed" in page.locator("#feedback + p").inner_text()
    context.close()


@pytest.mark.parametrize(
    "path",
    ["/d/28fr-iqnx/feedback", "/d/28fr-iqnx/quality", "/d/rybz-nyjw/quality", "/feedback/"],
    ids=["form", "quality", "quality-restricted", "status"],
)
def test_no_serious_accessibility_violations(
    browser: object, base_url: str, demo_db: Database, path: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    if path == "/feedback/":
        with demo_db.session() as session:
            token, _ = feedback.submit(session, "28fr-iqnx", FeedbackCreate(message=PROBLEM))
        path += token + "?sent=1"
    page = browser.new_page(viewport={"width": 1280, "height": 1000})  # type: ignore[attr-defined]
    page.goto(base_url + path)
    assert page.title() and page.get_by_role("heading", level=1).is_visible()
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    page.close()
    assert serious == [], [(v["id"], v["help"], v["nodes"][0]["target"]) for v in serious]
