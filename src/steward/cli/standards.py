"""`steward standards list|show|normalize|check|decide|forget|decisions|on-ingest`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from steward.cli.common import echo_json, fail, open_database, settings_of
from steward.standards import conformance, service
from steward.standards.schemas import (
    ConformanceReport,
    DecisionCreate,
    DecisionStatus,
    NormalizationSetting,
)

app = typer.Typer(
    help="Data standards: normalize values, check datasets, remember decisions.",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ByOption = Annotated[str, typer.Option("--by", help="Who decides (kept with the decision)")]


@app.command("list")
def list_elements(as_json: JsonOption = False) -> None:
    """The standard elements."""
    registry = service.registry()
    if as_json:
        echo_json(registry)
        return
    for element in registry.elements:
        typer.echo(f"{element.id:<22} {element.name}")


@app.command("show")
def show(
    element: Annotated[str, typer.Argument(metavar="ELEMENT")], as_json: JsonOption = False
) -> None:
    """One element: definition, standard, permitted values."""
    detail = service.element_detail(element)
    if as_json:
        echo_json(detail)
        return
    typer.echo(f"{detail.id}: {detail.name}\n{detail.definition}\nstandard: {detail.standard}")
    if detail.pattern:
        typer.echo(f"pattern: {detail.pattern}")
    for value in detail.values or []:
        typer.echo(f"  {value.code:<14} {value.label}")


@app.command("normalize")
def normalize(
    ctx: typer.Context,
    element: Annotated[str, typer.Argument(metavar="ELEMENT")],
    values: Annotated[
        list[str] | None, typer.Argument(metavar="VALUE...", help="Values; '-' reads lines")
    ] = None,
    agency: Annotated[str | None, typer.Option(help="Apply this agency's decisions")] = None,
    as_json: JsonOption = False,
) -> None:
    """Normalize values under a standard element (status, standard form, code, confidence)."""
    given = list(values or [])
    if given == ["-"]:
        given = [line.rstrip("\n") for line in sys.stdin]
    if not given:
        fail("give at least one value, or '-' to read them from standard input")
    with open_database(ctx).session() as session:
        results = service.normalize_values(session, element, given, agency)
    if as_json:
        echo_json(results)
        return
    for result in results:
        shown = result.normalized or "-"
        code = result.code or "-"
        why = f"  ({result.reason})" if result.reason else ""
        typer.echo(
            f"{result.value}\t{result.status}\t{shown}\t{code}\t{result.confidence:.2f}{why}"
        )


@app.command("check")
def check(
    ctx: typer.Context,
    dataset_id: Annotated[str, typer.Argument(metavar="DATASET")],
    version: Annotated[int | None, typer.Option(help="Version; current if omitted")] = None,
    top: Annotated[int, typer.Option(min=1, help="Problem values listed per field")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Conformance report: each declared field's valid and normalizable share, the values to
    review, and standards suggested for the other fields."""
    settings = settings_of(ctx)
    with open_database(ctx).session() as session:
        report = conformance.conformance_report(
            session, settings.data_dir, dataset_id, version, public=False, top=top
        )
    if as_json:
        echo_json(report)
        return
    _print_report(report)


