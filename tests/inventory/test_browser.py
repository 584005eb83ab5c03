"""The inventory cycle in a real browser (Debian's Chromium driven by Playwright) with JavaScript
off, as the people who do it: the CDO opens the cycle, the ADO adds an entry and submits, the CDO
returns it with a comment, the ADO fixes and resubmits, the CDO accepts, and the CSV link
downloads a file holding the entry. axe-core checks the console pages for serious problems.

Screenshots go to docs/screenshots/ when STEWARD_SCREENSHOTS=1.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.inventory import assets, service
from steward.inventory.schemas import AssetCreate, CycleCreate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database", ["sqlite"], indirect=True),
]
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
PASSWORD = "inventory-password-1"
SUBMISSION = "/console/inventory/2026/dph"


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
def base_url(world, live_server: Any) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with world.database.session() as session:
        for email in ("cdo@ct.gov", "ado@dph.ct.gov"):
            accounts.reset_password(session, SYSTEM, email, PASSWORD)
    with live_server(create_app(world.settings)) as base:
        yield base


def shoot(page: Any, name: str) -> None:
    if SHOTS:
        folder = ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def person(browser: Any, base_url: str, email: str, *, javascript: bool = False) -> Any:
    """A browser window of its own, signed in through the login form."""
    context = browser.new_context(java_script_enabled=javascript, accept_downloads=True)
    page = context.new_page()
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_a_full_inventory_cycle_in_the_browser(browser: Any, base_url: str) -> None:
    cdo = person(browser, base_url, "cdo@ct.gov")
    cdo.goto(base_url + "/console/inventory")
    cdo.get_by_label("Year").fill("2026")
    cdo.get_by_label("Due date").fill("2026-03-31")
    cdo.get_by_role("button", name="Open cycle").click()
    assert cdo.get_by_role("heading", level=1).inner_text() == "2026 high-value data inventory"

    ado = person(browser, base_url, "ado@dph.ct.gov")
    ado.goto(base_url + "/console/inventory")
    ado.get_by_role("link", name="Department of Public Health").click()
    ado.get_by_role("link", name="Add an entry").click()
    ado.get_by_label("Name (required)").fill("Syndromic surveillance visits")
    ado.get_by_label("System of record").fill("EpiCenter")
    ado.get_by_label("Criterion C: the data can improve public knowledge").check()
    ado.get_by_label("Justification for criterion C").fill("Shows what brings people to the ER")
    ado.get_by_role("group", name="Classification (required)").get_by_label("protected").check()
    ado.get_by_label("Protected health information (PHI)").check()
    ado.get_by_role("group", name="Access level (required)").get_by_label("non-public").check()
    ado.get_by_label("Reason the data is not public").fill("Visit-level health records")
    ado.get_by_role("group", name="Open-data status (required)").get_by_label("planned").check()
    ado.get_by_role("button", name="Add entry").click()
    assert ado.get_by_role("alert").is_visible()  # no planned date: the form says so, by the field
    ado.get_by_role(
        "link", name="the open-data status is planned, so give the planned date"
    ).click()
    ado.get_by_label("Planned publication date").fill("2026-10-01")
    ado.get_by_role("button", name="Add entry").click()
    assert ado.get_by_role("status").inner_text() == "The entry was added."
    ado.get_by_role("button", name="Submit inventory").click()
    assert "submitted to the Chief Data Officer" in ado.get_by_role("status").inner_text()

    cdo.goto(base_url + SUBMISSION)
    cdo.get_by_label("What needs to change (required to return)").fill("Name the data custodian")
    cdo.get_by_role("button", name="Return to the agency").click()
    assert "returned to the agency" in cdo.get_by_role("status").inner_text()

    ado.goto(base_url + SUBMISSION)
    assert "Name the data custodian" in ado.locator(".review-comment").inner_text()
    ado.get_by_role("link", name="Syndromic surveillance visits").click()
    ado.get_by_label("Data custodian").fill("DPH Informatics")
    ado.get_by_role("button", name="Save entry").click()
    ado.get_by_label("Note for the reviewer (optional)").fill("Custodian added")
    ado.get_by_role("button", name="Submit inventory").click()

    cdo.goto(base_url + SUBMISSION)
    cdo.get_by_role("button", name="Accept inventory").click()
    assert cdo.get_by_role("status").inner_text() == "The inventory was accepted."
    assert "Custodian added" in cdo.locator("ol.history").inner_text()
    with cdo.expect_download() as info:
        cdo.get_by_role("link", name="CSV").click()
    with open(info.value.path(), newline="", encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["Asset name"], row["Data custodian"], row["Submission status"]) == (
        "Syndromic surveillance visits",
        "DPH Informatics",
        "accepted",
    )
    assert (row["Criterion C: Public knowledge"], row["Contains PHI"]) == ("Yes", "Yes")
    cdo.context.close()
    ado.context.close()


def test_the_console_pages_have_no_serious_accessibility_problems(
    browser: Any,
    base_url: str,
    world,  # type: ignore[no-untyped-def]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    with world.database.session() as session:
        service.open_cycle(session, world.cdo, CycleCreate(year=2026, due_date=date(2026, 3, 31)))
        entry = AssetCreate(
            dataset_id="hvd0-0001",
            criteria={
                "H": {"applies": True, "justification": "Federal vital statistics reporting"}
            },
            open_data_status="not publishable",
            not_publishable_reason="Identifies people",
        )
        asset = assets.add_asset(session, world.steward, 2026, "dph", entry)
        service.submit(session, world.ado, 2026, "dph")
        service.return_submission(session, world.cdo, 2026, "dph", "Add the legal authority")
    pages = {
        "inventory-cycles": "/console/inventory",
        "inventory-dashboard": "/console/inventory/2026",
        "inventory-submission": SUBMISSION,
        "inventory-entry": f"{SUBMISSION}/assets/{asset.id}",
        "inventory-new-entry": f"{SUBMISSION}/assets/new?dataset=hvd0-0002",
    }
    cdo = person(browser, base_url, "cdo@ct.gov", javascript=True)
    cdo.set_viewport_size({"width": 1280, "height": 1000})
    problems = {}
    for name, path in pages.items():
        cdo.goto(base_url + path)
        shoot(cdo, name)
        violations = Axe().run(cdo).response["violations"]
        serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
        if serious:
            problems[name] = [(v["id"], v["nodes"][0]["target"]) for v in serious]
    cdo.goto(base_url + f"{SUBMISSION}/assets/new")
    cdo.get_by_role("button", name="Add entry").click()  # every required choice missing
    assert cdo.get_by_role("alert").is_visible()
    violations = Axe().run(cdo).response["violations"]
    serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
    if serious:
        problems["inventory-entry-errors"] = [(v["id"], v["nodes"][0]["target"]) for v in serious]
    cdo.context.close()
    assert problems == {}
