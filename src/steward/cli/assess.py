"""`steward assess ...`: governance maturity self-assessments, data ethics assessments and the
risks they open.

Every command acts as `--as EMAIL` (the system without it) and is checked by the same policy as
the web: the ADO rates the agency's maturity; stewards assess ethics and manage risks.
"""

from __future__ import annotations

from typing import Annotated

import typer

from steward.cli.common import actor_of, echo_json, fail, open_database
from steward.plans import ethics_service, maturity, maturity_service
from steward.plans.assessment_schemas import (
    EthicsCreate,
    EthicsPublic,
    EthicsUpdate,
    MaturityPublic,
    MaturityUpdate,
    RiskClose,
    RiskPublic,
    RiskUpdate,
)

app = typer.Typer(
    help="Maturity and ethics assessments (act with --as EMAIL).", no_args_is_help=True
)
maturity_app = typer.Typer(help="Governance maturity self-assessments.", no_args_is_help=True)
ethics_app = typer.Typer(help="Data ethics assessments.", no_args_is_help=True)
risks_app = typer.Typer(help="Risks opened by ethics assessments.", no_args_is_help=True)
app.add_typer(maturity_app, name="maturity")
app.add_typer(ethics_app, name="ethics")
app.add_typer(risks_app, name="risks")
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Agency = Annotated[str, typer.Argument(help="Agency slug, e.g. dph")]
Number = Annotated[int, typer.Argument(help="The agency's assessment number")]
AssessmentId = Annotated[int, typer.Argument(metavar="ID", help="Ethics assessment id")]
RiskId = Annotated[int, typer.Argument(metavar="RISK", help="Risk id")]
ARROWS = {"up": "+", "down": "-", "same": "=", "new": "*", "none": " "}


def _pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"write each {what} as NAME=VALUE, not {item!r}")
        pairs.append((key.strip(), value.strip()))
    return pairs


def _whole(value: str, what: str) -> int:
    if not value.isdigit():
        fail(f"{what}: {value!r} is not a whole number")
    return int(value)


# maturity ----------------------------------------------------------------------------------


@maturity_app.command("start")
def maturity_start(ctx: typer.Context, agency: Agency, as_json: JsonOption = False) -> None:
    """Start a self-assessment from the last completed one's ratings (ado)."""
    with open_database(ctx).session() as session:
        made = maturity_service.start_maturity(session, actor_of(ctx, session), agency)
    if as_json:
        echo_json(made)
        return
    start = f" from assessment {made.started_from}" if made.started_from else ""
    typer.echo(f"Started maturity assessment {made.number} of {made.agency_name}{start}")


@maturity_app.command("list")
def maturity_list(ctx: typer.Context, agency: Agency, as_json: JsonOption = False) -> None:
    """The agency's assessments: completed ones for anyone, drafts for its staff."""
    with open_database(ctx).session() as session:
        found = maturity_service.list_maturity(session, actor_of(ctx, session), agency)
    if as_json:
        echo_json(found)
        return
    for item in found:
        overall = "-" if item.overall is None else f"{item.overall} {item.overall_level}"
        typer.echo(
            f"{item.number:>3}  {item.status:<9} {item.rated:>2}/{item.cells} rated  {overall}"
        )


@maturity_app.command("show")
def maturity_show(
    ctx: typer.Context, agency: Agency, number: Number, as_json: JsonOption = False
) -> None:
    """The matrix, with the change from the previous assessment (+ up, - down, = same)."""
    with open_database(ctx).session() as session:
        found = maturity_service.get_maturity(session, actor_of(ctx, session), agency, number)
    if as_json:
        echo_json(found)
        return
    _print_matrix(found)


