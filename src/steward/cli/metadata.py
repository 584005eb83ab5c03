"""`steward metadata report|check`: metadata completeness against the Connecticut standard."""

from __future__ import annotations

from typing import Annotated

import typer

from steward.cli.common import echo_json, open_database
from steward.metadata import service
from steward.metadata.schemas import Completeness, MetadataReport

app = typer.Typer(help="Metadata standards: completeness checks and report.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


@app.command("report")
def report(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Percent of public datasets meeting the metadata standard, by agency and state-wide."""
    with open_database(ctx).session() as session:
        result = service.metadata_report(session)
    if as_json:
        echo_json(result)
        return
    _print_report(result)


def _print_report(result: MetadataReport) -> None:
    typer.echo(f"{'agency':<10} {'public':>6} {'meeting':>7} {'percent':>8}  name")
    for agency in result.agencies:
        typer.echo(
            f"{agency.agency:<10} {agency.public_datasets:>6} {agency.meeting_standard:>7} "
            f"{_percent(agency.percent):>8}  {agency.agency_name}"
        )
        for dataset in agency.datasets:
            gaps = ", ".join(dataset.missing) or "complete"
            typer.echo(f"{'':<12}{dataset.id}  {dataset.score:>3}  {gaps}")
    typer.echo(
        f"{'state':<10} {result.public_datasets:>6} {result.meeting_standard:>7} "
        f"{_percent(result.percent):>8}  all agencies"
    )


@app.command("check")
def check(
    ctx: typer.Context,
    dataset_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: JsonOption = False,
) -> None:
    """Score one dataset's metadata and list what is missing."""
    with open_database(ctx).session() as session:
        result = service.check_dataset(session, dataset_id)
    if as_json:
        echo_json(result)
        return
    _print_check(result)


def _print_check(result: Completeness) -> None:
    verdict = "meets the standard" if result.meets_standard else "does not meet the standard"
    typer.echo(f"{result.dataset_id}  {result.title}\nscore {result.score}/100, {verdict}")
    for item in result.checks:
        mark = "ok " if item.passed else ("MISSING" if item.required else "missing")
        kind = "required" if item.required else "recommended"
        typer.echo(f"  {mark:<7} {item.label} ({kind}, weight {item.weight})")
        if not item.passed:
            typer.echo(f"          fix: {item.hint}")
    if result.undescribed_fields:
        typer.echo("undescribed fields: " + ", ".join(result.undescribed_fields))
