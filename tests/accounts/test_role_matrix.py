"""The role matrix: every route of the app (API and pages) states the least role it needs, and is
called as every role to prove that role is let in or kept out.

Each slice writes `tests/accounts/matrix_<slice>.py` with a list `ROWS` of dicts:

    method   HTTP method
    path     the route path exactly as declared ("/api/v1/datasets/{dataset_id}")
    need     public | signed_in | analyst | steward | ado | cdo, in the agency `dph`
    url      a concrete URL to call; `{name}` placeholders are filled from the dict the module's
             `setup()` returns (when it returns one)
    json / data / files / headers   optional request body parts (page POSTs get `csrf_token`
             added to `data`; unsafe API calls get the `X-CSRF-Token` header)

and optionally `setup(database, settings)`, run once, as the system, before any row is called.

The world: the demo catalog, and one user per role (password `matrix-password-1`). Each role
signs in through the real /login form with its own client, so sessions and CSRF are exercised.
Rows are called in order as anonymous, steward@opm, analyst@dph, steward@dph, ado@dph and the CDO
in one shared world, so a write by an earlier role may leave a later one a 404 or 409: that still
counts as let in. Denied means 401 or 403 (or, for a page GET, a 303 to /login); at least one role
that is let in must get an answer below 400.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookiejar import Cookie
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx2 import Response  # what starlette's TestClient answers with
from starlette.routing import Mount, Route

from steward.accounts import credentials
from steward.app import create_app
from steward.config import Settings
from steward.db import Database
from steward.demo.loader import CATALOG_FILE, load_demo
from steward.demo.loader import DATA_DIR as DEMO_DATA
from steward.web.auth import csrf_protected

from .conftest import FAST_HASHER, PASSWORD, add_user, csrf_of, sign_in

HERE = Path(__file__).parent
ROLES = ("anonymous", "steward@opm", "analyst", "steward", "ado", "cdo")
USERS = {
    "steward@opm": ("steward@opm.ct.gov", ["steward@opm"]),
    "analyst": ("analyst@dph.ct.gov", ["analyst@dph"]),
    "steward": ("steward@dph.ct.gov", ["steward@dph"]),
    "ado": ("ado@dph.ct.gov", ["ado@dph"]),
    "cdo": ("cdo@ct.gov", ["cdo"]),
}
LET_IN = {
    "public": set(ROLES),
    "signed_in": set(ROLES[1:]),
    "analyst": {"analyst", "steward", "ado", "cdo"},
    "steward": {"steward", "ado", "cdo"},
    "ado": {"ado", "cdo"},
    "cdo": {"cdo"},
}
ROW_KEYS = {"method", "path", "need", "url", "json", "data", "files", "headers"}
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
# Reads its own size-limited body, so it checks the CSRF token itself rather than by dependency.
CSRF_BY_HAND = {("POST", "/d/{dataset_id}/feedback")}


def load_modules() -> list[ModuleType]:
    modules = []
    for path in sorted(HERE.glob("matrix_*.py")):
        spec = importlib.util.spec_from_file_location(f"role_matrix_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


MODULES = load_modules()
ROWS: list[tuple[str, dict[str, Any]]] = [
    (module.__name__, row) for module in MODULES for row in module.ROWS
]


def app_routes(app: FastAPI) -> dict[tuple[str, str], Route]:
    """Every (method, path) the app answers, looking inside included routers; no static files."""
    found: dict[tuple[str, str], Route] = {}

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:
                walk(inner.routes, prefix + getattr(inner, "prefix", ""))
            elif isinstance(route, Route):
                path = route.path if route.path.startswith(prefix) else prefix + route.path
                for method in route.methods or ():
                    if method != "HEAD":
                        found[(method, path)] = route
            else:
                assert isinstance(route, Mount) and route.path == "/static", route

    walk(app.routes, "")
    return found


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Route]:
    data_dir = tmp_path_factory.mktemp("routes") / "data"
    return app_routes(create_app(Settings(data_dir=data_dir, _env_file=None)))  # type: ignore[call-arg]


def test_the_rows_are_well_formed() -> None:
    assert ROWS, "no matrix modules found"
    for module, row in ROWS:
        where = f"{module}: {row}"
        assert {"method", "path", "need", "url"} <= row.keys() <= ROW_KEYS, where
        assert row["need"] in LET_IN, where
        assert row["method"] == row["method"].upper(), where
        assert row["url"].startswith("/"), where


def test_every_route_has_a_row(routes: dict[tuple[str, str], Route]) -> None:
    covered = {(row["method"], row["path"]) for _, row in ROWS}
    missing = sorted(f"{method} {path}" for method, path in routes if (method, path) not in covered)
    assert missing == [], "routes missing from every tests/accounts/matrix_*.py:\n" + "\n".join(
        missing
    )


def test_no_row_names_a_route_that_does_not_exist(routes: dict[tuple[str, str], Route]) -> None:
    unknown = [
        f"{module}: {row['method']} {row['path']}"
        for module, row in ROWS
        if (row["method"], row["path"]) not in routes
    ]
    assert unknown == []


def test_every_page_form_checks_csrf(routes: dict[tuple[str, str], Route]) -> None:
    unprotected = []
    for (method, path), route in routes.items():
        if method in SAFE or path.startswith("/api/") or (method, path) in CSRF_BY_HAND:
            continue
        calls = (
            {dep.call for dep in route.dependant.dependencies}
            if isinstance(route, APIRoute)
            else set()
        )
        if csrf_protected not in calls:
            unprotected.append(f"{method} {path}")
    assert unprotected == []


def test_the_feedback_form_checks_its_token_by_hand(world: World) -> None:
    anonymous = world.callers["anonymous"]
    report = {"message": "A report sent without the form's own token.", "website": ""}
    for token in ({}, {"csrf_token": "0" * 64}, {"csrf_token": world.callers["cdo"].csrf}):
        answer = anonymous.client.post("/d/28fr-iqnx/feedback", data={**report, **token})
        assert answer.status_code == 403, answer.text


# calling every row as every role ----------------------------------------------------------


@dataclass
class Caller:
    """One role's browser: its own cookie jar, signed in through the form."""

    role: str
    client: TestClient
    email: str | None = None
    csrf: str = ""
    sign_ins: int = field(default=0)

    def sign_in(self) -> None:
        self.client.cookies.clear()
        if self.email is None:
            self.csrf = csrf_of(self.client.get("/login").text)
            return
        answer = sign_in(self.client, self.email, PASSWORD)
        assert answer.status_code == 303, f"{self.email} could not sign in: {answer.text[:300]}"
        self.csrf = csrf_of(self.client.get("/account").text)
        self.sign_ins += 1

    def still_signed_in(self) -> bool:
        if self.email is None:
            return True
        answer = self.client.get("/api/v1/me")
        return answer.status_code == 200 and answer.json()["email"] == self.email

    def call(self, row: dict[str, Any], url: str) -> Response:
        """Call one row; the role's cookies are put back after it, so a row that signs in as
        someone else (or out) cannot change who this caller is for the next row."""
        saved: list[Cookie] = list(self.client.cookies.jar)
        method = row["method"]
        unsafe = method not in SAFE
        headers = dict(row.get("headers", {}))
        data = dict(row.get("data", {}))
        if unsafe and url.startswith("/api/"):
            headers["X-CSRF-Token"] = self.csrf
        elif unsafe:
            data["csrf_token"] = self.csrf
        try:
            return self.client.request(
                method,
                url,
                headers=headers,
                json=row.get("json"),
                data=data or None,
                files=row.get("files"),
                follow_redirects=False,
            )
        finally:
            self.client.cookies.jar.clear()
            for cookie in saved:
                self.client.cookies.jar.set_cookie(cookie)
            if unsafe and not self.still_signed_in():
                self.sign_in()  # the row ended this role's sessions (sign out, new password)


