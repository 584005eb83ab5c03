"""`steward quality ...` end to end on a fresh store, as a steward uses it."""

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
        assert (result.exit_code == 0) is ok, result.output
        return result.output

    return run


@pytest.fixture
def blocked(steward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """case-0001 with a good version 1 and a version 2 blocked by a reference rule."""
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("Date,Town,Cases\n01/01/2021,Andover,5\n01/02/2021,Ansonia,7\n")
    bad.write_text("Date,Town,Cases\n01/01/2021,Andover,5\n01/02/2021,Gotham,7\n")
    steward("agency", "add", "--slug", "dph", "--name", "DPH")
    steward(
        "dataset",
        "create",
        "--agency",
        "dph",
        "--title",
        "Cases",
        "--id",
        "case-0001",
        "--update-frequency",
        "R/P1D",
    )
    steward("dataset", "ingest", "case-0001", str(good))
    added = steward(
        "quality",
        "rule",
        "add",
        "case-0001",
        "--kind",
        "reference",
        "--field",
        "town",
        "--table",
        "ct_town_name",
        "--severity",
        "block",
    )
    assert "Rule 1 on case-0001: reference town (block)" in added
    steward("quality", "settings", "case-0001", "--key", "date", "--key", "town")
    assert "Not made current" in steward("dataset", "ingest", "case-0001", str(bad))


def test_a_steward_sees_why_a_version_was_blocked(steward, blocked) -> None:  # type: ignore[no-untyped-def]
    report = steward("quality", "report", "case-0001", "--version", "2")
    assert "FAIL rule 1 reference town (block): 1 of 2 rows fail" in report
    assert "'town': 'Gotham'" in report
    assert "by key date,town: 1 added, 1 removed, 0 changed" in report
    assert "rows 2 -> 2" in steward("quality", "compare", "case-0001", "1", "2")


def test_profiles_rules_freshness_and_rechecks(steward, blocked) -> None:  # type: ignore[no-untyped-def]
    profile = json.loads(steward("quality", "profile", "case-0001", "--json"))
    assert profile["version"] == 1 and profile["row_count"] == 2
    assert "overdue" in steward("quality", "freshness")
    rules = json.loads(steward("quality", "rule", "list", "case-0001", "--json"))
    assert rules[0]["kind"] == "reference"
    assert "score" in steward("quality", "check", "case-0001")
    assert "Removed rule 1" in steward("quality", "rule", "remove", "case-0001", "1")


def test_feedback_queue_commands(steward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from steward.config import Settings
    from steward.db import Database
    from steward.quality import feedback
    from steward.quality.schemas import FeedbackCreate

    source = tmp_path / "good.csv"
    source.write_text("Town,Cases\nAndover,5\n")
    steward("agency", "add", "--slug", "dph", "--name", "DPH")
    steward("dataset", "create", "--agency", "dph", "--title", "Cases", "--id", "case-0001")
    steward("dataset", "ingest", "case-0001", str(source))
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    database = Database(settings.resolved_database_url)
    with database.session() as session:
        feedback.submit(
            session, "case-0001", FeedbackCreate(message="Andover should be 6", email="a@b.co")
        )
    database.dispose()
    listed = steward("quality", "feedback", "list", "--agency", "dph")
    assert "#1 new" in listed and "<a@b.co>" in listed
    assert "Error: say which version fixed it" in steward(
        "quality", "feedback", "set", "1", "fixed", ok=False
    )
    assert "Error:" in steward("quality", "feedback", "set", "1", "bogus", ok=False)
    steward("quality", "feedback", "set", "1", "wont_fix", "--reason", "The source says 5")
    assert steward("quality", "feedback", "list") == ""
    assert "wont_fix" in steward("quality", "feedback", "list", "--status", "all")
    times = json.loads(steward("quality", "feedback", "times", "--json"))
    assert times["agencies"][0]["resolved"] == 1


def test_bad_input_is_one_line(steward) -> None:  # type: ignore[no-untyped-def]
    out = steward("quality", "report", "nope-0000", ok=False)
    assert out.strip() == "Error: no dataset 'nope-0000'"
    out = steward("quality", "rule", "add", "nope-0000", "--kind", "not_null", ok=False)
    assert out.count("\n") == 1 and out.startswith("Error:")