def _print_matrix(found: MaturityPublic) -> None:
    versus = f", compared with {found.previous_number}" if found.previous_number else ""
    typer.echo(f"{found.agency_name}: maturity assessment {found.number} ({found.status}{versus})")
    labels = [label for _, label in maturity.DIMENSIONS]
    typer.echo(f"{'element':<40}" + "".join(f"{label:>14}" for label in labels) + f"{'mean':>8}")
    for row in found.rows:
        cells = "".join(
            f"{(str(c.level) if c.level else '-') + ARROWS[c.direction]:>14}" for c in row.cells
        )
        mean = "-" if row.mean is None else str(row.mean)
        typer.echo(f"{row.label:<40}{cells}{mean:>8}")
    overall = "-" if found.overall is None else f"{found.overall} ({found.overall_level})"
    typer.echo(f"overall {overall}; {found.rated} of {found.cells} cells rated")


@maturity_app.command("rate")
def maturity_rate(
    ctx: typer.Context,
    agency: Agency,
    number: Number,
    cells: Annotated[
        list[str] | None,
        typer.Argument(help="ELEMENT.DIMENSION=LEVEL, or ELEMENT=LEVEL for all three dimensions"),
    ] = None,
    note: Annotated[list[str] | None, typer.Option(help="ELEMENT=TEXT")] = None,
    summary: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Rate cells of a draft (levels 1-5), with notes per element (ado)."""
    ratings: dict[str, dict[str, int | None]] = {}
    for key, value in _pairs(cells or [], "rating"):
        element, _, dimension = key.partition(".")
        level = _whole(value, key)
        for name in [dimension] if dimension else maturity.DIMENSION_IDS:
            ratings.setdefault(element, {})[name] = level
    notes = dict(_pairs(note or [], "note"))
    data = MaturityUpdate.model_validate({"ratings": ratings, "notes": notes, "summary": summary})
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        found = maturity_service.rate_maturity(session, actor, agency, number, data)
    typer.echo(f"Saved: {found.rated} of {found.cells} cells rated")


@maturity_app.command("complete")
def maturity_complete(ctx: typer.Context, agency: Agency, number: Number) -> None:
    """Complete a draft once all 30 cells are rated; its ratings become public (ado)."""
    with open_database(ctx).session() as session:
        done = maturity_service.complete_maturity(session, actor_of(ctx, session), agency, number)
    typer.echo(f"Completed assessment {done.number}: overall {done.overall} ({done.overall_level})")


# ethics ------------------------------------------------------------------------------------


@ethics_app.command("start")
def ethics_start(
    ctx: typer.Context,
    dataset: Annotated[str | None, typer.Option(help="Catalog dataset id")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency slug (for a project)")] = None,
    title: Annotated[str | None, typer.Option(help="Project title")] = None,
    description: Annotated[str, typer.Option()] = "",
    as_json: JsonOption = False,
) -> None:
    """Start an ethics assessment of a dataset or a project (steward)."""
    values = {"dataset_id": dataset, "agency": agency, "title": title, "description": description}
    data = EthicsCreate.model_validate(values)
    with open_database(ctx).session() as session:
        made = ethics_service.start_ethics(session, actor_of(ctx, session), data)
    if as_json:
        echo_json(made)
        return
    typer.echo(f"Started ethics assessment {made.id}: {made.title} ({made.agency_name})")


@ethics_app.command("list")
def ethics_list(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="Only this agency")] = None,
    as_json: JsonOption = False,
) -> None:
    """The ethics assessments you may see (analyst)."""
    with open_database(ctx).session() as session:
        found = ethics_service.list_ethics(session, actor_of(ctx, session), agency)
    if as_json:
        echo_json(found)
        return
    for item in found:
        total = "-" if item.total is None else f"{item.total}/25"
        typer.echo(
            f"{item.id:>4}  {item.agency:<8} {item.status:<9} {total:>5}  "
            f"{item.open_risks} open risks  {item.title}"
        )


@ethics_app.command("show")
def ethics_show(
    ctx: typer.Context, assessment_id: AssessmentId, as_json: JsonOption = False
) -> None:
    """An ethics assessment with its scores, risks and what blocks completion (analyst)."""
    with open_database(ctx).session() as session:
        found = ethics_service.get_ethics(session, actor_of(ctx, session), assessment_id)
    if as_json:
        echo_json(found)
        return
    _print_ethics(found)


def _print_ethics(found: EthicsPublic) -> None:
    typer.echo(f"{found.id}: {found.title} ({found.agency_name}) {found.status}")
    for item in found.scores:
        score = "-" if item.score is None else str(item.score)
        flag = "  RISK" if item.risk else ""
        typer.echo(f"  {item.label:<32} {score:>2}{flag}  {item.notes}")
    for risk in found.risks:
        typer.echo("  " + _risk_line(risk))
    for problem in found.problems:
        typer.echo(f"  to complete: {problem}")


@ethics_app.command("score")
def ethics_score(
    ctx: typer.Context,
    assessment_id: AssessmentId,
    scores: Annotated[list[str] | None, typer.Argument(help="PRINCIPLE=SCORE (0-5)")] = None,
    note: Annotated[list[str] | None, typer.Option(help="PRINCIPLE=TEXT")] = None,
) -> None:
    """Score principles 0-5 with notes; 2 or less opens a risk (steward)."""
    given: dict[str, dict[str, object]] = {}
    for principle, value in _pairs(scores or [], "score"):
        given.setdefault(principle, {})["score"] = _whole(value, principle)
    for principle, text in _pairs(note or [], "note"):
        given.setdefault(principle, {})["notes"] = text
    data = EthicsUpdate.model_validate({"scores": given})
    with open_database(ctx).session() as session:
        found = ethics_service.score_ethics(session, actor_of(ctx, session), assessment_id, data)
    _print_ethics(found)


@ethics_app.command("complete")
def ethics_complete(ctx: typer.Context, assessment_id: AssessmentId) -> None:
    """Complete: every principle scored, every risk owned and mitigated (steward)."""
    with open_database(ctx).session() as session:
        done = ethics_service.complete_ethics(session, actor_of(ctx, session), assessment_id)
    typer.echo(
        f"Completed ethics assessment {done.id}: {done.total}/25, {done.open_risks} open risks"
    )


# risks -------------------------------------------------------------------------------------


def _risk_line(risk: RiskPublic) -> str:
    owner = risk.owner or "no owner"
    return (
        f"risk {risk.id} [{risk.status}] {risk.principle_label} scored {risk.score}: "
        f"{owner}; {risk.mitigation or 'no mitigation'}"
    )


@risks_app.command("list")
def risks_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="open or closed")] = None,
    agency: Annotated[str | None, typer.Option(help="Only this agency")] = None,
    as_json: JsonOption = False,
) -> None:
    """Risks of the ethics assessments you may see (analyst)."""
    if status not in (None, "open", "closed"):
        fail("--status is open or closed")
    with open_database(ctx).session() as session:
        found = ethics_service.list_risks(session, actor_of(ctx, session), status, agency)
    if as_json:
        echo_json(found)
        return
    for risk in found:
        typer.echo(f"{risk.assessment_title} ({risk.agency}): {_risk_line(risk)}")


@risks_app.command("update")
def risks_update(
    ctx: typer.Context,
    risk_id: RiskId,
    owner: Annotated[str | None, typer.Option()] = None,
    mitigation: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Give a risk its owner and mitigation (steward)."""
    data = RiskUpdate(owner=owner, mitigation=mitigation)
    with open_database(ctx).session() as session:
        risk = ethics_service.update_risk(session, actor_of(ctx, session), risk_id, data)
    typer.echo(_risk_line(risk))


@risks_app.command("close")
def risks_close(
    ctx: typer.Context,
    risk_id: RiskId,
    note: Annotated[str, typer.Option(help="How the risk was resolved")],
) -> None:
    """Close a risk of a completed assessment, saying how it was resolved (steward)."""
    with open_database(ctx).session() as session:
        risk = ethics_service.close_risk(
            session, actor_of(ctx, session), risk_id, RiskClose(note=note)
        )
    typer.echo(_risk_line(risk))
