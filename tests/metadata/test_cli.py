"""`steward metadata report` and `steward metadata check` over the demo store."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from steward.cli.main import app
from steward.config import Settings


def _run(store: Settings, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, ["--data-dir", str(store.data_dir), "metadata", *args])
    assert result.exit_code == code, result.output
    return result.output


def test_report_prints_agency_percentages(demo_store: Settings) -> None:
    text = _run(demo_store, "report")
    assert "Department of Public Health" in text and "state" in text
    report = json.loads(_run(demo_store, "report", "--json"))
    assert report["public_datasets"] == 4
    assert {agency["agency"] for agency in report["agencies"]} == {"dph", "ocme", "opm"}


def test_check_lists_what_is_missing(demo_store: Settings) -> None:
    text = _run(demo_store, "check", "7rne-efic")
    assert "does not meet the standard" in text and "--license" in text
    result = json.loads(_run(demo_store, "check", "dphp-0pop", "--json"))
    assert result["meets_standard"] is True and result["score"] == 100


def test_check_of_an_unknown_dataset_fails_in_one_line(demo_store: Settings) -> None:
    output = _run(demo_store, "check", "nope-0000", code=1)
    assert "Error: no dataset 'nope-0000'" in output
