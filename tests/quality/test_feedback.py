"""The feedback loop: the public form, the stewards' queue and statuses, the reporter's private
page, public counts and the CDO's response times."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from steward.app import create_app
from steward.config import Settings
from steward.db import Database
from steward.errors import Invalid, NotFound
from steward.quality import feedback, summary
from steward.quality.models import FeedbackReport
from steward.quality.schemas import FeedbackCreate, FeedbackUpdate
from steward.web.pages.quality_pages import ReportLimiter

from .conftest import Ingest

CSV = "Date,Town,Cases\n01/01/2021,Andover,5\n01/02/2021,Ansonia,7\n"
REPORT = {
    "message": "Ansonia cases on 01/02 should be 9",
    "field": "cases",
    "row_reference": "Ansonia, 2021-01-02",
    "email": "resident@example.org",
    "website": "",
}


def signed(web: TestClient, report: dict[str, str]) -> dict[str, str]:
    """The report with the CSRF token of the form page, as a browser would send it."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/d/qual-0001/feedback").text)
    assert token is not None
    return {**report, "csrf_token": token.group(1)}


@pytest.fixture
def web(store: Database, ingest: Ingest, settings: Settings) -> TestClient:
    ingest(CSV)
    return TestClient(create_app(settings))


def test_a_report_goes_to_the_queue_and_back_to_its_reporter(
    web: TestClient, store: Database
) -> None:
    form = web.get("/d/qual-0001/feedback")
    assert form.status_code == 200 and 'name="website"' in form.text
    sent = web.post("/d/qual-0001/feedback", data=signed(web, REPORT), follow_redirects=False)
    assert sent.status_code == 303
    link = sent.headers["location"].split("?")[0]
    page = web.get(sent.headers["location"])
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "received" in page.text and "resident@example.org" not in page.text
    with store.session() as session:
        (item,) = feedback.queue(session, agency="dph")
        assert (item.status, item.email, item.field, item.version) == (
            "new",
            "resident@example.org",
            "cases",
            1,
        )
        assert session.get(FeedbackReport, item.id).token_hash not in link  # type: ignore[union-attr]
        feedback.set_status(session, item.id, FeedbackUpdate(status="acknowledged"), "steward")
        fixed = FeedbackUpdate(status="fixed", fixed_in_version=1, note="Corrected at the source")
        feedback.set_status(session, item.id, fixed, "steward")
        assert feedback.queue(session, agency="dph") == []
    page = web.get(link).text
    assert "version 1</a>" in page and "Corrected at the source" in page
    counts = web.get("/api/v1/datasets/qual-0001/feedback").json()
    assert counts == {"open": 0, "fixed": 1, "wont_fix": 0, "total": 1}
    assert "0 open · 1 fixed" in web.get("/d/qual-0001").text


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"message": "short"}, 400, "at least 10 characters"),
        ({"message": "x" * 4001}, 400, "at most 4000 characters"),
        ({"message": "x" * 20_000}, 400, "too long"),
        ({"email": "not-an-address"}, 400, "not an email address"),
        ({"field": "nope"}, 400, "has no field"),
        ({"website": "http://spam.example"}, 400, "could not be accepted"),
    ],
)
def test_bad_reports_get_the_form_back_with_a_400(
    web: TestClient, store: Database, change: dict, status: int, message: str
) -> None:
    answer = web.post("/d/qual-0001/feedback", data=signed(web, {**REPORT, **change}))
    assert answer.status_code == status
    assert message in answer.text and 'role="alert"' in answer.text
    with store.session() as session:
        assert feedback.queue(session, status="all") == []


def test_reports_are_rate_limited_per_address(web: TestClient) -> None:
    codes = [
        web.post(
            "/d/qual-0001/feedback", data=signed(web, REPORT), follow_redirects=False
        ).status_code
        for _ in range(6)
    ]
    assert codes == [303] * 5 + [429]


def test_the_limiter_forgets_after_its_window() -> None:
    limiter = ReportLimiter(limit=2, window=10)
    assert [limiter.allow("a", now) for now in (0, 1, 2, 11, 12)] == [True, True, False, True, True]


def test_only_forms_are_accepted(web: TestClient) -> None:
    assert web.post("/d/qual-0001/feedback", json=REPORT).status_code == 400
    assert web.post("/d/nope-0000/feedback", data=REPORT).status_code == 404
    assert web.get("/feedback/not-a-token").status_code == 404
    assert web.get("/feedback/" + "A" * 32).status_code == 404


def test_statuses_need_their_details(store: Database, ingest: Ingest) -> None:
    ingest(CSV)
    with store.session() as session:
        _, _report = feedback.submit(session, "qual-0001", FeedbackCreate(message="Totals are off"))
        (item,) = feedback.queue(session)
        with pytest.raises(Invalid, match="which version"):
            feedback.set_status(session, item.id, FeedbackUpdate(status="fixed"), "s")
        with pytest.raises(Invalid, match="no version 9"):
            feedback.set_status(
                session, item.id, FeedbackUpdate(status="fixed", fixed_in_version=9), "s"
            )
        with pytest.raises(Invalid, match="needs a reason"):
            feedback.set_status(session, item.id, FeedbackUpdate(status="wont_fix"), "s")
        with pytest.raises(NotFound):
            feedback.set_status(session, 999, FeedbackUpdate(status="acknowledged"), "s")
        closed = feedback.set_status(
            session, item.id, FeedbackUpdate(status="wont_fix", reason="As published by CDC"), "s"
        )
        assert (closed.status, closed.reason) == ("wont_fix", "As published by CDC")


def test_response_times_by_agency(store: Database, ingest: Ingest) -> None:
    ingest(CSV)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with store.session() as session:
        for hours in (2, 6, None):
            feedback.submit(session, "qual-0001", FeedbackCreate(message="Something is wrong"))
            report = session.query(FeedbackReport).order_by(FeedbackReport.id.desc()).first()
            assert report is not None
            report.created_at = start
            if hours is not None:
                later = start + timedelta(hours=hours)
                feedback.set_status(
                    session, report.id, FeedbackUpdate(status="acknowledged"), "s", now=later
                )
        times = summary.response_times(session, now=start + timedelta(days=3))
    (dph,) = times.agencies
    assert (dph.reports, dph.open, dph.responded, dph.resolved) == (3, 3, 2, 0)
    assert dph.median_hours_to_response == 4.0 and dph.median_hours_to_resolution is None
    assert dph.oldest_open_days == 3.0
    assert times.reports == 3
