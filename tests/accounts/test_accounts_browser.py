"""Signing in, making and revoking an API token and signing out in a real browser (Debian's
Chromium driven by Playwright), and axe-core checking the sign-in and account pages."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog.schemas import AgencyCreate
from steward.config import Settings
from steward.db import Database

from .conftest import PASSWORD, add_user

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
EMAIL = "sam.steward@dph.ct.gov"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, live_server: Any) -> Iterator[str]:
    data_dir: Path = tmp_path_factory.mktemp("accounts-browser") / "data"
    settings = Settings(data_dir=data_dir, _env_file=None)  # type: ignore[call-arg]
    app = create_app(settings)
    database: Database = app.state.database
    with database.session() as session:
        catalog.create_agency(
            session, SYSTEM, AgencyCreate(slug="dph", name="Department of Public Health")
        )
    add_user(database, EMAIL, ["steward@dph"], name="Sam Steward")
    with live_server(app) as base:
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


def sign_in(page: Any, base_url: str) -> None:
    page.goto(base_url + "/account")
    assert page.url.startswith(base_url + "/login?next=%2Faccount")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/account")


def test_sign_in_make_and_revoke_a_token_sign_out(browser: Any, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, base_url)
    account_nav = page.get_by_role("navigation", name="Account")
    assert account_nav.get_by_role("link", name="Sam Steward").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"

    page.get_by_label("New token name").fill("nightly load")
    page.get_by_role("button", name="Create token").click()
    assert "Copy your new token now" in page.get_by_role("status").inner_text()
    secret = page.get_by_label("Token “nightly load”").input_value()
    assert secret.startswith("stw_")
    called = httpx.get(base_url + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert called.json()["email"] == EMAIL

    page.goto(base_url + "/account")  # shown once: afterwards only its first characters
    assert secret not in page.content()
    row = page.get_by_role("row", name="nightly load")
    assert f"{secret[:10]}…" in row.inner_text() and "active" in row.inner_text()
    page.get_by_role("button", name="Revoke token nightly load").click()
    page.wait_for_url(base_url + "/account#tokens")
    assert "revoked" in page.get_by_role("row", name="nightly load").inner_text()
    refused = httpx.get(base_url + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401

    account_nav.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base_url + "/")
    assert page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign in")
    page.goto(base_url + "/account")
    assert page.url.startswith(base_url + "/login")
    context.close()


def test_a_wrong_password_is_told_plainly(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "wrong email or password"
    assert page.get_by_label("Email").input_value() == EMAIL
    page.close()


@pytest.mark.parametrize("path", ["/login", "/account"])
def test_no_serious_accessibility_violations(browser: Any, base_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    if path == "/account":
        sign_in(page, base_url)
        page.get_by_label("New token name").fill("for axe")
        page.get_by_role("button", name="Create token").click()  # the table and the notice
    else:
        page.goto(base_url + path)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    context.close()
    assert serious == [], [(v["id"], v["help"], v["nodes"][0]["target"]) for v in serious]
