"""A steward at work in a real browser (Debian's Chromium driven by Playwright): signs in,
creates a dataset, uploads a CSV (with JavaScript: XMLHttpRequest with a progress bar; without:
the plain form), describes a field, publishes, and finds the description on the public page.
axe-core checks the console pages for serious accessibility problems."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.accounts.schemas import RoleGrant, UserCreate
from steward.app import create_app
from steward.classification import service as classification
from steward.config import Settings
from steward.db import Database
from steward.demo.loader import load_demo

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
PASSWORD = "console-browser-1"
DESCRIPTION = "The Connecticut town where the births were recorded."
# Records the upload form's status text and progress bar each time the script changes them, in
# sessionStorage, which outlives the navigation the script makes when the upload is done.
WATCH = """() => {
  const form = document.querySelector("form[data-upload]");
  const status = form.querySelector("[role=status], [role=alert]");
  const bar = form.querySelector("progress");
  sessionStorage.setItem("seen", "[]");
  new MutationObserver(() => {
    const seen = JSON.parse(sessionStorage.getItem("seen"));
    seen.push({status: status.textContent, shown: !bar.parentElement.hidden, value: bar.value});
    sessionStorage.setItem("seen", JSON.stringify(seen));
  }).observe(form, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


@pytest.fixture(scope="module")
def console_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("console-browser") / "data"
    settings = Settings(data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    load_demo(database, settings.data_dir)
    with database.session() as session:
        for email, role in [("steward@dph.ct.gov", "steward"), ("ado@dph.ct.gov", "ado")]:
            grant = RoleGrant(role=role, agency="dph")  # type: ignore[arg-type]
            person = UserCreate(
                email=email, name=role.title(), agency="dph", password=PASSWORD, roles=[grant]
            )
            accounts.create_user(session, SYSTEM, person)
    database.dispose()
    return settings


@pytest.fixture(scope="module")
def base_url(console_settings: Settings, live_server: Any) -> Iterator[str]:
    with live_server(create_app(console_settings)) as base:
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


@pytest.fixture(scope="module")
def births_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Big enough (about 1 MB) for the browser to report upload progress."""
    path = tmp_path_factory.mktemp("files") / "Births by town.csv"
    towns = ["Andover", "Ansonia", "Ashford", "Avon", "Barkhamsted", "Berlin", "Bethany"]
    lines = ["town,year,births"]
    lines += [f"{towns[i % 7]},{1990 + i // 7 % 30},{i % 97}" for i in range(60_000)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _sign_in(page: Any, base_url: str, email: str) -> None:
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/console")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_steward_publishes_a_new_dataset(
    browser: Any, base_url: str, console_settings: Settings, births_csv: Path, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    _sign_in(page, base_url, "steward@dph.ct.gov")
    page.get_by_role("link", name="New dataset for Department of Public Health").click()
    title = f"Births by town ({'script' if javascript else 'plain form'})"
    page.get_by_label("Title (required)").fill(title)
    page.get_by_label("Description").fill("Each row is a town and year.")
    page.get_by_label("Category").select_option("Health and Human Services")
    page.get_by_label("Keywords").fill("births, towns, vital statistics")
    page.get_by_role("button", name="Create the dataset").click()
    page.wait_for_url("**/console/d/*?done=created")
    assert "created as a draft" in page.get_by_role("status").first.inner_text()
    dataset_id = page.url.split("/console/d/")[1].split("?")[0]

    kinds: list[str] = []
    page.on("request", lambda r: kinds.append(r.resource_type) if "/versions" in r.url else None)
    if javascript:
        page.evaluate(WATCH)
    page.get_by_label("File", exact=True).set_input_files(births_csv)
    page.get_by_label("Notes kept with the version (optional)").fill("First load")
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url("**?done=v1*", timeout=30_000)
    assert "Version 1 was loaded." in page.get_by_role("status").first.inner_text()
    assert "Births by town.csv" in page.locator("#versions + div table").inner_text()
    if javascript:
        assert kinds[0] == "xhr"
        seen = json.loads(page.evaluate("sessionStorage.getItem('seen')"))
        assert seen[0]["shown"] and seen[0]["status"] == "Uploading: 0%"
        assert any(s["status"].startswith("Uploaded. Reading the file") for s in seen)
        assert max(s["value"] for s in seen) == 100
    else:
        assert kinds[0] == "document"

    page.get_by_label("Description of town").fill(DESCRIPTION)
    page.get_by_role("button", name="Save the data dictionary").click()
    page.wait_for_url("**?done=fields*")
    assert page.get_by_label("Description of town").input_value() == DESCRIPTION

    # The publish gate wants a classification assessment first; a person answers the
    # questionnaire on its own page, here the test records that the data is Public.
    page.get_by_role("button", name="Publish").click()
    assert "no classification assessment yet" in page.get_by_role("alert").inner_text()
    database = Database(console_settings.resolved_database_url)
    with database.session() as session:
        classification.record_public_assessment(session, dataset_id, "Counts by town and year.")
    database.dispose()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**?done=published*")
    assert "The dataset is published." in page.get_by_role("status").first.inner_text()

    page.goto(f"{base_url}/d/{dataset_id}")
    assert page.get_by_role("heading", level=1).inner_text() == title
    row = page.locator("#dictionary + div tr", has_text="town").first
    assert DESCRIPTION in row.inner_text()
    context.close()


def test_an_upload_refused_by_the_server_is_explained_in_place(
    browser: Any, base_url: str, tmp_path: Path
) -> None:
    page = browser.new_page()
    _sign_in(page, base_url, "steward@dph.ct.gov")
    page.goto(base_url + "/console/d/28fr-iqnx")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("town,count\nAndover,1\nAvon,2,3\n")
    page.get_by_label("File", exact=True).set_input_files(ragged)
    page.get_by_role("button", name="Upload", exact=True).click()
    alert = page.locator("#upload-status[role=alert]")
    alert.wait_for()
    assert "line 3" in alert.inner_text()
    assert page.get_by_role("button", name="Upload", exact=True).is_enabled()
    assert page.url == base_url + "/console/d/28fr-iqnx"
    page.close()


@pytest.mark.parametrize(
    "path",
    ["/console", "/console/d/28fr-iqnx", "/console/agencies/dph/people", "/console/datasets/new"],
    ids=["console", "dataset", "people", "new-dataset"],
)
def test_no_serious_accessibility_violations(browser: Any, base_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    _sign_in(page, base_url, "ado@dph.ct.gov")
    page.goto(base_url + path)
    assert page.title() and page.get_by_role("heading", level=1).is_visible()
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    page.close()
    assert serious == [], [(v["id"], v["help"], v["nodes"][0]["target"]) for v in serious]
