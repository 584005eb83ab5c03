"""`steward sharing ...`: every command from the command line, acting as its person (`--as`):
success output and `--json`, bad input as one `Error:` line and exit status 1, and the same
permissions as the web."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from sqlalchemy import select
from typer.testing import CliRunner

from steward.cli.main import app
from steward.requests.models import OutboxMessage

from .conftest import DATASET, END, World
from .test_extracts import SHARED, opt_out

ADO, CDO = "ado@dph.ct.gov", "cdo@ct.gov"
ANALYST, OTHER = "analyst@dss.ct.gov", "other@dss.ct.gov"


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture
def steward(world: World) -> Run:
    """`steward(*args, as_=EMAIL, ok=True)` runs the CLI on the world's store."""
    runner = CliRunner()

    def run(*args: str, as_: str | None = None, ok: bool = True) -> Result:
        root = ["--data-dir", str(world.settings.data_dir), "--database-url", world.database.url]
        acting = ["--as", as_] if as_ else []
        result = runner.invoke(app, [*root, *acting, "sharing", *args])
        assert (result.exit_code == 0) is ok, (result.stdout, result.stderr, result.exception)
        if not ok:
            assert result.exit_code == 1 and result.stderr.startswith("Error: "), result.stderr
            assert "Traceback" not in result.stderr + result.stdout
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


def spec(tmp_path: Path, **changes: Any) -> str:
    values = {
        "title": "Home visiting outcomes",
        "kind": "dua",
        "provider": "dph",
        "recipient_agency": "dss",
        "purposes": ["Evaluate the home visiting program"],
        "effective_date": "2026-01-01",
        "end_date": END.isoformat(),
        "datasets": [{"dataset_id": DATASET, "fields": ["town", "diagnosis"]}],
        "authorized_users": [ANALYST],
        **changes,
    }
    path = tmp_path / f"agreement-{len(list(tmp_path.glob('agreement-*.json')))}.json"
    path.write_text(json.dumps(values), encoding="utf-8")
    return str(path)


def test_an_agreement_drafted_moved_and_read_from_the_command_line(
    steward: Run, tmp_path: Path
) -> None:
    made = steward("agreement", "create", spec(tmp_path), "--json", as_=ADO).json()
    number = str(made["id"])
    assert made["status"] == "draft" and made["kind"] == "dua"
    text = steward("agreement", "create", spec(tmp_path, title="Second one"), as_=ADO).out
    assert text.startswith("Created agreement ") and "Second one (draft)" in text
    for step in ("legal_review", "signed", "active"):
        moved = steward("agreement", "status", number, step, "--note", f"to {step}", as_=ADO)
        assert moved.out.strip() == f"Agreement {number} is now {step}"
    shown = steward("agreement", "show", number, as_=ADO).out
    assert "Home visiting outcomes" in shown and "Department of Social Services" in shown
    assert f"dataset {DATASET}: town, diagnosis" in shown and f"{ANALYST} (active)" in shown
    assert "[x]" in shown or "[ ]" in shown
    detail = steward("agreement", "show", number, "--json", as_=ANALYST).json()
    assert [e["to_status"] for e in detail["history"]][-1] == "active"
    assert detail["history"][-1]["note"] == "to active" and detail["history"][-1]["by"] == ADO
    listed = steward("agreement", "list", "--json", as_=ADO).json()
    assert [a["title"] for a in listed] == ["Second one", "Home visiting outcomes"]
    active = steward("agreement", "list", "--status", "active", as_=ADO).out.splitlines()
    assert len(active) == 1 and number in active[0] and "active" in active[0]
    assert steward("agreement", "list", "--agency", "opm", "--json", as_=ADO).json() == []
    # the recipient's analyst who is not named sees neither
    assert steward("agreement", "list", "--json", as_=OTHER).json() == []


def test_the_renewal_reminder_is_marked_on_the_list(steward: Run, world: World) -> None:
    made = world.agreement(renewal_reminder_days=30)
    world.clock["today"] = END - timedelta(days=5)
    (line,) = steward("agreement", "list", as_=ADO).out.splitlines()
    assert line.split()[:3] == [str(made), "!", "active"]
    world.clock["today"] = END - timedelta(days=45)
    (line,) = steward("agreement", "list", as_=ADO).out.splitlines()
    assert "!" not in line


