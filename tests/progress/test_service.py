"""Progress reports through the service layer: figures measured from the demo catalog change when
the records do; the workflow open -> pre-filled -> narrative -> submit -> return -> resubmit ->
accept; a submitted report keeps its figures; who may do what; the PDFs read back."""

from __future__ import annotations

import io

import pypdf
import pytest

from steward.accounts.policy import ANONYMOUS, SYSTEM
from steward.catalog import service as catalog
from steward.errors import Conflict, Invalid, NotAuthenticated, NotAuthorized
from steward.inventory import service as inventory
from steward.progress import reports, service
from steward.progress.figures import GOAL_IDS
from steward.progress.schemas import NarrativeUpdate, PeriodCreate, ReportReturn

from .conftest import PERIOD, World

NARRATIVES = {goal: f"Narrative of {goal}: what we did this year." for goal in GOAL_IDS}


def value(report, key: str):  # type: ignore[no-untyped-def]
    return report.figures.figure(key)


def test_the_report_is_prefilled_and_follows_the_records(world: World) -> None:
    world.inventory()
    with world.database.session() as session:
        catalog.set_status(session, SYSTEM, "dphp-0pop", "retired")
        period = service.open_period(session, world.cdo, world.settings, PERIOD)
    assert period.status_counts["draft"] == 3 and len(period.reports) == 3
    with world.database.session() as session:
        before = reports.get_report(session, world.ado, world.settings, period.id, "dph")
    assert value(before, "api_datasets").value == 2  # 28fr-iqnx and 7rne-efic are public
    assert value(before, "api_datasets").detail == "of 2 published datasets"
    assert value(before, "inventory_submitted").display == "no (draft)"
    assert value(before, "high_value_assets").value == 1
    assert value(before, "metadata_standard").display == "0% (0 of 2)"
    assert value(before, "request_overdue").value == 0
    assert "1 requests received" in value(before, "request_on_time").detail
    assert value(before, "api_datasets").link == "/browse?agency=dph&access=public"

    with world.database.session() as session:
        catalog.set_status(session, SYSTEM, "dphp-0pop", "published")
        inventory.submit(session, world.ado, 2026, "dph")
        after = reports.refresh_report(session, world.ado, world.settings, period.id, "dph")
    assert value(after, "api_datasets").value == 3
    assert value(after, "metadata_standard").display == "33.3% (1 of 3)"  # dphp-0pop meets it
    assert value(after, "inventory_submitted").display == "yes (submitted)"
    assert value(after, "inventory_accepted").value == 0
    assert value(after, "inventory_submitted").link == "/console/inventory/2026/dph"


def test_the_workflow_from_draft_to_accepted(world: World) -> None:
    with world.database.session() as session:
        period = service.open_period(session, world.cdo, world.settings, PERIOD)
        pid = period.id
        with pytest.raises(Invalid, match="narrative of every goal"):
            reports.submit_report(session, world.ado, pid, "dph")
        saved = reports.save_narratives(
            session, world.ado, world.settings, pid, "dph", NarrativeUpdate(narratives=NARRATIVES)
        )
        assert saved.narratives == NARRATIVES and saved.status == "draft"
        with pytest.raises(Invalid, match="unknown goal"):
            reports.save_narratives(
                session,
                world.ado,
                world.settings,
                pid,
                "dph",
                NarrativeUpdate(narratives={"nope": "x"}),
            )
        submitted = reports.submit_report(session, world.ado, pid, "dph")
        assert submitted.status == "submitted" and submitted.submitted_by == "ado@dph.ct.gov"
        with pytest.raises(Conflict):
            reports.save_narratives(
                session,
                world.ado,
                world.settings,
                pid,
                "dph",
                NarrativeUpdate(narratives={"use": "late"}),
            )
        returned = reports.return_report(
            session, world.cdo, pid, "dph", ReportReturn(comment="Say more about requests.")
        )
        assert returned.status == "returned" and returned.review_comment.startswith("Say more")
        reports.save_narratives(
            session,
            world.ado,
            world.settings,
            pid,
            "dph",
            NarrativeUpdate(narratives={"respond": "Better."}),
        )
        assert reports.submit_report(session, world.ado, pid, "dph").status == "submitted"
        accepted = reports.accept_report(session, world.cdo, pid, "dph")
        assert accepted.status == "accepted" and accepted.narratives["respond"] == "Better."
        with pytest.raises(Conflict):
            reports.accept_report(session, world.cdo, pid, "dph")
        state = reports.state_report(session, world.cdo, pid)
    assert state.period.status_counts == {"draft": 2, "submitted": 0, "returned": 0, "accepted": 1}
    assert [r.agency for r in state.reports] == ["dph", "opm", "ocme"]


