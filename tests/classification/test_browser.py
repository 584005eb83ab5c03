"""A steward signs in, answers the classification questionnaire for a dataset, confirms a
field and sees the result, in a real browser (Debian's Chromium driven by Playwright) with
JavaScript off; axe-core finds no serious problem on the questionnaire pages."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.accounts.schemas import RoleGrant, UserCreate
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog import versions
from steward.catalog.schemas import AgencyCreate, DatasetCreate
from steward.config import Settings
from steward.db import Database

from .conftest import PASSWORD, PEOPLE_CSV

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
STEWARD = "steward@dph.ct.gov"
PAGE = "/console/d/ppl0-0001/classification"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, live_server: Any) -> Iterator[str]:
    """A store with one person-level dph dataset and its steward, served for real."""
    root = tmp_path_factory.mktemp("classify")
    settings = Settings(data_dir=root / "data", _env_file=None)  # type: ignore[call-arg]
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    source = root / "clinic.csv"
    source.write_text(PEOPLE_CSV, encoding="utf-8")
    with database.session() as session:
        catalog.create_agency(session, SYSTEM, AgencyCreate(slug="dph", name="Public Health"))
        grant = RoleGrant(role="steward", agency="dph")
        user = UserCreate(email=STEWARD, name="Sam Steward", password=PASSWORD, roles=[grant])
        accounts.create_user(session, SYSTEM, user)
        data = DatasetCreate(id="ppl0-0001", agency="dph", title="Clinic visits")
        catalog.create_dataset(session, SYSTEM, data)
        versions.ingest_version(session, SYSTEM, settings.data_dir, "ppl0-0001", source)
    database.dispose()
    with live_server(create_app(settings)) as base:
        yield base


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


@contextmanager
def signed_in(browser: Any, base_url: str, *, javascript: bool) -> Iterator[Any]:
    """A fresh browser context in which the steward has signed in (on the login page)."""
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 1280, "height": 1000}
    )
    page = context.new_page()
    page.goto(f"{base_url}/login?next={PAGE}")
    page.get_by_label("Email").fill(STEWARD)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "/login" not in page.url, page.content()
    try:
        yield page
    finally:
        context.close()


def test_a_steward_classifies_a_dataset_and_confirms_a_field(browser: Any, base_url: str) -> None:
    # No JavaScript: the questionnaire and the field table are plain forms.
    with signed_in(browser, base_url, javascript=False) as page:
        _classify(page)


def _classify(page: Any) -> None:
    assert page.get_by_role("heading", level=1).inner_text() == "Classification: Clinic visits"
    assert "No classification assessment yet" in page.get_by_role("status").first.inner_text()
    ssn_row = page.locator("#field-ssn")
    assert "values look like SSNs (100% of 4 sampled)" in ssn_row.inner_text()

    answers = {
        "Does each row describe one person": "Yes",
        "Does the data contain direct identifiers": "Yes",
        "Could someone be recognized": "Yes",
        "Is any of the information specially protected": "Yes",
        "Is the data exempt from public disclosure": "No",
    }
    for question, answer in answers.items():
        group = page.get_by_role("group", name=question)
        group.get_by_label(answer, exact=True).check()
    page.get_by_role("group", name="Confidentiality", exact=True).get_by_label("High").check()
    page.get_by_role("group", name="Integrity", exact=True).get_by_label("Moderate").check()
    page.get_by_role("group", name="Availability", exact=True).get_by_label("Low").check()
    page.get_by_label("Rationale").fill("Clinic visits of named patients: health records.")
    page.get_by_role("button", name="Record the assessment").click()

    assert "The assessment was recorded." in page.get_by_role("status").first.inner_text()
    result = page.locator("#result").inner_text()
    assert "Private" in result and "by steward@dph.ct.gov" in result
    assert "Clinic visits of named patients: health records." in result
    assert "specially protected by statute" in result

    page.get_by_label("Level of diagnosis", exact=True).select_option("private")
    page.get_by_label("Reason for diagnosis", exact=True).fill("HIPAA protected health information")
    page.get_by_role("button", name="Confirm the level of diagnosis").click()
    assert (
        "The classification of field diagnosis was recorded."
        in page.get_by_role("status").first.inner_text()
    )
    row = page.locator("#field-diagnosis").inner_text()
    assert "Private by steward@dph.ct.gov" in row and "HIPAA" in row
    history = page.locator("#history").inner_text()
    assert "diagnosis" in history and "Clinic visits of named patients" in history


@pytest.mark.parametrize("path", [PAGE, PAGE + "/fields/ssn"], ids=["dataset", "field"])
def test_no_serious_accessibility_violations(browser: Any, base_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    with signed_in(browser, base_url, javascript=True) as page:  # axe-core runs as a script
        page.goto(base_url + path)
        assert page.get_by_role("heading", level=1).is_visible()
        results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert serious == [], [(v["id"], v["help"], v["nodes"][0]["target"]) for v in serious]
