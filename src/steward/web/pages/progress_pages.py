"""Progress reports and the CDO dashboard as pages (#11 parts 5 and 6): the dashboard with its
charts and per-agency drill-down, the datasets its quality figures count, the reporting periods,
the state-wide report, and each agency's report with the forms of its workflow.

Plain HTML forms, no JavaScript; `steward.progress` checks every role; every form carries the
CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.errors import StewardError
from steward.progress import charts, reports, service
from steward.progress.figures import GOAL_IDS
from steward.progress.schemas import NarrativeUpdate, PeriodCreate, ReportReturn
from steward.web.api.deps import ActorDep, SettingsDep, get_session, get_settings
from steward.web.api.progress import pdf_response
from steward.web.auth import CsrfChecked
from steward.web.pages.render import render

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(include_in_schema=False)
DASHBOARD = "/console/dashboard"
BASE = "/console/progress"
PERIOD = BASE + "/{period_id}"
REPORT = PERIOD + "/{agency}"
NOTICES = {
    "opened": "The period was opened: every agency has a report pre-filled with its figures.",
    "refreshed": "The figures were measured again.",
    "saved": "The narrative was saved.",
    "submitted": "The report was submitted to the Chief Data Officer.",
    "returned": "The report was returned to the agency with your comment.",
    "accepted": "The report was accepted.",
}


def _notice(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("done", ""))


# the dashboard -----------------------------------------------------------------------------


@router.get(DASHBOARD, response_class=HTMLResponse)
def dashboard_page(
    request: Request, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> Response:
    board = service.dashboard(session, actor, settings)
    drawn = charts.dashboard_charts(board.state, board.agencies)
    context = {
        "board": board,
        "charts": drawn,
        "trend_charts": charts.trend_charts(board.trends, "all agencies"),
        "periods": service.list_periods(session, actor, settings),
    }
    return render(request, "progress/dashboard.html", context)


@router.get(DASHBOARD + "/agencies/{agency}", response_class=HTMLResponse)
def agency_page(
    request: Request, session: SessionDep, settings: SettingsDep, actor: ActorDep, agency: str
) -> Response:
    board = service.agency_dashboard(session, actor, settings, agency)
    context = {
        "board": board,
        "chart": charts.usage_chart(board.figures),
        "trend_charts": charts.trend_charts(board.trends, board.figures.name),
        "can": reports.abilities(session, actor, agency),
    }
    return render(request, "progress/agency.html", context)


@router.get(DASHBOARD + "/datasets", response_class=HTMLResponse)
def datasets_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    agency: Annotated[str, Query(max_length=64)] = "",
    freshness: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    records = service.dataset_records(session, actor, agency or None, freshness or None)
    context = {"records": records, "agency": agency, "freshness": freshness}
    return render(request, "progress/datasets.html", context)


# reporting periods -------------------------------------------------------------------------


@router.get(BASE, response_class=HTMLResponse)
def periods_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _periods(request, session, actor)


def _periods(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    context = {
        "periods": service.list_periods(session, actor, get_settings(request)),
        "can_open": service.can_open(actor),
        "error": error,
        "form": form or {},
        "notice": _notice(request),
    }
    return render(request, "progress/periods.html", context, status_code=400 if error else 200)


@router.post(BASE, dependencies=[CsrfChecked])
def open_period(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    name: Annotated[str, Form(max_length=200)] = "",
    starts_on: Annotated[str, Form(max_length=20)] = "",
    ends_on: Annotated[str, Form(max_length=20)] = "",
    due_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    form = {"name": name, "starts_on": starts_on, "ends_on": ends_on, "due_on": due_on}
    try:
        made = service.open_period(session, actor, settings, PeriodCreate.model_validate(form))
    except ValidationError as exc:
        return _periods(request, session, actor, error=_first(exc), form=form)
    except StewardError as exc:
        if exc.status in (401, 403):
            raise
        return _periods(request, session, actor, error=exc.message, form=form)
    return RedirectResponse(f"{BASE}/{made.id}?done=opened", status_code=303)


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


@router.get(PERIOD, response_class=HTMLResponse)
def state_page(request: Request, session: SessionDep, actor: ActorDep, period_id: int) -> Response:
    state = reports.state_report(session, actor, period_id)
    context = {
        "state": state,
        "charts": charts.dashboard_charts(state.figures, [r.figures for r in state.reports]),
        "trend_charts": charts.trend_charts(state.trends, "all agencies"),
        "notice": _notice(request),
    }
    return render(request, "progress/state.html", context)


@router.post(PERIOD + "/refresh", dependencies=[CsrfChecked])
def refresh_period(
    session: SessionDep, settings: SettingsDep, actor: ActorDep, period_id: int
) -> Response:
    service.refresh_period(session, actor, settings, period_id)
    return RedirectResponse(f"{BASE}/{period_id}?done=refreshed", status_code=303)


@router.get(PERIOD + "/report.pdf")
def state_pdf(session: SessionDep, actor: ActorDep, period_id: int) -> Response:
    return pdf_response(*reports.state_pdf(session, actor, period_id))


# an agency's report ------------------------------------------------------------------------


@router.get(REPORT, response_class=HTMLResponse)
def report_page(
    request: Request, session: SessionDep, actor: ActorDep, period_id: int, agency: str
) -> Response:
    return _report(request, session, actor, period_id, agency)


def _report(
    request: Request,
    session: Session,
    actor: Actor,
    period_id: int,
    agency: str,
    *,
    error: str | None = None,
    status_code: int = 200,
    entered: dict[str, str] | None = None,
) -> Response:
    report = reports.get_report(session, actor, get_settings(request), period_id, agency)
    context = {
        "report": report,
        "chart": charts.usage_chart(report.figures),
        "can": reports.abilities(session, actor, agency),
        "entered": entered or report.narratives,
        "notice": _notice(request),
        "error": error,
        "url": f"{BASE}/{report.period_id}/{report.agency}",
    }
    return render(request, "progress/report.html", context, status_code=status_code)


def _done(period_id: int, agency: str, done: str) -> Response:
    return RedirectResponse(f"{BASE}/{period_id}/{agency}?done={done}", status_code=303)


def _refused(
    request: Request,
    session: Session,
    actor: Actor,
    period_id: int,
    agency: str,
    exc: StewardError,
    entered: dict[str, str] | None = None,
) -> Response:
    if exc.status in (401, 403, 404):
        raise exc
    return _report(
        request,
        session,
        actor,
        period_id,
        agency,
        error=exc.message,
        status_code=exc.status,
        entered=entered,
    )


@router.post(REPORT + "/narrative", dependencies=[CsrfChecked])
async def save_narrative(
    request: Request, session: SessionDep, actor: ActorDep, period_id: int, agency: str
) -> Response:
    form = await request.form()
    entered = {goal: str(form.get(f"narrative_{goal}") or "") for goal in GOAL_IDS}
    try:
        data = NarrativeUpdate(narratives=entered)
        reports.save_narratives(session, actor, get_settings(request), period_id, agency, data)
    except ValidationError as exc:
        return _report(
            request,
            session,
            actor,
            period_id,
            agency,
            error=_first(exc),
            status_code=400,
            entered=entered,
        )
    except StewardError as exc:
        return _refused(request, session, actor, period_id, agency, exc, entered)
    return _done(period_id, agency, "saved")


@router.post(REPORT + "/refresh", dependencies=[CsrfChecked])
def refresh_report(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
    period_id: int,
    agency: str,
) -> Response:
    return _act(
        request,
        session,
        actor,
        period_id,
        agency,
        "refreshed",
        lambda: reports.refresh_report(session, actor, settings, period_id, agency),
    )


@router.post(REPORT + "/submit", dependencies=[CsrfChecked])
def submit_report(
    request: Request, session: SessionDep, actor: ActorDep, period_id: int, agency: str
) -> Response:
    return _act(
        request,
        session,
        actor,
        period_id,
        agency,
        "submitted",
        lambda: reports.submit_report(session, actor, period_id, agency),
    )


@router.post(REPORT + "/accept", dependencies=[CsrfChecked])
def accept_report(
    request: Request, session: SessionDep, actor: ActorDep, period_id: int, agency: str
) -> Response:
    return _act(
        request,
        session,
        actor,
        period_id,
        agency,
        "accepted",
        lambda: reports.accept_report(session, actor, period_id, agency),
    )


@router.post(REPORT + "/return", dependencies=[CsrfChecked])
def return_report(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    period_id: int,
    agency: str,
    comment: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    def run() -> object:
        return reports.return_report(
            session, actor, period_id, agency, ReportReturn(comment=comment)
        )

    try:
        return _act(request, session, actor, period_id, agency, "returned", run)
    except ValidationError:
        return _report(
            request,
            session,
            actor,
            period_id,
            agency,
            error="write a comment saying what to change",
            status_code=400,
        )


def _act(
    request: Request,
    session: Session,
    actor: Actor,
    period_id: int,
    agency: str,
    done: str,
    run: Callable[[], object],
) -> Response:
    try:
        run()
    except StewardError as exc:
        return _refused(request, session, actor, period_id, agency, exc)
    return _done(period_id, agency, done)


@router.get(REPORT + "/report.pdf")
def report_pdf(
    session: SessionDep, settings: SettingsDep, actor: ActorDep, period_id: int, agency: str
) -> Response:
    return pdf_response(*reports.report_pdf(session, actor, settings, period_id, agency))
