"""Data requests in a real browser (Debian's Chromium driven by Playwright), JavaScript off: a
member of the public files a request on the form and follows it by the private link; the
agency's data officer sees it in the console and acknowledges it; the requester's page shows
it. axe-core finds no serious problem on the form, the public list and the console pages.

Screenshots go to docs/screenshots/ when STEWARD_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.app import create_app

from .conftest import PASSWORD, World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("database", ["sqlite"], indirect=True),
]
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = os.environ.get("STEWARD_SCREENSHOTS") == "1"
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
    with world.database.session() as session:
        accounts.reset_password(session, SYSTEM, "ado@dph.ct.gov", PASSWORD)
    with live_server(create_app(world.settings)) as base:
        yield base


def shoot(page: Any, name: str) -> None:
    if SHOTS:
        folder = ROOT / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def serious(page: Any) -> list[tuple[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        (v["id"], v["nodes"][0]["target"])
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


def test_a_request_from_the_public_form_to_the_ado(browser: Any, base_url: str) -> None:
    public = browser.new_context(java_script_enabled=False).new_page()
    public.goto(base_url + "/d/clin-0001")
    public.get_by_role("link", name="Request data").click()
    public.get_by_label("What data you need (required)").fill("Clinic inspections by town")
    public.get_by_label("Describe the data (required)").fill(
        "Every inspection of a licensed clinic since 2015, with its town and result."
    )
    public.get_by_label("Purpose and use (required)").fill(
        "To map where inspections find problems."
    )
    public.get_by_label("Format").select_option("CSV")
    public.get_by_label("Your name (required)").fill("Pat Reyes")
    public.get_by_label("Your email (required)").fill("pat.reyes@example.org")
    public.get_by_label("You are").select_option("nonprofit")
    shoot(public, "request-form")
    public.get_by_role("button", name="Send request").click()
    status = public.get_by_role("status").inner_text()
    assert "your request #1 was sent to Department of Public Health" in status
    private_link = public.locator(".notice code").inner_text()
    assert "/requests/follow/" in private_link
    shoot(public, "request-follow")

    ado = browser.new_context(java_script_enabled=False).new_page()
    ado.goto(base_url + "/login?next=/console/requests")
    ado.get_by_label("Email").fill("ado@dph.ct.gov")
    ado.get_by_label("Password").fill(PASSWORD)
    ado.get_by_role("button", name="Sign in").click()
    ado.goto(base_url + "/console/requests")
    ado.get_by_role("link", name="Clinic inspections by town").click()
    assert "pat.reyes@example.org" in ado.locator("main").inner_text()
    ado.get_by_label("Note to the requester (optional)").first.fill("We are pulling the records.")
    ado.get_by_role("button", name="Acknowledge request").click()
    assert "acknowledged" in ado.get_by_role("status").inner_text()
    ado.goto(base_url + "/console/requests/outbox")
    assert "Data request #1: Clinic inspections by town" in ado.locator("main").inner_text()

    public.goto(private_link)
    text = public.locator("main").inner_text()
    assert "acknowledged" in text and "We are pulling the records." in text
    public.context.close()
    ado.context.close()


def test_the_form_and_the_list_have_no_serious_accessibility_problems(
    browser: Any, base_url: str
) -> None:
    page = browser.new_context().new_page()
    page.set_viewport_size({"width": 1280, "height": 1000})
    problems = {}
    page.goto(base_url + "/requests/new")
    problems["form"] = serious(page)
    page.get_by_role("button", name="Send request").click()  # the browser's own checks
    page.get_by_label("What data you need (required)").fill("Clinic data")
    page.get_by_label("Describe the data (required)").fill("All of it, in detail please.")
    page.get_by_label("Purpose and use (required)").fill("Research on clinics.")
    page.get_by_label("Your name (required)").fill("Pat")
    page.get_by_label("Your email (required)").fill("pat@example")  # passes the browser, not us
    page.get_by_role("button", name="Send request").click()
    assert page.get_by_role("alert").is_visible()
    problems["form-error"] = serious(page)
    page.get_by_label("Your email (required)").fill("pat@example.org")
    page.get_by_role("button", name="Send request").click()
    assert page.get_by_role("status").is_visible()
    problems["follow"] = serious(page)
    page.goto(base_url + "/requests")
    shoot(page, "request-list")
    problems["list"] = serious(page)
    page.goto(base_url + "/requests/1")
    problems["public-request"] = serious(page)
    page.goto(base_url + "/d/clin-0001/use-cases/new")
    problems["use-case-form"] = serious(page)
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill("ado@dph.ct.gov")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for name, path in {
        "console-queue": "/console/requests",
        "console-request": "/console/requests/1",
        "console-outbox": "/console/requests/outbox",
        "console-use-cases": "/console/use-cases",
    }.items():
        page.goto(base_url + path)
        shoot(page, name)
        problems[name] = serious(page)
    page.context.close()
    assert {name: found for name, found in problems.items() if found} == {}
