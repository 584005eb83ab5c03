"""The `steward` command line, end to end on a fresh store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steward.cli.main import app


@pytest.fixture
def steward(tmp_path: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def run(*args: str, ok: bool = True) -> str:
        result = runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args])
        if ok:
            assert result.exit_code == 0, result.output
        else:
            assert result.exit_code != 0, result.output
        return result.output

    return run


def test_a_steward_registers_creates_ingests_documents_and_publishes(
    steward,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    source = tmp_path / "grants.csv"
    source.write_text('Town Code,Town Name,Grant Amount\n001,Andover,"$14,132.07"\n')
    assert "Added agency opm" in steward("agency", "add", "--slug", "opm", "--name", "OPM")
    created = json.loads(
        steward(
            "dataset",
            "create",
            "--agency",
            "opm",
            "--title",
            "Grants",
            "--id",
            "gran-t001",
            "--update-frequency",
            "R/P1Y",
            "--keyword",
            "grants",
            "--json",
        )
    )
    assert created["id"] == "gran-t001" and created["status"] == "draft"
    assert "version 1, 1 rows" in steward("dataset", "ingest", "gran-t001", str(source))
    steward("dataset", "field", "gran-t001", "town_code", "--description", "CT town code")
    fields = json.loads(steward("dataset", "fields", "gran-t001", "--json"))
    assert [(f["name"], f["type"]) for f in fields] == [
        ("town_code", "text"),
        ("town_name", "text"),
        ("grant_amount", "number"),
    ]
    assert fields[0]["description"] == "CT town code"
    assert "no classification assessment yet" in steward(
        "dataset", "publish", "gran-t001", ok=False
    )
    answers = [f"--answer={q}=no" for q in ("person_level", "direct_identifiers")]
    answers += [f"--answer={q}=no" for q in ("quasi_identifiers", "special_statute")]
    assessed = steward(
        "classify", "assess", "gran-t001", *answers, "--answer=legal_restriction=no",
        "--rationale", "Grants paid to towns.", "--confidentiality", "low",
        "--integrity", "moderate", "--availability", "low",
    )  # fmt: skip
    assert assessed.startswith("gran-t001: public")
    steward("dataset", "publish", "gran-t001")
    listed = json.loads(steward("dataset", "list", "--json"))
    assert [(d["id"], d["status"], d["row_count"]) for d in listed["results"]] == [
        ("gran-t001", "published", 1)
    ]
    assert "Grants" in steward("dataset", "show", "gran-t001")
    assert "opm" in steward("agency", "list")


@pytest.mark.parametrize(
    "args, message",
    [
        (["dataset", "show", "none-0000"], "no dataset"),
        (["dataset", "create", "--agency", "nope", "--title", "x"], "no agency"),
        (["dataset", "create", "--agency", "x", "--title", "x", "--id", "BAD"], "4x4"),
        (["dataset", "ingest", "none-0000", "/no/such/file.csv"], "no such file"),
        (["agency", "add", "--slug", "Bad Slug", "--name", "x"], "slug"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(steward, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    output = steward(*args, ok=False)
    assert message in output
    assert "Traceback" not in output


def test_malformed_file_names_the_line_and_adds_no_version(
    steward,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    steward("agency", "add", "--slug", "dph", "--name", "DPH")
    steward("dataset", "create", "--agency", "dph", "--title", "X", "--id", "abcd-0001")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n3,4,5\n")
    assert "line 3" in steward("dataset", "ingest", "abcd-0001", str(bad), ok=False)
    assert json.loads(steward("dataset", "versions", "abcd-0001", "--json")) == []
    output = steward("dataset", "ingest", "abcd-0001", str(bad), "--skip-bad-rows")
    assert "line 3" in output and "version 1, 1 rows" in output
