"""A privacy release in a real browser (Debian's Chromium driven by Playwright; the pages need no
JavaScript, which is on only so that axe-core can run): a steward of the medical examiner's
office makes a table release of its person-level file with the form, reads the preview with
its primary and secondary cells and why; the data officer approves and publishes it, and a
visitor who is not signed in sees the published dataset. axe-core checks the console pages.

Screenshots go to docs/screenshots/ when STEWARD_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from steward.app import create_app

from .world import ME, PASSWORD, World, make_world

pytestmark = [pytest.mark.browser]
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
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


@pytest.fixture
def base_url(world: World, live_server: Any) -> Iterator[str]:
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


def make_release(steward: Any, base_url: str) -> None:
    steward.goto(base_url + "/console/privacy")
    steward.get_by_role("link", name="New release").click()
    steward.get_by_label("Dataset to release from").select_option(ME)
    steward.get_by_role("button", name="Show its columns").click()
    columns = steward.get_by_role("table", name=re.compile("^Columns of ")).inner_text()
    assert "residence_city" in columns and "date" in columns
    steward.get_by_label("Dataset for the table").select_option(ME)
    steward.get_by_label("Title of the release").fill("Overdose deaths by town and year")
    steward.get_by_label("Policy").select_option("cms")
    steward.get_by_label("Derived columns").fill("town=town:residence_city\nyear=year:date")
    steward.locator("#t-name1").fill("town_year")
    steward.locator("#t-dims1").fill("town=ct_town_county, year")
    steward.get_by_label("Add the percentage of the row total").first.check()
    steward.get_by_role("button", name="Build, protect and audit").click()


def test_a_release_is_made_approved_published_and_seen_by_the_public(
    browser: Any, base_url: str
) -> None:
    problems: dict[str, Any] = {}
    steward = person(browser, base_url, "steward@ocme.ct.gov")
    steward.goto(base_url + "/console/privacy/new")
    problems["new"] = serious_problems(steward)
    make_release(steward, base_url)
    assert steward.locator("#release-status").inner_text() == "draft"
    assert steward.locator("#release-audit").inner_text() == "passed"
    cells = steward.get_by_role("table", name="Every suppressed cell")
    primary = cells.get_by_role("row").filter(has_text="between 1 and 10").first
    assert "primary" in primary.inner_text()
    secondary = cells.get_by_role("row").filter(has_text="complementary").first
    why = secondary.inner_text()
    assert "secondary" in why and "cannot be worked out" in why
    assert "percent" in steward.locator("#release-rates").inner_text()
    assert steward.get_by_role("button", name="Approve the release").count() == 0  # its maker
    release_url = steward.url
    shoot(steward, "privacy-release")
    problems["release"] = serious_problems(steward)

    ado = person(browser, base_url, "ado@ocme.ct.gov")
    ado.goto(release_url)
    ado.get_by_role("button", name="Approve the release").click()
    assert "approved" in ado.get_by_role("status").inner_text()
    ado.get_by_role("button", name="Publish as a public dataset").click()
    assert "published as a public dataset" in ado.get_by_role("status").inner_text()
    link = ado.get_by_role("link", name="the public dataset")
    public_path = link.get_attribute("href")
    assert public_path and re.fullmatch(r"/d/[a-z0-9]{4}-[a-z0-9]{4}", public_path)

    visitor = person(browser, base_url)
    visitor.goto(base_url + public_path)
    heading = visitor.get_by_role("heading", level=1).inner_text()
    assert heading == "Overdose deaths by town and year"
    assert "Protected aggregate release" in visitor.content()
    visitor.goto(base_url + f"/d/{ME}/download.csv")
    assert "casenumber" not in visitor.content().lower()
    assert problems == {"new": [], "release": []}
