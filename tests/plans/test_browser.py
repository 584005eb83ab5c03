"""Plans and the maturity matrix in a real browser (Debian's Chromium driven by Playwright; the
pages need no JavaScript, which is on only so that axe-core can run): the ADO drafts and
publishes a plan, the dataset is published, and a visitor sees the release on time on the public
plan page; the ADO rates, completes and reads the maturity matrix, and the public sees it.
axe-core checks each page for serious or critical problems.

Screenshots go to docs/screenshots/ when STEWARD_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.plans import maturity

from .conftest import PASSWORD, World

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
    with world.database.session() as session:
        accounts.reset_password(session, SYSTEM, "ado@dph.ct.gov", PASSWORD)
    with live_server(create_app(world.settings)) as base:
        yield base


def shoot(page: Any, name: str) -> None:
    if SHOTS:
        folder = ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def person(browser: Any, base_url: str, email: str | None = None) -> Any:
    """A browser window of its own (signed in through the login form when an email is given)."""
    page = browser.new_context().new_page()
    if email is not None:
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


def test_a_plan_is_drafted_published_and_kept(browser: Any, base_url: str, world: World) -> None:
    problems: dict[str, Any] = {}
    ado = person(browser, base_url, "ado@dph.ct.gov")
    ado.goto(base_url + "/console/plans")
    ado.get_by_label("Plan period").fill("2026-2027")
    ado.get_by_label("Summary").fill("Release the data residents ask for most.")
    ado.get_by_role("button", name="Start plan").click()
    assert "The plan was created" in ado.get_by_role("status").inner_text()

    ado.get_by_role("button", name="Add entry").click()  # planned, but no target date
    assert "needs a target date" in ado.get_by_role("alert").inner_text()
    problems["plan-errors"] = serious_problems(ado)
    ado.get_by_label("Catalog dataset").select_option("plan-0001")
    ado.get_by_label("Priority").select_option("high")
    target = date.today() + timedelta(days=30)
    ado.get_by_label("Target date", exact=True).fill(target.isoformat())
    ado.get_by_label("Rationale").fill("Towns ask for it every spring.")
    ado.get_by_role("button", name="Add entry").click()
    assert ado.get_by_role("status").inner_text() == "The entry was added."
    ado.get_by_label("Already published (keep it available)").check()
    ado.get_by_label("Catalog dataset").select_option("plan-0002")
    ado.get_by_role("button", name="Add entry").click()
    ado.get_by_role("button", name="Publish plan").click()
    assert "was published" in ado.get_by_role("status").inner_text()
    problems["plan-console"] = serious_problems(ado)

    world.publish("plan-0001")  # the catalog moves on; nobody edits the plan
    visitor = person(browser, base_url)
    visitor.goto(base_url + "/plans")
    problems["plans-index"] = serious_problems(visitor)
    visitor.get_by_role("link", name="Department of Public Health").click()
    heading = visitor.get_by_role("heading", level=1).inner_text()
    assert heading == "Department of Public Health: Open Data Access Plan 2026-2027"
    row = visitor.get_by_role("row", name="Lead poisoning cases by town")
    assert "Released on time" in row.inner_text()
    assert "Published" in visitor.get_by_role("row", name="Licensed clinics").inner_text()
    shoot(visitor, "plan-public")
    problems["plan-public"] = serious_problems(visitor)
    assert problems == {"plan-errors": [], "plan-console": [], "plans-index": [], "plan-public": []}


def test_the_maturity_matrix_is_rated_and_shown(browser: Any, base_url: str) -> None:
    ado = person(browser, base_url, "ado@dph.ct.gov")
    ado.goto(base_url + "/console/assessments")
    ado.get_by_role("button", name="Start a self-assessment of Department of Public Health").click()
    assert ado.get_by_role("heading", level=1).inner_text().endswith("maturity assessment 1")
    for element in maturity.ELEMENTS:
        for _, label in maturity.DIMENSIONS:
            level = "4" if element.id == "security_privacy" else "2"
            ado.get_by_label(f"{label} for {element.label}").select_option(level)
    ado.get_by_label("Notes on Data quality").fill("No profiling of registries yet")
    ado.get_by_role("button", name="Save ratings").click()
    assert ado.get_by_role("status").inner_text() == "Saved."
    ado.get_by_role("button", name="Complete assessment").click()
    assert ado.get_by_role("status").inner_text() == "The assessment was completed."
    matrix = ado.get_by_role("table", name="Governance maturity of Department of Public Health")
    security = matrix.get_by_role("row", name="Security and privacy").inner_text()
    assert "4 Managed" in security and "No profiling" in matrix.inner_text()
    assert ado.get_by_role("img", name="Governance maturity of Department of Public Health").count()
    shoot(ado, "maturity-console")
    console_problems = serious_problems(ado)

    visitor = person(browser, base_url)
    visitor.goto(base_url + "/agencies/dph/maturity")
    assert "overall 2.2 of 5 (Repeatable)" in visitor.locator("p.lead").inner_text()
    assert "No profiling" not in visitor.content()  # notes stay with the agency
    public_problems = serious_problems(visitor)
    assert (console_problems, public_problems) == ([], [])
