"""Role matrix rows of progress reports and the CDO dashboard (#11 parts 5 and 6).

`setup` opens reporting periods as the system, one per write so that each row finds its report
in the state it needs: drafts with every narrative written (for narrative, refresh and submit
rows, by API and by page) and submitted reports (for the CDO's return and accept rows). A write
the ADO makes first leaves the CDO a 409, which still counts as let in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from steward.accounts.policy import SYSTEM
from steward.config import Settings
from steward.db import Database
from steward.progress import reports, service
from steward.progress.figures import GOAL_IDS
from steward.progress.schemas import NarrativeUpdate, PeriodCreate

API = "/api/v1/progress/periods"
PAGE = "/console/progress"
WRITTEN = NarrativeUpdate(narratives=dict.fromkeys(GOAL_IDS, "Matrix narrative"))
NAMES = ("draft_api", "return_api", "accept_api", "draft_page", "return_page", "accept_page")


def _period(session: Any, settings: Settings, name: str, submit: bool) -> int:
    data = PeriodCreate(
        name=f"Matrix {name}",
        starts_on=date(2025, 7, 1),
        ends_on=date(2026, 6, 30),
        due_on=date(2099, 9, 30),
    )
    made = service.open_period(session, SYSTEM, settings, data).id
    reports.save_narratives(session, SYSTEM, settings, made, "dph", WRITTEN)
    if submit:
        reports.submit_report(session, SYSTEM, made, "dph")
    return made


def setup(database: Database, settings: Settings) -> dict[str, Any]:
    with database.session() as session:
        return {name: _period(session, settings, name, "draft" not in name) for name in NAMES}


def _report(base: str, period: str, tail: str = "") -> str:
    middle = "/reports/dph" if base == API else "/dph"
    return f"{base}/{{{period}}}{middle}{tail}"


ROWS: list[dict[str, Any]] = [
    # API: dashboard
    {"method": "GET", "path": "/api/v1/dashboard", "need": "cdo", "url": "/api/v1/dashboard"},
    {
        "method": "GET",
        "path": "/api/v1/dashboard/agencies/{agency}",
        "need": "ado",
        "url": "/api/v1/dashboard/agencies/dph",
    },
    # API: periods
    {"method": "GET", "path": API, "need": "signed_in", "url": API},
    {
        "method": "POST",
        "path": API,
        "need": "cdo",
        "url": API,
        "json": {
            "name": "Matrix API period",
            "starts_on": "2026-07-01",
            "ends_on": "2027-06-30",
            "due_on": "2027-09-30",
        },
    },
    {
        "method": "GET",
        "path": API + "/{period_id}",
        "need": "signed_in",
        "url": API + "/{draft_api}",
    },
    {
        "method": "POST",
        "path": API + "/{period_id}/refresh",
        "need": "cdo",
        "url": API + "/{draft_page}/refresh",
    },
    {
        "method": "GET",
        "path": API + "/{period_id}/report",
        "need": "cdo",
        "url": API + "/{draft_api}/report",
    },
    {
        "method": "GET",
        "path": API + "/{period_id}/report.pdf",
        "need": "cdo",
        "url": API + "/{draft_api}/report.pdf",
    },
    # API: an agency's report
    {
        "method": "GET",
        "path": API + "/{period_id}/reports/{agency}",
        "need": "analyst",
        "url": _report(API, "draft_api"),
    },
    {
        "method": "GET",
        "path": API + "/{period_id}/reports/{agency}/report.pdf",
        "need": "analyst",
        "url": _report(API, "draft_api", "/report.pdf"),
    },
    {
        "method": "PUT",
        "path": API + "/{period_id}/reports/{agency}/narrative",
        "need": "ado",
        "url": _report(API, "draft_api", "/narrative"),
        "json": {"narratives": {"use": "Matrix use"}},
    },
    {
        "method": "POST",
        "path": API + "/{period_id}/reports/{agency}/refresh",
        "need": "ado",
        "url": _report(API, "draft_api", "/refresh"),
    },
    {
        "method": "POST",
        "path": API + "/{period_id}/reports/{agency}/submit",
        "need": "ado",
        "url": _report(API, "draft_api", "/submit"),
    },
    {
        "method": "POST",
        "path": API + "/{period_id}/reports/{agency}/return",
        "need": "cdo",
        "url": _report(API, "return_api", "/return"),
        "json": {"comment": "Matrix comment"},
    },
    {
        "method": "POST",
        "path": API + "/{period_id}/reports/{agency}/accept",
        "need": "cdo",
        "url": _report(API, "accept_api", "/accept"),
    },
    # pages: dashboard
    {"method": "GET", "path": "/console/dashboard", "need": "cdo", "url": "/console/dashboard"},
    {
        "method": "GET",
        "path": "/console/dashboard/agencies/{agency}",
        "need": "ado",
        "url": "/console/dashboard/agencies/dph",
    },
    {
        "method": "GET",
        "path": "/console/dashboard/datasets",
        "need": "analyst",
        "url": "/console/dashboard/datasets?agency=dph&freshness=scheduled",
    },
    # pages: periods
    {"method": "GET", "path": PAGE, "need": "signed_in", "url": PAGE},
    {
        "method": "POST",
        "path": PAGE,
        "need": "cdo",
        "url": PAGE,
        "data": {
            "name": "Matrix page period",
            "starts_on": "2026-07-01",
            "ends_on": "2027-06-30",
            "due_on": "2027-09-30",
        },
    },
    {"method": "GET", "path": PAGE + "/{period_id}", "need": "cdo", "url": PAGE + "/{draft_page}"},
    {
        "method": "POST",
        "path": PAGE + "/{period_id}/refresh",
        "need": "cdo",
        "url": PAGE + "/{draft_api}/refresh",
    },
    {
        "method": "GET",
        "path": PAGE + "/{period_id}/report.pdf",
        "need": "cdo",
        "url": PAGE + "/{draft_page}/report.pdf",
    },
    # pages: an agency's report
    {
        "method": "GET",
        "path": PAGE + "/{period_id}/{agency}",
        "need": "analyst",
        "url": _report(PAGE, "draft_page"),
    },
    {
        "method": "GET",
        "path": PAGE + "/{period_id}/{agency}/report.pdf",
        "need": "analyst",
        "url": _report(PAGE, "draft_page", "/report.pdf"),
    },
    {
        "method": "POST",
        "path": PAGE + "/{period_id}/{agency}/narrative",
        "need": "ado",
        "url": _report(PAGE, "draft_page", "/narrative"),
        "data": {f"narrative_{goal}": "Matrix page narrative" for goal in GOAL_IDS},
    },
    {
        "method": "POST",
        "path": PAGE + "/{period_id}/{agency}/refresh",
        "need": "ado",
        "url": _report(PAGE, "draft_page", "/refresh"),
    },
    {
        "method": "POST",
        "path": PAGE + "/{period_id}/{agency}/submit",
        "need": "ado",
        "url": _report(PAGE, "draft_page", "/submit"),
    },
    {
        "method": "POST",
        "path": PAGE + "/{period_id}/{agency}/return",
        "need": "cdo",
        "url": _report(PAGE, "return_page", "/return"),
        "data": {"comment": "Matrix page comment"},
    },
    {
        "method": "POST",
        "path": PAGE + "/{period_id}/{agency}/accept",
        "need": "cdo",
        "url": _report(PAGE, "accept_page", "/accept"),
    },
]
