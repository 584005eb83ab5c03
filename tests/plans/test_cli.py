"""`steward plan` and `steward assess`: each step acting as its person, errors as one line."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from steward.plans import maturity

from .conftest import Run, World

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
ADO, STEWARD = "ado@dph.ct.gov", "steward@dph.ct.gov"


def test_a_plan_from_the_command_line(world: World, steward: Run, tmp_path: Path) -> None:
    refused = steward("plan", "create", "dph", "2026-2027", as_=STEWARD, ok=False)
    assert "Error: plans.create a 2026-2027 plan for Department of Public Health needs" in refused
    assert "two consecutive years" in steward("plan", "create", "dph", "2026-28", as_=ADO, ok=False)
    assert "(draft)" in steward("plan", "create", "dph", "2026-2027", "--summary", "Goals", as_=ADO)
    target = (date.today() + timedelta(days=7)).isoformat()
    added = json.loads(
        steward(
            "plan", "add", "dph", "2026-2027",
            "--dataset", "plan-0001", "--target", target, "--priority", "high", "--json",
            as_=STEWARD,
        )
    )  # fmt: skip
    assert added["title"] == "Lead poisoning cases by town" and added["adherence"] == "pending"
    assert "needs a target date" in steward(
        "plan", "add", "dph", "2026-2027", "--title", "Births", as_=STEWARD, ok=False
    )
    steward("plan", "add", "dph", "2026-2027", "--kind", "published", "--dataset", "plan-0002")
    saved = steward(
        "plan", "update", "dph", "2026-2027", str(added["id"]), "--rationale", "Asked", as_=STEWARD
    )
    assert saved.startswith("Saved") and "Not yet released" in saved
    assert "Published the 2026-2027 plan" in steward("plan", "publish", "dph", "2026-2027", as_=ADO)
    world.publish("plan-0001")
    shown = steward("plan", "show", "dph", "2026-2027")  # public now: no --as needed
    assert "100% on time" in shown and "Released on time" in shown
    listed = steward("plan", "list")
    assert "dph" in listed and "published" in listed
    rows = list(csv.DictReader(io.StringIO(steward("plan", "export", "dph", "2026-2027"))))
    assert [row["Adherence"] for row in rows] == ["Released on time", "Published"]
    assert "needs -o FILE" in steward(
        "plan", "export", "dph", "2026-2027", "--format", "xlsx", ok=False
    )
    target_file = tmp_path / "plan.xlsx"
    steward("plan", "export", "dph", "2026-2027", "--format", "xlsx", "-o", str(target_file))
    sheet = load_workbook(target_file).active
    assert sheet is not None and sheet.max_row == 3
    assert "keeps its entries" in steward(
        "plan", "remove", "dph", "2026-2027", str(added["id"]), as_=STEWARD, ok=False
    )
    assert "no inventory entries" in steward(
        "plan", "from-inventory", "dph", "2026-2027", as_=STEWARD, ok=False
    )


def test_a_maturity_assessment_from_the_command_line(world: World, steward: Run) -> None:
    assert "Started maturity assessment 1" in steward("assess", "maturity", "start", "dph", as_=ADO)
    everything = [f"{element}=2" for element in maturity.ELEMENT_IDS]
    assert "30 of 30" in steward("assess", "maturity", "rate", "dph", "1", *everything, as_=ADO)
    assert "is not a whole number" in steward(
        "assess", "maturity", "rate", "dph", "1", "analytics=high", as_=ADO, ok=False
    )
    assert "not one of the ten elements" in steward(
        "assess", "maturity", "rate", "dph", "1", "vibes=3", as_=ADO, ok=False
    )
    assert "overall 2.0" in steward("assess", "maturity", "complete", "dph", "1", as_=ADO)
    steward("assess", "maturity", "start", "dph", as_=ADO)
    steward(
        "assess", "maturity", "rate", "dph", "2", "analytics.people=4", "--note", "analytics=Hired",
        as_=ADO,
    )  # fmt: skip
    shown = steward("assess", "maturity", "show", "dph", "2", as_=ADO)
    analytics = next(line for line in shown.splitlines() if line.startswith("Analytics"))
    assert analytics.split()[1:4] == ["4+", "2=", "2="]
    assert "compared with 1" in shown
    assert "draft" in steward("assess", "maturity", "list", "dph", as_=ADO)
    assert "draft" not in steward("assess", "maturity", "list", "dph", as_="steward@opm.ct.gov")


def test_an_ethics_assessment_from_the_command_line(world: World, steward: Run) -> None:
    started = steward("assess", "ethics", "start", "--dataset", "plan-0001", as_=STEWARD)
    assert started.startswith("Started ethics assessment 1: Lead poisoning cases by town")
    scores = [f"{p}=4" for p in ("public_benefit", "diverse_expertise", "data_quality")]
    scored = steward(
        "assess", "ethics", "score", "1", *scores, "legal_compliance=5", "wider_implications=1",
        "--note", "wider_implications=Small towns", as_=STEWARD,
    )  # fmt: skip
    assert "RISK" in scored and "to complete: the risk on Wider implications" in scored
    assert "needs an owner" in steward("assess", "ethics", "complete", "1", as_=STEWARD, ok=False)
    steward(
        "assess", "risks", "update", "1", "--owner", "Epi", "--mitigation", "Suppress", as_=STEWARD
    )
    assert "18/25" in steward("assess", "ethics", "complete", "1", as_=STEWARD)
    assert "[open]" in steward("assess", "risks", "list", "--status", "open", as_=STEWARD)
    assert "[closed]" in steward("assess", "risks", "close", "1", "--note", "Done", as_=STEWARD)
    assert "Lead poisoning" in steward("assess", "ethics", "list")  # the local operator
    assert steward("assess", "ethics", "list", as_="steward@opm.ct.gov").strip() == ""
    assert "needs the analyst role" in steward(
        "assess", "ethics", "show", "1", as_="steward@opm.ct.gov", ok=False
    )