def test_a_submitted_report_keeps_its_figures(world: World) -> None:
    with world.database.session() as session:
        pid = service.open_period(session, world.cdo, world.settings, PERIOD).id
        reports.save_narratives(
            session, world.ado, world.settings, pid, "dph", NarrativeUpdate(narratives=NARRATIVES)
        )
        reports.submit_report(session, world.ado, pid, "dph")
        catalog.set_status(session, SYSTEM, "28fr-iqnx", "retired")
        service.refresh_period(session, world.cdo, world.settings, pid)
        kept = reports.get_report(session, world.cdo, world.settings, pid, "dph")
        state = reports.state_report(session, world.cdo, pid)
        with pytest.raises(Conflict):
            reports.refresh_report(session, world.ado, world.settings, pid, "dph")
    assert value(kept, "api_datasets").value == 3
    assert state.figures.figure("api_datasets").value == 3  # 4 public, one retired


def test_who_may_do_what(world: World) -> None:
    with world.database.session() as session:
        with pytest.raises(NotAuthorized):
            service.open_period(session, world.ado, world.settings, PERIOD)
        pid = service.open_period(session, world.cdo, world.settings, PERIOD).id
        with pytest.raises(Conflict):
            service.open_period(session, world.cdo, world.settings, PERIOD)
        assert (
            reports.get_report(session, world.analyst, world.settings, pid, "dph").agency == "dph"
        )
        for actor in (world.other_ado, world.analyst):
            with pytest.raises(NotAuthorized):
                reports.save_narratives(
                    session,
                    actor,
                    world.settings,
                    pid,
                    "dph",
                    NarrativeUpdate(narratives={"use": "x"}),
                )
        with pytest.raises(NotAuthorized):
            reports.get_report(session, world.other_ado, world.settings, pid, "dph")
        with pytest.raises(NotAuthenticated):
            reports.get_report(session, ANONYMOUS, world.settings, pid, "dph")
        with pytest.raises(NotAuthorized):
            reports.accept_report(session, world.ado, pid, "dph")
        with pytest.raises(NotAuthorized):
            service.dashboard(session, world.ado, world.settings)
        with pytest.raises(NotAuthorized):
            service.agency_dashboard(session, world.analyst, world.settings, "dph")
        assert service.agency_dashboard(session, world.ado, world.settings, "dph").datasets
        listed = service.list_periods(session, world.other_ado, world.settings)
    assert [r.agency for r in listed[0].reports] == ["opm"]


def test_period_dates_are_checked() -> None:
    with pytest.raises(ValueError, match="end on or after"):
        PeriodCreate.model_validate(
            {
                "name": "x",
                "starts_on": "2026-07-01",
                "ends_on": "2026-01-01",
                "due_on": "2026-09-01",
            }
        )


def test_the_reports_render_to_pdf_with_charts(world: World) -> None:
    with world.database.session() as session:
        pid = service.open_period(session, world.cdo, world.settings, PERIOD).id
        reports.save_narratives(
            session, world.ado, world.settings, pid, "dph", NarrativeUpdate(narratives=NARRATIVES)
        )
        name, agency_pdf = reports.report_pdf(session, world.analyst, world.settings, pid, "dph")
        _, state_pdf = reports.state_pdf(session, world.cdo, pid)
        with pytest.raises(NotAuthorized):
            reports.state_pdf(session, world.ado, pid)
    assert name == f"progress-{pid}-dph.pdf"
    text, images = read_pdf(agency_pdf)
    assert "Progress report: Department of Public Health" in text
    assert "Datasets available through the API" in text and "of 3 published datasets" in text
    assert NARRATIVES["publish"] in text and NARRATIVES["use"] in text
    assert images >= 1
    text, images = read_pdf(state_pdf)
    assert "State-wide progress report: FY 2026" in text
    assert "Office of Policy and Management" in text and "4 of 5 published datasets" in text
    assert NARRATIVES["quality"] in text
    assert images >= 3


def read_pdf(content: bytes) -> tuple[str, int]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), sum(len(page.images) for page in reader.pages)
