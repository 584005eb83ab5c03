"""`steward standards ...` and `steward dataset ingest --normalize`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steward.cli.main import app

from .conftest import ADRD

Run = Callable[..., str]


@pytest.fixture
def steward(tmp_path: Path) -> Run:
    runner = CliRunner()

    def run(*args: str, ok: bool = True, stdin: str | None = None) -> str:
        result = runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args], input=stdin)
        assert (result.exit_code == 0) is ok, result.output
        return result.output

    return run


def test_normalize_values_from_arguments_and_stdin(steward: Run) -> None:
    out = steward("standards", "normalize", "ct_town", "GROTON", "So. Windsor", "Fall River")
    lines = out.splitlines()
    assert lines[0].split("\t")[:4] == ["GROTON", "matched", "Groton", "0901134250"]
    assert lines[1].split("\t")[2] == "South Windsor"
    assert lines[2].split("\t")[1] == "out_of_state"
    rows = json.loads(steward("standards", "normalize", "sex", "-", "--json", stdin="F\nM\n"))
    assert [row["code"] for row in rows] == ["F", "M"]


def test_list_and_show(steward: Run) -> None:
    assert "ct_town" in steward("standards", "list")
    shown = steward("standards", "show", "ct_county")
    assert "09003" in shown and "Hartford County" in shown
    assert json.loads(steward("standards", "list", "--json"))["profile"]["fips"] == "09"


def test_errors_are_one_line(steward: Run) -> None:
    out = steward("standards", "normalize", "nope", "x", ok=False)
    assert out.startswith("Error: no standard element") and out.count("\n") == 1
    assert "Error:" in steward("standards", "normalize", "ct_town", ok=False)
    assert "Error:" in steward("standards", "check", "nope-nope", ok=False)
    assert "exactly one" in steward(
        "standards", "decide", "ct_town", "X", "--agency", "a", "--invalid", "--out-of-state",
        ok=False,
    )  # fmt: skip


def test_a_steward_normalizes_on_ingest_checks_and_decides(steward: Run) -> None:
    steward("agency", "add", "--slug", "ocme", "--name", "Medical Examiner")
    steward("dataset", "create", "--agency", "ocme", "--title", "Deaths", "--id", "adrd-0001")
    out = steward(
        "dataset", "ingest", "adrd-0001", str(ADRD),
        "--normalize", "residence_city=ct_town", "--normalize", "death_city=ct_town",
    )  # fmt: skip
    assert "Normalized residence_city as ct_town" in out and "to review" in out
    report = steward("standards", "check", "adrd-0001", "--top", "2")
    assert "death_city [ct_town]" in report and "'N HAVEN' review -> New Haven?" in report
    assert "sex: no standard declared; looks like sex" in report
    decided = steward(
        "standards", "decide", "ct_town", "N HAVEN", "--agency", "ocme", "--to", "North Haven"
    )
    assert "is North Haven" in decided
    steward("standards", "decide", "ct_town", "PAWTUCKET", "--agency", "ocme", "--out-of-state")
    listed = json.loads(steward("standards", "decisions", "--agency", "ocme", "--json"))
    assert [(d["value"], d["status"]) for d in listed] == [
        ("N HAVEN", "matched"),
        ("PAWTUCKET", "out_of_state"),
    ]
    report = json.loads(steward("standards", "check", "adrd-0001", "--json"))
    death = next(field for field in report["fields"] if field["field"] == "death_city")
    assert "N HAVEN" not in [value["value"] for value in death["top_invalid"]]
    steward("standards", "forget", "ct_town", "N HAVEN", "--agency", "ocme")
    assert "PAWTUCKET" in steward("standards", "decisions")
    settings = steward("standards", "on-ingest", "adrd-0001", "--off", "death_city")
    assert "residence_city -> ct_town" in settings and "death_city" not in settings
    assert "no field is normalized" in steward(
        "standards", "on-ingest", "adrd-0001", "--off", "residence_city"
    )
    assert "sex -> sex" in steward("standards", "on-ingest", "adrd-0001", "sex=sex")