@dataclass
class World:
    app: FastAPI
    callers: dict[str, Caller]
    values: dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    # The matrix signs in dozens of times; argon2 at its real cost would dominate the run.
    # (test_security.py checks the real parameters.)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(credentials, "_hasher", FAST_HASHER)
        yield from _world(tmp_path_factory)


def _world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data_dir = tmp_path_factory.mktemp("matrix") / "data"
    # Six callers share one client address: lift the per-address limit the portal sets.
    settings = Settings(
        data_dir=data_dir,
        rate_limit_anonymous=1_000_000,
        _env_file=None,  # type: ignore[call-arg]
    )
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    load_demo(database, settings.data_dir)
    for email, roles in USERS.values():
        add_user(database, email, roles)
    values = {}
    for module in MODULES:
        setup = getattr(module, "setup", None)
        made = setup(database, settings) if setup is not None else None
        values[module.__name__] = made or {}
    database.dispose()
    app = create_app(settings)
    with TestClient(app) as first:
        callers = {"anonymous": Caller("anonymous", first)}
        for role in ROLES[1:]:
            callers[role] = Caller(role, TestClient(app), USERS[role][0])
        for caller in callers.values():
            caller.sign_in()
        yield World(app, callers, values)


def denied(row: dict[str, Any], answer: Response) -> bool:
    if answer.status_code in (401, 403):
        return True
    is_page = not row["url"].startswith("/api/")
    to_login = answer.headers.get("location", "").startswith("/login")
    return row["method"] == "GET" and is_page and answer.status_code == 303 and to_login


