"""`steward progress`: periods, the report workflow, PDFs and the dashboard from the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest

from steward.progress.figures import GOAL_IDS

from .conftest import Run

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
CDO, ADO = "cdo@ct.gov", "ado@dph.ct.gov"


def test_the_workflow_from_the_cli(steward: Run, tmp_path: Path) -> None:
    dates = ["--start", "2025-07-01", "--end", "2026-06-30", "--due", "2099-09-30"]
    assert "Opened period 1 (FY 2026): 3 reports" in steward(
        "progress", "period", "open", "FY 2026", *dates, as_=CDO
    )
    refused = steward("progress", "period", "open", "Other", *dates, as_=ADO, ok=False)
    assert "needs the CDO" in refused
    bad = steward(
        "progress",
        "period",
        "open",
        "Bad",
        "--start",
        "soon",
        "--end",
        "2026-06-30",
        "--due",
        "2026-09-30",
        as_=CDO,
        ok=False,
    )
    assert bad.startswith("Error: starts_on")
    assert "3 draft" in steward("progress", "period", "list", as_=CDO)
    for goal in GOAL_IDS:
        steward(
            "progress",
            "report",
            "narrative",
            "1",
            "dph",
            "--goal",
            goal,
            "--text",
            f"CLI {goal}",
            as_=ADO,
        )
    shown = steward("progress", "report", "show", "1", "dph", as_="analyst@dph.ct.gov")
    assert "Datasets available through the API: 3" in shown and "CLI respond" in shown
    assert "Submitted" in steward("progress", "report", "submit", "1", "dph", as_=ADO)
    steward("progress", "report", "return", "1", "dph", "--comment", "More detail", as_=CDO)
    assert "Returned: More detail" in steward("progress", "report", "show", "1", "dph", as_=ADO)
    steward("progress", "report", "submit", "1", "dph", as_=ADO)
    assert "Accepted" in steward("progress", "report", "accept", "1", "dph", as_=CDO)
    as_json = json.loads(steward("progress", "report", "show", "1", "dph", "--json", as_=ADO))
    assert as_json["status"] == "accepted"
    target = tmp_path / "state.pdf"
    steward("progress", "report", "pdf", "1", "--output", str(target), as_=CDO)
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    assert "State-wide progress report: FY 2026" in reader.pages[0].extract_text()
    steward("progress", "report", "pdf", "1", "--output", str(target), as_=ADO, ok=False)


def test_the_dashboard_from_the_cli(steward: Run) -> None:
    board = json.loads(steward("progress", "dashboard", "--json", as_=CDO))
    assert board["state"]["scope"] == "state" and len(board["agencies"]) == 3
    assert "Datasets available through the API: 3" in steward(
        "progress", "dashboard", "--agency", "dph", as_=ADO
    )
    steward("progress", "dashboard", as_=ADO, ok=False)
