"""The access history and the consent registry in a real browser (Debian's Chromium driven by
Playwright; JavaScript is on only so that axe-core can run): the ADO sees only their agency's
entries and filters them, the CDO sees every agency's; the ADO records an opt-out through the
form, looks the person up, revokes it, and the identifiers never show on the page. axe-core
checks each page for serious or critical problems.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.audit import log
from steward.consent import service as consent
from steward.consent.schemas import ProgramCreate

from .conftest import World

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
PASSWORD = "audit-browser-password-1"
PURPOSE = "Evaluate home visiting outcomes"


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
        for email in ("ado@dph.ct.gov", "cdo@ct.gov"):
            accounts.reset_password(session, SYSTEM, email, PASSWORD)
        details = {"agreement_id": 7, "purpose": PURPOSE, "row_count": 60}
        log.append(
            session,
            actor="analyst@dss.ct.gov",
            action="data.read",
            dataset_id="dphx-0001",
            details=details,
        )
        log.append(session, actor="someone@dss.ct.gov", action="data.read", dataset_id="dssx-0001")
        program = {"key": "home-visits", "name": "Home visits", "agency": "dph"}
        consent.create_program(session, SYSTEM, ProgramCreate.model_validate(program))
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


def test_the_access_history_is_filtered_by_agency(browser: Any, base_url: str) -> None:
    ado = person(browser, base_url, "ado@dph.ct.gov")
    ado.goto(base_url + "/console")
    ado.get_by_role("link", name="Access history (audit log)").click()
    table = ado.get_by_role("table").inner_text()
    assert "dphx-0001" in table and PURPOSE in table and "dssx-0001" not in table
    ado.get_by_label("Action").fill("dataset.publish")
    ado.get_by_role("button", name="Filter").click()
    assert "No entries match." in ado.content()
    ado.get_by_label("Action").fill("data.read")
    ado.get_by_label("Dataset").fill("dphx-0001")
    ado.get_by_role("button", name="Filter").click()
    assert "analyst@dss.ct.gov" in ado.get_by_role("table").inner_text()
    ado_problems = serious_problems(ado)

    cdo = person(browser, base_url, "cdo@ct.gov")
    cdo.goto(base_url + "/console/audit?action=data.read")
    table = cdo.get_by_role("table").inner_text()
    assert "dphx-0001" in table and "dssx-0001" in table
    assert (ado_problems, serious_problems(cdo)) == ([], [])


def test_a_consent_is_recorded_looked_up_and_revoked(browser: Any, base_url: str) -> None:
    ado = person(browser, base_url, "ado@dph.ct.gov")
    ado.goto(base_url + "/console")
    ado.get_by_role("link", name="Consent registry").click()
    assert "No records yet." in ado.content()

    def fill_person(form: Any) -> None:
        form.get_by_label("Last name").fill("Quintero")
        form.get_by_label("First name").fill("Lucia")
        form.get_by_label("Date of birth").fill("1977-05-06")

    record = ado.get_by_role("form", name="Record a decision")
    fill_person(record)
    record.get_by_label("Decision").select_option("opt_out")
    record.get_by_label("Purpose").fill("research")
    record.get_by_role("button", name="Record").click()
    assert ado.get_by_role("status").inner_text() == "The decision was recorded."
    latest = ado.get_by_role("table").inner_text()
    assert "opt_out" in latest and "Quintero" not in ado.content()
    problems = serious_problems(ado)

    lookup = ado.get_by_role("form", name="Look up a person")
    fill_person(lookup)
    lookup.get_by_label("Purpose").fill("research")
    lookup.get_by_role("button", name="Look up").click()
    assert "Excluded for research" in ado.get_by_role("heading", level=3).inner_text()

    revoke = ado.get_by_role("form", name="Revoke")
    fill_person(revoke)
    revoke.get_by_label("Purpose").fill("research")
    revoke.get_by_role("button", name="Record the revocation").click()
    assert ado.get_by_role("status").inner_text() == "The revocation was recorded."
    assert "revoked" in ado.get_by_role("table").inner_text()

    lookup = ado.get_by_role("form", name="Look up a person")  # someone with no record
    lookup.get_by_label("Last name").fill("Nobody")
    lookup.get_by_label("First name").fill("Known")
    lookup.get_by_label("Date of birth").fill("1980-01-01")
    lookup.get_by_label("Purpose").fill("research")
    lookup.get_by_role("button", name="Look up").click()
    assert "Released for research" in ado.get_by_role("heading", level=3).inner_text()
    assert "Quintero" not in ado.content() and "Nobody" not in ado.content()
    assert problems == []
