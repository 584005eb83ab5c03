"""Sharing in a real browser (Debian's Chromium driven by Playwright; the pages need no
JavaScript, which is on only so that axe-core can run): the ADO of dph drafts an agreement for
a dss analyst with two fields of a non-public dph dataset and makes it active; the analyst finds
it under "My grants", states a purpose and queries the data; the ADO then sees that read, with
its purpose, in the access history. axe-core checks each page for serious or critical problems.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.app import create_app

from .conftest import DATASET, PASSWORD, World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database", ["sqlite"], indirect=True),
]
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
ADO = "ado@dph.ct.gov"
ANALYST = "analyst@dss.ct.gov"
TITLE = "Home visiting program evaluation"
PURPOSE = "Quarterly evaluation tables for the legislature"


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
        for email in (ADO, ANALYST):
            accounts.reset_password(session, SYSTEM, email, PASSWORD)
    with live_server(create_app(world.settings)) as base:
        yield base


def person(browser: Any, base_url: str, email: str) -> Any:
    """A browser window of its own, signed in through the login form."""
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


def draft_and_activate(ado: Any, base_url: str, problems: dict[str, Any]) -> None:
    ado.goto(base_url + "/console")
    ado.get_by_role("link", name="Sharing agreements").click()
    ado.get_by_role("link", name="Draft an agreement").click()
    ado.get_by_label("Title (required)").fill(TITLE)
    ado.get_by_label("Recipient agency").select_option(label="Department of Social Services")
    ado.get_by_label("Authorized users").fill(ANALYST)
    for name in ("town", "diagnosis"):
        ado.locator(f'input[name="fields.{DATASET}"][value="{name}"]').check()
    ado.get_by_label("Permitted purposes").fill("Evaluate the home visiting program")
    ado.get_by_label("FERPA 34 CFR 99.31(a)(6)").check()
    ado.get_by_role("button", name="Check the draft").click()
    checklist = ado.get_by_role("region", name="Legal-authority checklist").inner_text()
    assert "6 of 7 required elements are missing" in checklist
    problems["form"] = serious_problems(ado)
    ado.get_by_label("FERPA 34 CFR 99.31(a)(6)").uncheck()  # not an education study after all
    ado.get_by_label("Effective date").fill("2026-01-01")
    ado.get_by_label("End date").fill("2026-06-30")
    ado.get_by_role("button", name="Save draft").click()
    assert "The agreement was drafted" in ado.get_by_role("status").inner_text()
    for label in ("Legal review", "Signed", "Active"):
        ado.get_by_label("New status").select_option(label=label)
        ado.get_by_label("Note").fill(f"{label} on the page")
        ado.get_by_role("button", name="Change status").click()
        assert ado.get_by_role("status").inner_text() == "The status was changed."
    assert "Active" in ado.locator("dl.meta").first.inner_text()
    problems["detail"] = serious_problems(ado)


def test_an_agreement_opens_access_that_the_ado_then_sees(
    browser: Any, base_url: str, world: World
) -> None:
    problems: dict[str, Any] = {}
    ado = person(browser, base_url, ADO)
    draft_and_activate(ado, base_url, problems)

    analyst = person(browser, base_url, ANALYST)
    analyst.goto(base_url + "/console/grants")
    grant = analyst.get_by_role("region", name=TITLE)
    assert "town, diagnosis" in grant.inner_text() and "none open" in grant.inner_text()
    grant.get_by_label("Purpose of this session of use").fill(PURPOSE)
    grant.get_by_role("button", name="State the purpose").click()
    assert "Your purpose was recorded" in analyst.get_by_role("status").inner_text()
    assert f"“{PURPOSE}”" in analyst.get_by_role("region", name=TITLE).inner_text()
    problems["grants"] = serious_problems(analyst)
    analyst.get_by_role("link", name="Query the first 100 rows").click()
    rows = json.loads(analyst.locator("body").inner_text())
    assert len(rows) == 60 and set(rows[0]) == {"town", "diagnosis"}

    ado.goto(base_url + "/console/audit")
    ado.get_by_label("Action").fill("data.read")
    ado.get_by_role("button", name="Filter").click()
    entries = ado.get_by_role("table").inner_text()
    assert ANALYST in entries and PURPOSE in entries and DATASET in entries
    problems["audit"] = serious_problems(ado)
    assert problems == {"form": [], "detail": [], "grants": [], "audit": []}
