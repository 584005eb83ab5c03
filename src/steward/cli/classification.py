"""`steward classify questionnaire|propose|show|assess|field|history`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from steward.classification import service
from steward.classification.schemas import (
    AssessmentCreate,
    ClassificationPublic,
    FieldDecisionCreate,
)
from steward.cli.common import actor_of, echo_json, fail, open_database, settings_of

app = typer.Typer(
    help="Classification assessments: questionnaire, field proposals, the publish gate.",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DatasetArg = Annotated[str, typer.Argument(metavar="ID", help="Dataset id")]
ImpactOption = Annotated[
    str | None, typer.Option(help="FIPS 199 impact: low, moderate or high.", show_default=False)
]


@app.command("questionnaire")
def questionnaire(as_json: JsonOption = False) -> None:
    """The questions (ids and answers to give) and what each level means."""
    found = service.questionnaire()
    if as_json:
        echo_json(found)
        return
    for question in found.dataset:
        options = "/".join(option.value for option in question.options)
        typer.echo(f"{question.id} ({options})\n  {question.text}\n  {question.help}")
    typer.echo("\nField questions (for a single field): " + ", ".join(q.id for q in found.field))
    typer.echo("\nLevels:")
    for level in found.levels:
        typer.echo(f"  {level.label:<10} {level.definition}")


@app.command("propose")
def propose(ctx: typer.Context, dataset_id: DatasetArg, as_json: JsonOption = False) -> None:
    """Steward's proposed level for each field, from names and sampled values."""
    found = _classification(ctx, dataset_id)
    if found.proposal is None:
        fail(f"dataset {dataset_id} has no data yet; ingest a file to get proposals")
    if as_json:
        echo_json({"proposal": found.proposal.model_dump(mode="json"), "fields": _rows(found)})
        return
    proposal = found.proposal
    typer.echo(
        f"{found.dataset_id}: proposed {proposal.level} ({'; '.join(proposal.reasons)}); "
        f"{proposal.sampled_rows:,} rows of version {proposal.version_number} sampled"
    )
    for field in found.fields:
        if field.proposal is not None:
            typer.echo(f"  {field.name:<28} {field.proposal.level:<9} {field.proposal.reason}")


@app.command("show")
def show(ctx: typer.Context, dataset_id: DatasetArg, as_json: JsonOption = False) -> None:
    """The current assessment, field levels and what keeps the dataset from being public."""
    found = _classification(ctx, dataset_id)
    if as_json:
        echo_json(found)
        return
    typer.echo(f"{found.dataset_id}: {found.title}")
    typer.echo(f"  level {found.level}; assessment {found.status}; access {found.access_level}")
    assessment = found.assessment
    if assessment is not None:
        typer.echo(
            f"  assessed by {assessment.assessed_by} at {assessment.assessed_at:%Y-%m-%d %H:%M} "
            f"UTC; FIPS 199 C/I/A {assessment.confidentiality}/{assessment.integrity}/"
            f"{assessment.availability}"
        )
        typer.echo(f"  rationale: {assessment.rationale}")
        if assessment.needs_review:
            typer.echo(f"  needs review: {assessment.review_reason}")
    if found.publishable:
        typer.echo("  may be made public")
    for blocker in found.blockers:
        typer.echo(f"  blocks publishing: {blocker}")
    for row in _rows(found):
        decided = f"confirmed by {row['decided_by']}" if row["decided_by"] else "not confirmed"
        typer.echo(f"  {row['name']:<28} {row['level']:<9} proposed {row['proposed']:<9} {decided}")


@app.command("assess")
def assess(
    ctx: typer.Context,
    dataset_id: DatasetArg,
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            exists=True,
            dir_okay=False,
            help="JSON file: {question: answer}, or a whole assessment with answers, "
            "rationale and impacts.",
        ),
    ] = None,
    answer: Annotated[
        list[str] | None,
        typer.Option("--answer", help="QUESTION=ANSWER (repeatable; overrides the file)."),
    ] = None,
    rationale: Annotated[str | None, typer.Option(help="Why this level.")] = None,
    confidentiality: ImpactOption = None,
    integrity: ImpactOption = None,
    availability: ImpactOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record an assessment from the questionnaire's answers."""
    given = _read_answers(answers_file)
    given["answers"].update(_pairs(answer or []))
    for key, value in (
        ("rationale", rationale),
        ("confidentiality", confidentiality),
        ("integrity", integrity),
        ("availability", availability),
    ):
        if value is not None:
            given[key] = value
    data = AssessmentCreate.model_validate(given)
    with open_database(ctx).session() as session:
        recorded = service.record_assessment(session, actor_of(ctx, session), dataset_id, data)
    if as_json:
        echo_json(recorded)
        return
    typer.echo(f"{dataset_id}: {recorded.level} ({'; '.join(recorded.reasons)})")


@app.command("field")
def field(
    ctx: typer.Context,
    dataset_id: DatasetArg,
    name: Annotated[str, typer.Argument(help="Field name")],
    level: Annotated[str, typer.Argument(help="public, protected, personal or private")],
    reason: Annotated[str, typer.Option(help="Why (kept with the decision).")] = "",
) -> None:
    """Confirm or override one field's classification."""
    data = FieldDecisionCreate.model_validate({"level": level, "reason": reason})
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        data_dir = settings_of(ctx).data_dir
        decided = service.decide_field(session, actor, data_dir, dataset_id, name, data)
    proposed = f" (Steward proposed {decided.proposed_level})" if decided.proposed_level else ""
    typer.echo(f"{dataset_id}.{decided.field_name}: {decided.level}{proposed}")


@app.command("history")
def history(ctx: typer.Context, dataset_id: DatasetArg, as_json: JsonOption = False) -> None:
    """Every assessment and field decision, newest first."""
    with open_database(ctx).session() as session:
        found = service.get_history(session, actor_of(ctx, session), dataset_id)
    if as_json:
        echo_json(found)
        return
    for item in found.assessments:
        flag = f"  [needs review: {item.review_reason}]" if item.needs_review else ""
        typer.echo(
            f"{item.assessed_at:%Y-%m-%d %H:%M}  {item.assessed_by:<24} assessment "
            f"{item.level}: {item.rationale}{flag}"
        )
    for decision in found.field_decisions:
        typer.echo(
            f"{decision.decided_at:%Y-%m-%d %H:%M}  {decision.decided_by:<24} field "
            f"{decision.field_name}: {decision.level}"
        )


def _classification(ctx: typer.Context, dataset_id: str) -> ClassificationPublic:
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        return service.get_classification(session, actor, settings_of(ctx).data_dir, dataset_id)


def _rows(found: ClassificationPublic) -> list[dict[str, Any]]:
    return [
        {
            "name": field.name,
            "level": field.level,
            "proposed": field.proposal.level if field.proposal else "-",
            "reason": field.proposal.reason if field.proposal else "",
            "decided_by": field.decision.decided_by if field.decision else None,
        }
        for field in found.fields
    ]


def _read_answers(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {"answers": {}}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"{path}: not a JSON file ({exc})")
    if not isinstance(loaded, dict):
        fail(f"{path}: expected a JSON object")
    if isinstance(loaded.get("answers"), dict):
        return {**loaded, "answers": dict(loaded["answers"])}
    return {"answers": loaded}


def _pairs(items: list[str]) -> dict[str, str]:
    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"--answer {item!r}: write QUESTION=ANSWER, e.g. person_level=no")
        pairs[key.strip()] = value.strip()
    return pairs