@pytest.mark.parametrize(
    ("module", "row"), ROWS, ids=[f"{row['method']} {row['path']}" for _, row in ROWS]
)
def test_each_role_is_let_in_or_kept_out(world: World, module: str, row: dict[str, Any]) -> None:
    values = world.values[module]
    url = row["url"].format(**values) if values else row["url"]
    answers = {role: world.callers[role].call(row, url) for role in ROLES}
    codes = {role: answer.status_code for role, answer in answers.items()}
    wrong = {
        role: f"{answer.status_code}: {answer.text[:200]}"
        for role, answer in answers.items()
        if denied(row, answer) == (role in LET_IN[row["need"]])
    }
    assert wrong == {}, f"{row['method']} {url} needs {row['need']}; got {codes}"
    let_in = [code for role, code in codes.items() if role in LET_IN[row["need"]]]
    assert min(let_in) < 400, f"no role got through {row['method']} {url}: {codes}"


# non-public rows ----------------------------------------------------------------------------

PERSONAL = "rybz-nyjw"  # the medical examiner's deaths: non-public, classified personal
CASE_NUMBER = re.compile(r"(?<![\d/-])1[2-7]-\d{1,5}(?![\d/])")
TEXT_TYPES = ("text/", "application/json", "application/geo+json", "application/ld+json")
FILL = {
    "dataset_id": [PERSONAL],
    "view": [PERSONAL],
    "resource_id": [PERSONAL],
    "resource": [f"{PERSONAL}.json", f"{PERSONAL}.csv", f"{PERSONAL}.geojson"],
    "fmt": ["csv", "json", "geojson", "parquet", "xlsx"],
    "ext": ["json", "csv"],
    "number": ["1"],
    "name": ["casenumber"],
}
CKAN_READS = [
    f"datastore_search?resource_id={PERSONAL}",
    f"datastore_search?resource_id={PERSONAL}&q=16",
    f'datastore_search_sql?sql=SELECT * FROM "{PERSONAL}"',
    f"package_show?id={PERSONAL}",
    f"resource_show?id={PERSONAL}",
]
QUERIES = ["", "?$limit=5", "?$select=casenumber,age", "?$where=age>30", "?version=1"]


def secret_case_numbers() -> set[str]:
    """Case numbers of the file, less the few its public description mentions."""
    source = DEMO_DATA / "datasets" / "accidental_drug_related_deaths_2012-2017_rybz-nyjw.csv"
    with source.open(newline="", encoding="utf-8") as handle:
        numbers = {row["CaseNumber"] for row in csv.DictReader(handle)}
    return numbers - set(CASE_NUMBER.findall(CATALOG_FILE.read_text(encoding="utf-8")))


def personal_urls(routes: dict[tuple[str, str], Route]) -> list[str]:
    """Every GET route that names a dataset, filled in with the personal one, in every format."""
    urls = [f"/api/3/action/{read}" for read in CKAN_READS]
    urls += [f"/api/action/{read}" for read in CKAN_READS]
    for method, path in routes:
        names = re.findall(r"{(\w+)}", path)
        if method != "GET" or not names or not set(names) <= FILL.keys() or "name" in names[:1]:
            continue
        if not {"dataset_id", "view", "resource_id", "resource"} & set(names):
            continue
        for values in itertools.product(*(FILL[name] for name in names)):
            filled = path.format(**dict(zip(names, values, strict=True)))
            urls += [filled + query for query in QUERIES]
    return urls


def test_no_route_serves_non_public_rows_to_the_public(
    world: World, routes: dict[tuple[str, str], Route]
) -> None:
    secrets = secret_case_numbers()
    assert len(secrets) > 4000
    client = world.callers["anonymous"].client
    leaks, unreadable = [], []
    urls = personal_urls(routes)
    assert len(urls) > 100
    for url in urls:
        answer = client.get(url, follow_redirects=False)
        kind = answer.headers.get("content-type", "")
        if answer.status_code < 300 and not kind.startswith(TEXT_TYPES):
            unreadable.append(f"{url} ({answer.status_code} {kind})")
        elif found := secrets & set(CASE_NUMBER.findall(answer.text)):
            leaks.append(f"{url}: {sorted(found)[:3]}")
    assert leaks == [] and unreadable == []