def test_bad_input_is_one_line_and_a_failure(steward: Run, tmp_path: Path, world: World) -> None:
    made = str(world.agreement())
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    cases: list[tuple[list[str], str]] = [
        (["agreement", "create", str(tmp_path / "missing.json")], "cannot read"),
        (["agreement", "create", str(broken)], "cannot read"),
        (["agreement", "create", spec(tmp_path, kind="nda")], "kind"),
        (["agreement", "create", spec(tmp_path, provider="nowhere")], "nowhere"),
        (["agreement", "create", spec(tmp_path, recipient_agency="dph")], "another agency"),
        (["agreement", "create", spec(tmp_path, authorized_users=["x@y.gov"])], "x@y.gov"),
        (["agreement", "create", spec(tmp_path, end_date="2025-01-01")], "end date"),
        (["agreement", "show", "999"], "no agreement 999"),
        (["agreement", "status", made, "approved"], "status"),
        (["agreement", "status", made, "draft"], "active agreement can move to"),
        (["agreement", "status", "999", "active"], "no agreement 999"),
        (["agreement", "list", "--status", "bogus"], "status must be one of"),
        (["agreement", "list", "--agency", "nowhere"], "nowhere"),
        (["agreement", "import", str(tmp_path / "missing.csv")], "cannot read"),
        (["agreement", "import", str(broken)], ".csv or .xlsx"),
        (["agreement", "render", made, "-o", str(tmp_path / "a.x"), "--format", "rtf"], "format"),
        (["agreement", "render", made, "-o", str(tmp_path / "no" / "a.pdf")], "cannot write"),
        (["agreement", "render", made, "-o", str(tmp_path / "a"), "--document", "memo"], "doc"),
        (["agreement", "export", "-o", str(tmp_path / "a.ods"), "--format", "ods"], "csv or xlsx"),
        (["grant", "suspend", "999"], "no grant 999"),
        (["grant", "resume", "999"], "no grant 999"),
        (["grant", "list", "--agency", "nowhere"], "nowhere"),
        (["extract", made, "--dataset", "nope", "--purpose", "Outcomes"], "dataset_id"),
    ]
    for args, words in cases:
        failed = steward(*args, as_=ADO, ok=False)
        assert words in failed.err, (args, failed.err)
    assert steward("agreement", "show", made, as_="nobody@ct.gov", ok=False).err.count("\n") == 1


def test_permissions_follow_the_person_acting(steward: Run, tmp_path: Path, world: World) -> None:
    made = str(world.agreement())
    for email in (ANALYST, "ado@dss.ct.gov", "analyst@dph.ct.gov"):
        refused = steward("agreement", "create", spec(tmp_path), as_=email, ok=False)
        assert "needs the ado role" in refused.err, refused.err
        steward("agreement", "status", made, "terminated", as_=email, ok=False)
    assert "agreement" in steward("agreement", "show", made, as_=OTHER, ok=False).err
    (grant,) = steward("grant", "list", "--agency", "dph", "--json", as_=ADO).json()
    for email in (ANALYST, "ado@dss.ct.gov"):
        steward("grant", "suspend", str(grant["id"]), as_=email, ok=False)
        steward("grant", "list", "--agency", "dph", as_=email, ok=False)
    # the system (no --as) is the local operator
    assert steward("agreement", "show", made, "--json").json()["id"] == int(made)


def test_grants_suspended_and_resumed(steward: Run, world: World) -> None:
    world.agreement()
    (mine,) = steward("grant", "list", "--json", as_=ANALYST).json()
    assert (mine["state"], mine["user_email"]) == ("active", ANALYST)
    number = str(mine["id"])
    line = steward("grant", "list", "--agency", "dph", as_=ADO).out.strip()
    assert line.split()[:3] == [number, "active", ANALYST]
    said = steward("grant", "suspend", number, "--reason", "Audit finding", as_=ADO).out
    assert said.strip() == f"Grant {number} of {ANALYST} is suspended"
    (mine,) = steward("grant", "list", "--json", as_=ANALYST).json()
    assert (mine["state"], mine["suspend_reason"]) == ("suspended", "Audit finding")
    assert "already suspended" in steward("grant", "suspend", number, as_=ADO, ok=False).err
    assert steward("grant", "resume", number, as_=ADO).out.strip().endswith("is active")
    assert "not suspended" in steward("grant", "resume", number, as_=ADO, ok=False).err
    assert steward("grant", "list", as_=OTHER).out == ""


