"""The agency page names the agency's data officer (issue #4), taken from the ado role (#7)."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.accounts.schemas import RoleGrant, UserCreate
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog.schemas import AgencyCreate
from steward.config import Settings
from steward.db import Database


def test_the_agency_page_names_its_data_officer(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    app = create_app(settings)
    database: Database = app.state.database
    with database.session() as session:
        catalog.create_agency(session, SYSTEM, AgencyCreate(slug="dph", name="Public Health"))
        catalog.create_agency(session, SYSTEM, AgencyCreate(slug="opm", name="Policy"))
        for email, slug, role in (
            ("ada@dph.ct.gov", "dph", "ado"),
            ("sam@dph.ct.gov", "dph", "steward"),
            ("olive@opm.ct.gov", "opm", "ado"),
        ):
            grant = RoleGrant(role=role, agency=slug)  # type: ignore[arg-type]
            user = UserCreate(email=email, name=email.split("@")[0].title(), roles=[grant])
            accounts.create_user(session, SYSTEM, user)
    with TestClient(app) as client:
        page = client.get("/agencies/dph").text
    assert "ada@dph.ct.gov" in page
    assert "sam@dph.ct.gov" not in page
    assert "olive@opm.ct.gov" not in page
