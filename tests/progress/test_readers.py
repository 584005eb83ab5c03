"""Reports every reader can use: each link on a report page opens for each role that may read it,
narratives keep their characters in the PDF, and an agency added after a period opened gets its
report when it is first asked for (while the period is open)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.accounts.schemas import RoleGrant, UserCreate
from steward.catalog import service as catalog
from steward.catalog.schemas import AgencyCreate
from steward.errors import NotFound
from steward.progress import pdf, reports, service
from steward.progress.schemas import NarrativeUpdate, PeriodCreate

from .conftest import PERIOD, REQUEST_TITLE, World
from .test_service import read_pdf

SignIn = Callable[[TestClient, str], str]
HREF = re.compile(r'href="(/[^"]*)"')
READERS = ("analyst@dph.ct.gov", "steward@dph.ct.gov", "ado@dph.ct.gov", "cdo@ct.gov")


def add_person(world: World, email: str, role: str, agency: str | None) -> None:
    grant = RoleGrant.model_validate({"role": role, "agency": agency})
    with world.database.session() as session:
        accounts.create_user(session, SYSTEM, UserCreate(email=email, name=role, roles=[grant]))


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_every_link_of_a_report_opens_for_each_reader(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    world.inventory()
    add_person(world, "steward@dph.ct.gov", "steward", "dph")
    with world.database.session() as session:
        pid = service.open_period(session, world.cdo, world.settings, PERIOD).id
    for email in READERS:
        sign_in(app_client, email)
        page = app_client.get(f"/console/progress/{pid}/dph")
        assert page.status_code == 200, email
        links = {href.replace("&amp;", "&") for href in HREF.findall(page.text)}
        assert any(link.startswith("/console/dashboard/datasets") for link in links)
        for link in sorted(links):
            assert app_client.get(link).status_code == 200, (email, link)
        requests = re.search(r'data-figure="request_on_time" href="([^"]+)"', page.text)
        assert requests is not None
        target = requests.group(1).replace("&amp;", "&")
        queue = email.startswith(("ado@", "cdo@"))
        assert target.startswith("/console/requests" if queue else "/requests?agency=dph"), email
        assert REQUEST_TITLE in app_client.get(target).text, email


UNICODE = "Señor Ortiz \u2013 \u201copen by default\u201d · Ελληνικά · Кириллица"
CHINESE = "开放数据"


def _pdf_with(world: World, narrative: str) -> str:
    with world.database.session() as session:
        pid = service.open_period(session, world.cdo, world.settings, PERIOD).id
        data = NarrativeUpdate(narratives={"publish": narrative})
        reports.save_narratives(session, world.ado, world.settings, pid, "dph", data)
        _, content = reports.report_pdf(session, world.ado, world.settings, pid, "dph")
    text, _ = read_pdf(content)
    return text


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_narratives_keep_their_characters_in_the_pdf(world: World) -> None:
    fonts = pdf.find_fonts()
    text = _pdf_with(world, f"{UNICODE} {CHINESE}")
    if fonts is None:
        pytest.skip("DejaVu Sans (fonts-dejavu-core) is not installed: the Latin-1 fallback")
    assert UNICODE in text
    if fonts.fallbacks:
        assert CHINESE in text
    assert "Progress report: Department of Public Health" in text


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_without_a_ttf_the_pdf_falls_back_to_latin1(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "find_fonts", lambda: None)
    text = _pdf_with(world, UNICODE)
    assert 'Señor Ortiz - "open by default"' in text


def test_fonts_are_looked_up_under_a_root(tmp_path: Path) -> None:
    root = tmp_path
    assert pdf.find_fonts(root) is None
    regular = root / pdf.DEJAVU[""]
    regular.parent.mkdir(parents=True)
    regular.write_bytes(b"")
    found = pdf.find_fonts(root)
    assert found is not None and set(found.styles) == {""} and found.fallbacks == ()


def test_an_agency_added_later_gets_its_report_while_the_period_is_open(world: World) -> None:
    closed = PeriodCreate(
        name="FY 2021",
        starts_on=date(2020, 7, 1),
        ends_on=date(2021, 6, 30),
        due_on=date(2021, 9, 30),
    )
    with world.database.session() as session:
        opened = service.open_period(session, world.cdo, world.settings, PERIOD).id
        past = service.open_period(session, world.cdo, world.settings, closed).id
        added = AgencyCreate(slug="dot", name="Department of Transportation")
        catalog.create_agency(session, SYSTEM, added)
    add_person(world, "ado@dot.ct.gov", "ado", "dot")
    with world.database.session() as session:
        ado = accounts.actor_by_email(session, "ado@dot.ct.gov")
        listed = {p.name: p for p in service.list_periods(session, ado, world.settings)}
    assert [r.agency for r in listed["FY 2026"].reports] == ["dot"] and listed["FY 2026"].open
    assert listed["FY 2021"].reports == [] and not listed["FY 2021"].open
    with world.database.session() as session:
        report = reports.get_report(session, ado, world.settings, opened, "dot")
        assert report.status == "draft" and report.figures.figure("api_datasets").value == 0
        assert len(service.get_period(session, world.cdo, opened).reports) == 4
        with pytest.raises(NotFound, match="closed on 2021-09-30"):
            reports.get_report(session, world.cdo, world.settings, past, "dot")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_new_agency_opens_its_report_from_the_page(
    world: World, app_client: TestClient, sign_in: SignIn
) -> None:
    with world.database.session() as session:
        pid = service.open_period(session, world.cdo, world.settings, PERIOD).id
        catalog.create_agency(session, SYSTEM, AgencyCreate(slug="dot", name="Transportation"))
    add_person(world, "analyst@dot.ct.gov", "analyst", "dot")
    sign_in(app_client, "analyst@dot.ct.gov")
    report = app_client.get(f"/console/progress/{pid}/dot")
    assert report.status_code == 200 and "Progress report: Transportation" in report.text
    assert f'href="/console/progress/{pid}/dot"' in app_client.get("/console/progress").text
