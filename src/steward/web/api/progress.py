"""Progress reports and the CDO dashboard API (#11 parts 5 and 6): reporting periods, each
agency's report through its workflow (narrative, submit, return, accept), the reports as PDF,
and the dashboard's figures as JSON.

Each route names the least role it needs; `steward.progress` checks it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from sqlalchemy.orm import Session

from steward.progress import reports, service
from steward.progress.schemas import (
    AgencyDashboard,
    Dashboard,
    NarrativeUpdate,
    PeriodCreate,
    PeriodPublic,
    ReportPublic,
    ReportReturn,
    StateReport,
)
from steward.web.api.deps import ActorDep, SettingsDep, get_session

# Commit before the answer is sent: a script's next call must see the change just made.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(prefix="/api/v1", tags=["progress"])
PERIODS = "/progress/periods"
PERIOD = PERIODS + "/{period_id}"
REPORT = PERIOD + "/reports/{agency}"


def pdf_response(name: str, content: bytes) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type="application/pdf", headers=headers)


@router.get("/dashboard", response_model=Dashboard, summary="The CDO dashboard's figures (cdo)")
def get_dashboard(session: SessionDep, settings: SettingsDep, actor: ActorDep) -> Dashboard:
    return service.dashboard(session, actor, settings)


@router.get(
    "/dashboard/agencies/{agency}",
    response_model=AgencyDashboard,
    summary="One agency's figures and the datasets they count (ado)",
)
def get_agency_dashboard(
    session: SessionDep, settings: SettingsDep, actor: ActorDep, agency: str
) -> AgencyDashboard:
    return service.agency_dashboard(session, actor, settings, agency)


@router.get(PERIODS, response_model=list[PeriodPublic], summary="Reporting periods (signed in)")
def list_periods(session: SessionDep, settings: SettingsDep, actor: ActorDep) -> list[PeriodPublic]:
    return service.list_periods(session, actor, settings)


@router.post(
    PERIODS,
    response_model=PeriodPublic,
    status_code=201,
    summary="Open a reporting period: every agency gets a pre-filled report (cdo)",
)
def open_period(
    session: SessionDep, settings: SettingsDep, actor: ActorDep, data: PeriodCreate
) -> PeriodPublic:
    return service.open_period(session, actor, settings, data)


@router.get(PERIOD, response_model=PeriodPublic, summary="A period (signed in)")
def get_period(session: SessionDep, actor: ActorDep, period_id: int) -> PeriodPublic:
    return service.get_period(session, actor, period_id)


@router.post(
    PERIOD + "/refresh",
    response_model=PeriodPublic,
    summary="Measure again: state figures and reports still editable (cdo)",
)
def refresh_period(
    session: SessionDep, settings: SettingsDep, actor: ActorDep, period_id: int
) -> PeriodPublic:
    return service.refresh_period(session, actor, settings, period_id)


@router.get(PERIOD + "/report", response_model=StateReport, summary="The state-wide report (cdo)")
def state_report(session: SessionDep, actor: ActorDep, period_id: int) -> StateReport:
    return reports.state_report(session, actor, period_id)


@router.get(PERIOD + "/report.pdf", summary="The state-wide report as PDF with charts (cdo)")
def state_pdf(session: SessionDep, actor: ActorDep, period_id: int) -> Response:
    return pdf_response(*reports.state_pdf(session, actor, period_id))


@router.get(REPORT, response_model=ReportPublic, summary="An agency's report (analyst)")
def get_report(
    session: SessionDep, settings: SettingsDep, actor: ActorDep, period_id: int, agency: str
) -> ReportPublic:
    return reports.get_report(session, actor, settings, period_id, agency)


@router.put(
    REPORT + "/narrative",
    response_model=ReportPublic,
    summary="Write the narrative of the goals sent (ado)",
)
def put_narrative(
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    period_id: int,
    agency: str,
    data: NarrativeUpdate,
) -> ReportPublic:
    return reports.save_narratives(session, actor, settings, period_id, agency, data)


@router.post(
    REPORT + "/refresh", response_model=ReportPublic, summary="Measure the figures again (ado)"
)
def refresh_report(
    session: SessionDep, settings: SettingsDep, actor: ActorDep, period_id: int, agency: str
) -> ReportPublic:
    return reports.refresh_report(session, actor, settings, period_id, agency)


@router.post(REPORT + "/submit", response_model=ReportPublic, summary="Submit to the CDO (ado)")
def submit_report(
    session: SessionDep, actor: ActorDep, period_id: int, agency: str
) -> ReportPublic:
    return reports.submit_report(session, actor, period_id, agency)


@router.post(REPORT + "/return", response_model=ReportPublic, summary="Return with a comment (cdo)")
def return_report(
    session: SessionDep, actor: ActorDep, period_id: int, agency: str, data: ReportReturn
) -> ReportPublic:
    return reports.return_report(session, actor, period_id, agency, data)


@router.post(REPORT + "/accept", response_model=ReportPublic, summary="Accept (cdo)")
def accept_report(
    session: SessionDep, actor: ActorDep, period_id: int, agency: str
) -> ReportPublic:
    return reports.accept_report(session, actor, period_id, agency)


@router.get(REPORT + "/report.pdf", summary="An agency's report as PDF with its chart (analyst)")
def report_pdf(
    session: SessionDep, settings: SettingsDep, actor: ActorDep, period_id: int, agency: str
) -> Response:
    return pdf_response(*reports.report_pdf(session, actor, settings, period_id, agency))
