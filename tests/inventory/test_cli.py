"""`steward inventory`: a full cycle from the command line, each step acting as its person."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steward.cli.main import app

Run = Callable[..., str]


@pytest.fixture
def steward(world) -> Run:  # type: ignore[no-untyped-def]
    """`steward(*args, as_=EMAIL, ok=True)` runs the CLI on the world's store."""
    runner = CliRunner()

    def run(*args: str, as_: str | None = None, ok: bool = True) -> str:
        root = ["--data-dir", str(world.settings.data_dir), "--database-url", world.database.url]
        acting = ["--as", as_] if as_ else []
        result = runner.invoke(app, [*root, *acting, *args])
        assert (result.exit_code == 0) is ok, result.output
        return result.output

    return run


def test_a_full_cycle_from_the_command_line(steward: Run, tmp_path: Path) -> None:
    cdo, ado = "cdo@ct.gov", "ado@dph.ct.gov"
    opened = steward("inventory", "open", "2026", "--due", "2026-03-31", as_=cdo)
    assert "Opened the 2026 inventory, due 2026-03-31" in opened
    refused = steward("inventory", "open", "2027", "--due", "2027-03-31", as_=ado, ok=False)
    assert "Error: inventory.open_cycle the 2027 inventory needs the CDO" in refused
    added = json.loads(
        steward(
            "inventory",
            "add-asset",
            "2026",
            "dph",
            "--name",
            "Opioid overdose emergency visits",
            "--description",
            "Emergency department visits for suspected overdoses.",
            "--system-of-record",
            "EpiCenter",
            "--criterion",
            "B=Shows how fast the state responds",
            "--criterion",
            "h=Reported to the legislature",
            "--classification",
            "protected",
            "--phi",
            "--access-level",
            "restricted public",
            "--access-reason",
            "Small counts identify people",
            "--status",
            "planned",
            "--planned-date",
            "2026-12-01",
            "--update-frequency",
            "weekly",
            "--geographic-unit",
            "county",
            "--json",
            as_=ado,
        )
    )
    assert added["criteria_met"] == ["B", "H"] and added["contains_phi"] is True
    assert "submitted" in steward("inventory", "submit", "2026", "dph", as_=ado)
    needs_comment = steward(
        "inventory", "return", "2026", "dph", "--comment", " ", as_=cdo, ok=False
    )
    assert "needs a comment" in needs_comment
    assert "returned" in steward(
        "inventory", "return", "2026", "dph", "--comment", "Add the custodian", as_=cdo
    )
    shown = steward("inventory", "show", "2026", "dph", as_=ado)
    assert "review comment: Add the custodian" in shown and "Opioid overdose" in shown
    steward(
        "inventory",
        "update-asset",
        "2026",
        "dph",
        str(added["id"]),
        "--custodian",
        "DPH IT",
        as_=ado,
    )
    assert "submitted" in steward(
        "inventory", "submit", "2026", "dph", "--comment", "Fixed", as_=ado
    )
    assert "accepted" in steward("inventory", "accept", "2026", "dph", as_=cdo)

    target = tmp_path / "dph.csv"
    steward("inventory", "export", "2026", "dph", "--format", "csv", "-o", str(target), as_=ado)
    (row,) = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert (row["Asset name"], row["Data custodian"], row["Submission status"]) == (
        "Opioid overdose emergency visits",
        "DPH IT",
        "accepted",
    )
    everything = steward("inventory", "export", "2026", "--format", "json", as_=cdo)
    assert json.loads(everything)["dataset"][0]["accessLevel"] == "restricted public"
    state = tmp_path / "state.xlsx"
    steward("inventory", "export", "2026", "--format", "xlsx", "-o", str(state), as_=cdo)
    assert state.read_bytes()[:2] == b"PK"
    history = steward("inventory", "history", "2026", "dph", as_="analyst@dph.ct.gov")
    assert "returned: Add the custodian" in history and "updated “Opioid" in history
    board = steward("inventory", "dashboard", "2026", as_=cdo)
    assert "dph          accepted         1     1" in board
    listed = steward("inventory", "list", as_="steward@opm.ct.gov")
    assert "opm" in listed and "dph" not in listed


def test_an_import_with_bad_rows_changes_nothing(steward: Run, tmp_path: Path) -> None:
    steward("inventory", "open", "2026", "--due", "2026-03-31")  # the system, without --as
    sheet = tmp_path / "dph.csv"
    sheet.write_text(
        "Asset name,Classification,Access level,Reason not public,Open data status\n"
        "Well permits,public,public,,published\n"
        "Newborn screening,personal,non-public,,not publishable\n",
        encoding="utf-8",
    )
    output = steward(
        "inventory", "import", "2026", "dph", str(sheet), as_="steward@dph.ct.gov", ok=False
    )
    assert "Error: nothing was imported; the file has 2 problems:" in output
    assert "row 3: the access level is non-public, so give the reason" in output
    assert "row 3: the open-data status is not publishable, so give the reason" in output
    assert "Well permits" not in steward("inventory", "show", "2026", "dph")
    sheet.write_text(
        "Asset name,Classification,Access level,Open data status\n"
        "Well permits,public,public,published\n"
    )
    assert "1 added" in steward(
        "inventory", "import", "2026", "dph", str(sheet), as_="steward@dph.ct.gov"
    )
    removed = steward(
        "inventory", "remove-asset", "2026", "dph", "1", as_="analyst@dph.ct.gov", ok=False
    )
    assert "needs the steward role" in removed
    bad = steward("inventory", "add-asset", "2026", "dph", "--criterion", "Q=x", ok=False)
    assert "there is no criterion 'Q'" in bad