def _print_report(report: ConformanceReport) -> None:
    typer.echo(f"{report.dataset_id}  {report.title}  (version {report.version})")
    for field in report.fields:
        if field.element is None:
            if field.suggestions:
                names = ", ".join(f"{s.element} ({s.reason})" for s in field.suggestions)
                typer.echo(f"  {field.field}: no standard declared; looks like {names}")
            continue
        typer.echo(
            f"  {field.field} [{field.element}]: {_pct(field.percent_valid)} valid, "
            f"{_pct(field.percent_normalizable)} normalizable; {field.review:,} review, "
            f"{field.out_of_state:,} out of state, {field.invalid:,} invalid, "
            f"{field.blank:,} blank"
        )
        for value in field.top_invalid:
            guess = f" -> {value.suggestion}?" if value.suggestion else ""
            typer.echo(f"      {value.count:>6,}  {value.value!r} {value.status}{guess}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


@app.command("decide")
def decide(
    ctx: typer.Context,
    element: Annotated[str, typer.Argument(metavar="ELEMENT")],
    value: Annotated[str, typer.Argument(metavar="VALUE")],
    agency: Annotated[str, typer.Option(help="Agency slug whose data this value is in")],
    to: Annotated[str | None, typer.Option("--to", help="The standard value it means")] = None,
    out_of_state: Annotated[
        bool, typer.Option(help="The value is a place in another state")
    ] = False,
    invalid: Annotated[bool, typer.Option(help="The value means nothing in the standard")] = False,
    note: Annotated[str, typer.Option(help="Why")] = "",
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """Remember what a value means for an agency; reused by every later normalization."""
    if sum([to is not None, out_of_state, invalid]) != 1:
        fail("give exactly one of --to VALUE, --out-of-state, --invalid")
    status: DecisionStatus = (
        "out_of_state" if out_of_state else ("invalid" if invalid else "matched")
    )
    data = DecisionCreate(
        agency=agency, element=element, value=value, status=status, target=to, note=note
    )
    with open_database(ctx).session() as session:
        decision = service.record_decision(session, data, by)
    if as_json:
        echo_json(decision)
        return
    meaning = decision.normalized if decision.status == "matched" else decision.status
    typer.echo(f"{decision.agency}: {decision.value!r} is {meaning} ({decision.element})")


@app.command("forget")
def forget(
    ctx: typer.Context,
    element: Annotated[str, typer.Argument(metavar="ELEMENT")],
    value: Annotated[str, typer.Argument(metavar="VALUE")],
    agency: Annotated[str, typer.Option(help="Agency slug")],
) -> None:
    """Drop a decision; the value is normalized by the standard alone again."""
    with open_database(ctx).session() as session:
        service.forget_decision(session, agency, element, value)
    typer.echo(f"{agency}: forgot the decision on {value!r} ({element})")


@app.command("decisions")
def decisions(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="Only this agency")] = None,
    element: Annotated[str | None, typer.Option(help="Only this element")] = None,
    as_json: JsonOption = False,
) -> None:
    """The decisions stewards have recorded."""
    with open_database(ctx).session() as session:
        found = service.list_decisions(session, agency, element)
    if as_json:
        echo_json(found)
        return
    for item in found:
        meaning = item.normalized if item.status == "matched" else item.status
        typer.echo(f"{item.agency:<10} {item.element:<16} {item.value!r} -> {meaning}")


@app.command("on-ingest")
def on_ingest(
    ctx: typer.Context,
    dataset_id: Annotated[str, typer.Argument(metavar="DATASET")],
    assignments: Annotated[
        list[str] | None, typer.Argument(metavar="[FIELD=ELEMENT]...", help="Fields to normalize")
    ] = None,
    off: Annotated[list[str] | None, typer.Option("--off", help="Stop normalizing FIELD")] = None,
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """Choose fields to normalize on every ingest (companion columns; the original is kept).
    Without arguments, list the dataset's choices."""
    with open_database(ctx).session() as session:
        settings = service.normalization_settings(session, dataset_id)
        for text in assignments or []:
            field, element = service.parse_assignment(text)
            settings = service.normalize_on_ingest(session, dataset_id, field, element, by)
        for field in off or []:
            settings = service.stop_normalizing(session, dataset_id, field)
    if as_json:
        echo_json(settings)
        return
    _print_settings(dataset_id, settings)


def _print_settings(dataset_id: str, settings: list[NormalizationSetting]) -> None:
    if not settings:
        typer.echo(f"{dataset_id}: no field is normalized on ingest")
    for setting in settings:
        typer.echo(f"{dataset_id}: {setting.field} -> {setting.element} (by {setting.created_by})")
