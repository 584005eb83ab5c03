"""The catalog commands act as `--as EMAIL` with that person's roles, or as the local operator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steward.cli.main import app

Run = Callable[..., str]


@pytest.fixture
def steward(tmp_path: Path) -> Run:
    runner = CliRunner()

    def run(*args: str, ok: bool = True) -> str:
        result = runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args])
        assert (result.exit_code == 0) is ok, result.output
        return result.output

    run("agency", "add", "--slug", "dph", "--name", "Public Health")
    run("agency", "add", "--slug", "opm", "--name", "Policy and Management")
    for email, role in [
        ("analyst@dph.ct.gov", "analyst@dph"),
        ("steward@dph.ct.gov", "steward@dph"),
        ("ado@dph.ct.gov", "ado@dph"),
        ("steward@opm.ct.gov", "steward@opm"),
    ]:
        run("user", "add", email, "--name", email, "--role", role, "--no-password")
    return run


def test_a_steward_works_on_their_agencys_data_only(steward: Run, tmp_path: Path) -> None:
    source = tmp_path / "towns.csv"
    source.write_text("Town,Count\nAndover,1\n")
    as_steward = ("--as", "steward@dph.ct.gov")
    created = steward(*as_steward, "dataset", "create", "--agency", "dph", "--title", "T", "--json")
    dataset_id = json.loads(created)["id"]
    refused = steward(*as_steward, "dataset", "create", "--agency", "opm", "--title", "T", ok=False)
    assert "Error: dataset.create" in refused and "steward role in that agency" in refused
    loaded = steward(*as_steward, "dataset", "ingest", dataset_id, str(source), "--json")
    assert json.loads(loaded)["created_by"] == "steward@dph.ct.gov"  # --by defaults to the actor
    steward(*as_steward, "dataset", "field", dataset_id, "town", "--description", "CT town")
    steward(*as_steward, "dataset", "update", dataset_id, "--access-level", "non-public")
    assert f"Published {dataset_id}" in steward(*as_steward, "dataset", "publish", dataset_id)
    assert f"Retired {dataset_id}" in steward(*as_steward, "dataset", "retire", dataset_id)

    for who in ("analyst@dph.ct.gov", "steward@opm.ct.gov"):
        for command in (
            ("dataset", "update", dataset_id, "--title", "Mine"),
            ("dataset", "field", dataset_id, "town", "--label", "Mine"),
            ("dataset", "ingest", dataset_id, str(source)),
            ("dataset", "publish", dataset_id),
        ):
            assert "Error:" in steward("--as", who, *command, ok=False)
    shown = json.loads(steward("dataset", "show", dataset_id, "--json"))
    assert shown["title"] == "T" and shown["current_version"] == 1
    by_operator = json.loads(steward("dataset", "ingest", dataset_id, str(source), "--json"))
    assert by_operator["created_by"] == "system"


def test_agencies_are_added_by_the_cdo_and_updated_by_their_ado(steward: Run) -> None:
    add = ("agency", "add", "--slug", "dss", "--name", "Social Services")
    assert "Error: agency.create" in steward("--as", "ado@dph.ct.gov", *add, ok=False)
    update = ("agency", "update", "dph", "--abbreviation", "DPH", "--json")
    assert "Error: agency.edit" in steward("--as", "steward@dph.ct.gov", *update, ok=False)
    changed = json.loads(steward("--as", "ado@dph.ct.gov", *update))
    assert (changed["slug"], changed["name"], changed["abbreviation"]) == (
        "dph",
        "Public Health",
        "DPH",
    )
    clash = steward("agency", "update", "dph", "--name", "Policy and Management", ok=False)
    assert "Error: an agency with slug 'opm'" in clash
    assert "Updated agency dph: Department of Public Health" in steward(
        "agency", "update", "dph", "--name", "Department of Public Health"
    )
