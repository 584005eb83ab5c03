"""Use cases: anyone tells how they used a dataset (page form with CSRF, hidden field and a
per-address limit; the API; the CLI), a steward of the dataset's agency approves it, and only
then is it shown on the dataset page and in the API, without the submitter's name or email."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from steward.accounts import service as accounts
from steward.accounts.policy import ANONYMOUS, SYSTEM
from steward.accounts.schemas import RoleGrant, TokenCreate, UserCreate
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog.schemas import AgencyCreate, DatasetCreate
from steward.cli.main import app as cli
from steward.config import Settings
from steward.db import Database
from steward.errors import Conflict, NotAuthenticated, NotAuthorized
from steward.usage import usecases
from steward.usage.schemas import UseCaseCreate, UseCaseReview

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STORY = {
    "title": "A map of clinics near bus lines",
    "url": "https://example.org/clinic-map",
    "description": "We joined the clinic list with transit stops to find gaps.",
    "name": "Sam Lee",
    "email": "sam.lee@example.org",
}


@pytest.fixture
def store(database: Database, settings: Settings) -> Database:
    settings.database_url = database.url
    with database.session() as session:
        for slug in ("dph", "ocme"):
            catalog.create_agency(session, SYSTEM, AgencyCreate(slug=slug, name=slug.upper()))
        catalog.create_dataset(
            session, SYSTEM, DatasetCreate(id="clin-0001", agency="dph", title="Clinics")
        )
        for email, role, agency in (
            ("steward@dph.ct.gov", "steward", "dph"),
            ("analyst@dph.ct.gov", "analyst", "dph"),
            ("steward@ocme.ct.gov", "steward", "ocme"),
        ):
            grant = RoleGrant.model_validate({"role": role, "agency": agency})
            accounts.create_user(session, SYSTEM, UserCreate(email=email, name=role, roles=[grant]))
    return database


def actor(store: Database, email: str):  # type: ignore[no-untyped-def]
    with store.session() as session:
        return accounts.actor_by_email(session, email)


def test_submitted_then_approved_then_shown(store: Database) -> None:
    with store.session() as session:
        made = usecases.submit(session, ANONYMOUS, "clin-0001", UseCaseCreate.model_validate(STORY))
        assert made.status == "pending" and made.submitter_email == "sam.lee@example.org"
        assert usecases.approved(session, "clin-0001") == []
    for outsider in ("analyst@dph.ct.gov", "steward@ocme.ct.gov"):
        with store.session() as session, pytest.raises(NotAuthorized):
            usecases.review(
                session, actor(store, outsider), made.id, UseCaseReview(decision="approve")
            )
    with store.session() as session, pytest.raises(NotAuthenticated):
        usecases.review_queue(session, ANONYMOUS)
    steward = actor(store, "steward@dph.ct.gov")
    with store.session() as session:
        assert [u.id for u in usecases.review_queue(session, steward)] == [made.id]
        assert usecases.review_queue(session, actor(store, "steward@ocme.ct.gov")) == []
        done = usecases.review(
            session, steward, made.id, UseCaseReview(decision="approve", note="Nice")
        )
        assert (done.status, done.reviewed_by, done.review_note) == (
            "approved",
            "steward@dph.ct.gov",
            "Nice",
        )
        with pytest.raises(Conflict):
            usecases.review(session, steward, made.id, UseCaseReview(decision="approve"))
        shown = usecases.approved(session, "clin-0001")
    assert [u.title for u in shown] == [STORY["title"]]
    assert (
        "sam.lee" not in shown[0].model_dump_json() and "Sam Lee" not in shown[0].model_dump_json()
    )


@pytest.fixture
def client(store: Database, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def sign_in(client: TestClient, store: Database, email: str) -> None:
    with store.session() as session:
        accounts.reset_password(session, SYSTEM, email, "usecase-password-1")
    token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    form = {"email": email, "password": "usecase-password-1", "csrf_token": token, "next": "/"}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


def test_the_form_the_review_page_and_the_dataset_page(client: TestClient, store: Database) -> None:
    form = client.get("/d/clin-0001/use-cases/new")
    assert form.status_code == 200 and "Only the agency sees your name and email" in form.text
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    assert client.post("/d/clin-0001/use-cases", data=STORY).status_code == 403  # no token
    bad = client.post(
        "/d/clin-0001/use-cases", data={**STORY, "url": "javascript:alert(1)", "csrf_token": token}
    )
    assert bad.status_code == 400 and "Link: Value error, must be a web address" in bad.text
    trap = client.post(
        "/d/clin-0001/use-cases", data={**STORY, "website": "x", "csrf_token": token}
    )
    assert trap.status_code == 400
    sent = client.post(
        "/d/clin-0001/use-cases", data={**STORY, "csrf_token": token}, follow_redirects=False
    )
    assert sent.status_code == 303
    assert "A steward of DPH will read it" in client.get(sent.headers["location"]).text
    assert STORY["title"] not in client.get("/d/clin-0001").text  # not approved yet
    assert client.get("/console/use-cases", follow_redirects=False).status_code == 303
    sign_in(client, store, "steward@dph.ct.gov")
    queue = client.get("/console/use-cases")
    assert STORY["title"] in queue.text and "sam.lee@example.org" in queue.text
    token = CSRF.search(queue.text).group(1)  # type: ignore[union-attr]
    approved = client.post(
        "/console/use-cases/1", data={"decision": "approve", "csrf_token": token}
    )
    assert approved.status_code == 200 and "The use case was approved." in approved.text
    page = client.get("/d/clin-0001")
    assert STORY["title"] in page.text and 'href="https://example.org/clinic-map"' in page.text
    assert "sam.lee" not in page.text
    listed = client.get("/api/v1/datasets/clin-0001/use-cases").json()
    assert [u["title"] for u in listed] == [STORY["title"]] and "email" not in listed[0]


def test_the_api(client: TestClient, store: Database) -> None:
    made = client.post("/api/v1/datasets/clin-0001/use-cases", json=STORY)
    assert made.status_code == 201 and "email" not in made.json()
    assert (
        client.post("/api/v1/datasets/clin-0001/use-cases", json={**STORY, "title": ""}).status_code
        == 400
    )
    assert client.post("/api/v1/datasets/zzzz-0000/use-cases", json=STORY).status_code == 404
    with store.session() as session:
        steward = accounts.actor_by_email(session, "steward@dph.ct.gov")
        token = accounts.create_token(session, steward, TokenCreate(name="t")).token
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/use-cases").status_code == 401
    queue = client.get("/api/v1/use-cases?agency=dph", headers=headers).json()
    review = client.post(
        f"/api/v1/use-cases/{queue[0]['id']}/review", json={"decision": "reject"}, headers=headers
    )
    assert review.json()["status"] == "rejected"
    assert client.get("/api/v1/datasets/clin-0001/use-cases").json() == []
    assert client.get("/api/v1/use-cases?status=odd", headers=headers).status_code == 400


def test_the_command_line(store: Database, settings: Settings) -> None:
    runner = CliRunner()
    root = ["--data-dir", str(settings.data_dir), "--database-url", store.url]

    def run(*args: str, ok: bool = True) -> str:
        result = runner.invoke(cli, [*root, *args])
        assert (result.exit_code == 0) is ok, result.output
        return result.output

    added = run(
        "usecase",
        "add",
        "clin-0001",
        "--title",
        "Grant report",
        "--description",
        "Cited in our grant report.",
    )
    assert "pending" in added
    assert "Grant report" in run("--as", "steward@dph.ct.gov", "usecase", "list")
    refused = run("--as", "steward@ocme.ct.gov", "usecase", "approve", "1", ok=False)
    assert refused.startswith("Error: usecase.review use case 1 needs the steward role")
    assert "approved" in run("--as", "steward@dph.ct.gov", "usecase", "approve", "1")
    assert "rejected" in run("usecase", "reject", "1", "--note", "Duplicate")
    assert "Error:" in run("usage", "show", "clin-0001", "--start", "nope", ok=False)
    shown = run("usage", "show", "clin-0001", "--start", "2026-01-01", "--end", "2026-01-31")
    assert "total" in shown and "downloads by format: -" in shown
    assert run("usage", "top") == ""
