"""`steward classify`: proposals, an assessment from a file and from options, a field
decision, the history, each acting as its person; errors as one line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steward.cli.main import app

from .conftest import PEOPLE_CSV, TOWNS_CSV, World

Run = Callable[..., str]


@pytest.fixture
def steward(world: World) -> Run:
    """`steward(*args, as_=EMAIL, ok=True)` runs the CLI on the world's store."""
    runner = CliRunner()

    def run(*args: str, as_: str | None = None, ok: bool = True) -> str:
        root = ["--data-dir", str(world.settings.data_dir), "--database-url", world.database.url]
        acting = ["--as", as_] if as_ else []
        result = runner.invoke(app, [*root, *acting, *args])
        assert (result.exit_code == 0) is ok, result.output
        return result.output

    return run


def test_the_questionnaire_lists_question_ids_and_levels(steward: Run) -> None:
    shown = steward("classify", "questionnaire")
    assert "person_level (yes/no/unsure)" in shown and "Private" in shown
    questions = json.loads(steward("classify", "questionnaire", "--json"))
    assert len(questions["dataset"]) == 5


def test_propose_then_assess_confirm_and_show(world: World, steward: Run, tmp_path: Path) -> None:
    world.dataset("ppl0-0001", PEOPLE_CSV)
    proposed = steward("classify", "propose", "ppl0-0001", as_="analyst@dph.ct.gov")
    assert "ppl0-0001: proposed personal (direct identifiers: case_number" in proposed
    assert "ssn" in proposed and "values look like SSNs (100% of 4 sampled)" in proposed
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps(
            {
                "person_level": "yes",
                "direct_identifiers": "yes",
                "quasi_identifiers": "yes",
                "special_statute": "no",
                "legal_restriction": "no",
            }
        )
    )
    refused = steward(
        "classify", "assess", "ppl0-0001", "--answers", str(answers), "--rationale", "x",
        "--confidentiality", "moderate", "--integrity", "low", "--availability", "low",
        as_="analyst@dph.ct.gov", ok=False,
    )  # fmt: skip
    assert refused.startswith("Error: classification.assess for dataset ppl0-0001 needs")
    recorded = steward(
        "classify", "assess", "ppl0-0001", "--answers", str(answers),
        "--answer", "special_statute=yes", "--rationale", "Clinic visits of named patients.",
        "--confidentiality", "high", "--integrity", "moderate", "--availability", "low",
        as_="steward@dph.ct.gov",
    )  # fmt: skip
    assert recorded.startswith("ppl0-0001: private (contains direct identifiers")
    field = steward(
        "classify", "field", "ppl0-0001", "age", "personal", "--reason", "with town",
        as_="steward@dph.ct.gov",
    )  # fmt: skip
    assert field.strip() == "ppl0-0001.age: personal (Steward proposed personal)"
    shown = steward("classify", "show", "ppl0-0001", as_="ado@dph.ct.gov")
    assert "level private; assessment current; access non-public" in shown
    assert "blocks publishing: the dataset is classified Private" in shown
    assert "confirmed by steward@dph.ct.gov" in shown
    history = steward("classify", "history", "ppl0-0001", "--json")
    assert json.loads(history)["assessments"][0]["answers"]["special_statute"] == "yes"


def test_a_whole_assessment_file_and_the_publish_gate(
    world: World, steward: Run, tmp_path: Path
) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    refused = steward("dataset", "publish", "town-0001", ok=False)
    assert "no classification assessment yet" in refused
    whole = tmp_path / "assessment.json"
    whole.write_text(
        json.dumps(
            {
                "answers": dict.fromkeys(
                    [
                        "person_level",
                        "direct_identifiers",
                        "quasi_identifiers",
                        "special_statute",
                        "legal_restriction",
                    ],
                    "no",
                ),
                "rationale": "Counts by town.",
                "confidentiality": "low",
                "integrity": "low",
                "availability": "low",
            }
        )
    )
    assert steward("classify", "assess", "town-0001", "--answers", str(whole)).startswith(
        "town-0001: public"
    )
    steward("dataset", "publish", "town-0001")
    shown = json.loads(steward("classify", "show", "town-0001", "--json"))
    assert (shown["status"], shown["publishable"], shown["assessment"]["assessed_by"]) == (
        "current",
        True,
        "system",
    )


def test_mistakes_are_one_line_errors(world: World, steward: Run, tmp_path: Path) -> None:
    world.dataset("town-0001", TOWNS_CSV)
    world.dataset("empt-0001")
    bad = steward("classify", "assess", "town-0001", "--answer", "person_level", ok=False)
    assert bad.startswith("Error: --answer 'person_level': write QUESTION=ANSWER")
    missing = steward("classify", "assess", "town-0001", "--answer", "person_level=no",
                      "--rationale", "r", "--confidentiality", "low", "--integrity", "low",
                      "--availability", "low", ok=False)  # fmt: skip
    assert missing.startswith("Error: answer every question; missing: direct_identifiers")
    junk = tmp_path / "junk.json"
    junk.write_text("{nope")
    assert "not a JSON file" in steward("classify", "assess", "town-0001", "--answers",
                                        str(junk), ok=False)  # fmt: skip
    level = steward("classify", "field", "town-0001", "town", "secret", ok=False)
    assert level.startswith("Error: level: Input should be")
    assert "no data yet" in steward("classify", "propose", "empt-0001", ok=False)
    assert "Error: no dataset 'nope-0000'" in steward("classify", "show", "nope-0000", ok=False)