def test_render_writes_files_that_open(steward: Run, world: World, tmp_path: Path) -> None:
    made = str(world.agreement())
    out = tmp_path / "agreement.docx"
    said = steward("agreement", "render", made, "-o", str(out), "--format", "docx", as_=ADO)
    assert said.out.startswith(f"Wrote {out}")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Program evaluation of home visiting" in text and "town, diagnosis" in text
    pdf = tmp_path / "agreement.pdf"
    steward("agreement", "render", made, "-o", str(pdf), as_=ANALYST)
    assert pdf.read_bytes().startswith(b"%PDF-")
    consent = tmp_path / "consent.html"
    steward(
        "agreement", "render", made, "-o", str(consent), "--format", "html",
        "--document", "consent", as_=ADO,
    )  # fmt: skip
    assert "Department of Social Services" in consent.read_text(encoding="utf-8")
    steward("agreement", "render", made, "-o", str(tmp_path / "x.pdf"), as_=OTHER, ok=False)
    assert not (tmp_path / "x.pdf").exists()


def test_import_and_export_round_trip(steward: Run, world: World, tmp_path: Path) -> None:
    first = world.agreement()
    exported = tmp_path / "agreements.csv"
    said = steward("agreement", "export", "-o", str(exported), as_=CDO).out
    assert said.startswith(f"Wrote {exported}")
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == [str(first)] and rows[0]["status"] == "active"
    imported = steward("agreement", "import", str(exported), as_=CDO).out
    assert imported.startswith("Imported 1 agreements: ")
    again = tmp_path / "again.xlsx"
    steward("agreement", "export", "-o", str(again), "--format", "xlsx", as_=CDO)
    assert again.read_bytes().startswith(b"PK")
    listed = steward("agreement", "list", "--json", as_=CDO).json()
    assert [a["title"] for a in listed] == ["Program evaluation of home visiting"] * 2
    bad = tmp_path / "bad.csv"
    bad.write_text("title,provider,kind\nGood one,dph,dsa\nBad one,dph,nda\n", encoding="utf-8")
    refused = steward("agreement", "import", str(bad), as_=CDO, ok=False).err
    assert "nothing was imported" in refused and "row 3" in refused
    assert len(steward("agreement", "list", "--json", as_=CDO).json()) == 2
    # an analyst exports only what they may read
    assert steward("agreement", "export", "-o", str(tmp_path / "o.csv"), as_=OTHER).code == 0
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").count("\n") == 1


def test_extract_from_the_command_line(steward: Run, world: World, tmp_path: Path) -> None:
    made = str(world.agreement(datasets=[SHARED]))
    opt_out(world, 4)
    out = tmp_path / "extract.csv"
    said = steward(
        "extract", made, "--dataset", DATASET, "--purpose", "Link outcomes", "-o", str(out),
        as_=ANALYST,
    ).out  # fmt: skip
    assert "56 rows, 4 people left out (opted out)" in said
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 56 and set(rows[0]) == {"person_id", "town", "diagnosis"}
    refused = steward(
        "extract", made, "--dataset", DATASET, "--purpose", "Link outcomes", as_=OTHER, ok=False
    )
    assert "not an authorized user" in refused.err


def test_remind_queues_renewal_reminders(steward: Run, world: World) -> None:
    made = world.agreement(renewal_reminder_days=30)
    world.clock["today"] = END - timedelta(days=3)
    run = steward("remind", "--json", as_=ADO).json()
    assert (run["due"], run["queued"], run["sent"]) == ([made], 1, 0)
    text = steward("remind").out
    assert "1 due for renewal, 0 reminders queued, 1 already sent" in text
    with world.database.session() as session:
        (message,) = session.scalars(select(OutboxMessage))
        assert (message.to_address, message.kind) == (ADO, "renewal")
    assert "needs the ado role" in steward("remind", as_=ANALYST, ok=False).err
