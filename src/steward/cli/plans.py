"""`steward plan ...`: Open Data Access Plans from the command line, from a draft to a published
plan with its adherence and exports.

Every command acts as `--as EMAIL` (the system without it) and is checked by the same policy as
the web: the ADO creates and publishes; stewards add and change entries; anyone reads a
published plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from steward.cli.common import actor_of, echo_json, fail, open_database
from steward.plans import entries, exports, service
from steward.plans.exports import Format
from steward.plans.schemas import (
    EntryCreate,
    EntryPublic,
    EntryUpdate,
    PlanCreate,
    PlanPublic,
)

app = typer.Typer(help="Open Data Access Plans (act with --as EMAIL).", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Agency = Annotated[str, typer.Argument(help="Agency slug, e.g. dph")]
Period = Annotated[str, typer.Argument(help="Plan period, e.g. 2026-2027")]
EntryId = Annotated[int, typer.Argument(metavar="ID", help="Entry id (see `show`)")]
Text = Annotated[str | None, typer.Option()]


@app.command("create")
def create(
    ctx: typer.Context,
    agency: Agency,
    period: Period,
    summary: Annotated[str, typer.Option(help="Goals and approach")] = "",
    as_json: JsonOption = False,
) -> None:
    """Start a draft plan for an agency and period (ado)."""
    data = PlanCreate(agency=agency, period=period, summary=summary)
    with open_database(ctx).session() as session:
        plan = service.create_plan(session, actor_of(ctx, session), data)
    if as_json:
        echo_json(plan)
        return
    typer.echo(f"Created the {plan.period} plan of {plan.agency_name} (draft)")


@app.command("list")
def list_plans(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="Only this agency")] = None,
    as_json: JsonOption = False,
) -> None:
    """Published plans, and the drafts you may see."""
    with open_database(ctx).session() as session:
        plans = service.list_plans(session, actor_of(ctx, session), agency)
    if as_json:
        echo_json(plans)
        return
    for plan in plans:
        a = plan.adherence
        share = "-" if a.on_time_share is None else f"{a.on_time_share:.0%}"
        typer.echo(
            f"{plan.agency:<10} {plan.period}  {plan.status:<9} {a.entries:>3} entries  "
            f"on time {share:>4}  overdue {a.counts['overdue']}"
        )


@app.command("show")
def show(ctx: typer.Context, agency: Agency, period: Period, as_json: JsonOption = False) -> None:
    """A plan, its entries and how each stands (public once published; analyst for a draft)."""
    with open_database(ctx).session() as session:
        plan = service.get_plan(session, actor_of(ctx, session), agency, period)
    if as_json:
        echo_json(plan)
        return
    _print_plan(plan)


def _print_plan(plan: PlanPublic) -> None:
    a = plan.adherence
    share = "nothing due yet" if a.on_time_share is None else f"{a.on_time_share:.0%} on time"
    typer.echo(f"{plan.agency_name} {plan.period}: {plan.status} ({share}, as of {a.as_of})")
    for entry in plan.entries:
        typer.echo("  " + _line(entry))


def _line(entry: EntryPublic) -> str:
    when = "published" if entry.kind == "published" else str(entry.target_date)
    if entry.rescheduled:
        when += f" (committed {entry.committed_date})"
    link = f" [{entry.dataset_id}]" if entry.dataset_id else ""
    status = f"{entry.adherence_label:<26}"
    return f"{entry.id:>4}  {entry.priority:<6} {when:<12} {status} {entry.title}{link}"


def _entry_values(**options: Any) -> dict[str, Any]:
    names = {"dataset": "dataset_id", "target": "target_date", "frequency": "update_frequency"}
    return {names.get(k, k): v for k, v in options.items() if v is not None}


KindOption = Annotated[str | None, typer.Option(help="planned or published")]
PriorityOption = Annotated[str | None, typer.Option(help="high, medium or low")]


@app.command("add")
def add(
    ctx: typer.Context,
    agency: Agency,
    period: Period,
    kind: KindOption = None,
    title: Text = None,
    description: Text = None,
    dataset: Annotated[str | None, typer.Option(help="Catalog dataset id")] = None,
    asset_key: Annotated[str | None, typer.Option(help="Inventory asset key")] = None,
    priority: PriorityOption = None,
    target: Annotated[str | None, typer.Option(help="Target date, YYYY-MM-DD")] = None,
    frequency: Text = None,
    rationale: Text = None,
    as_json: JsonOption = False,
) -> None:
    """Add an entry; what is left out comes from the dataset or the inventory asset (steward)."""
    values = _entry_values(
        kind=kind,
        title=title,
        description=description,
        dataset=dataset,
        asset_key=asset_key,
        priority=priority,
        target=target,
        frequency=frequency,
        rationale=rationale,
    )
    data = EntryCreate.model_validate(values)
    with open_database(ctx).session() as session:
        entry = entries.add_entry(session, actor_of(ctx, session), agency, period, data)
    if as_json:
        echo_json(entry)
        return
    typer.echo("Added " + _line(entry).strip())


@app.command("update")
def update(
    ctx: typer.Context,
    agency: Agency,
    period: Period,
    entry_id: EntryId,
    kind: KindOption = None,
    title: Text = None,
    description: Text = None,
    dataset: Annotated[str | None, typer.Option(help="Catalog dataset id ('' to unlink)")] = None,
    asset_key: Annotated[
        str | None, typer.Option(help="Inventory asset key ('' to unlink)")
    ] = None,
    priority: PriorityOption = None,
    target: Annotated[str | None, typer.Option(help="Target date, YYYY-MM-DD")] = None,
    frequency: Text = None,
    rationale: Text = None,
    as_json: JsonOption = False,
) -> None:
    """Change an entry: only the options given (steward)."""
    values = _entry_values(
        kind=kind,
        title=title,
        description=description,
        dataset=dataset,
        asset_key=asset_key,
        priority=priority,
        target=target,
        frequency=frequency,
        rationale=rationale,
    )
    data = EntryUpdate.model_validate({k: (v if v != "" else None) for k, v in values.items()})
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        entry = entries.update_entry(session, actor, agency, period, entry_id, data)
    if as_json:
        echo_json(entry)
        return
    typer.echo("Saved " + _line(entry).strip())


@app.command("remove")
def remove(ctx: typer.Context, agency: Agency, period: Period, entry_id: EntryId) -> None:
    """Remove an entry of a draft plan (steward)."""
    with open_database(ctx).session() as session:
        entries.remove_entry(session, actor_of(ctx, session), agency, period, entry_id)
    typer.echo(f"Removed entry {entry_id}")


@app.command("from-inventory")
def from_inventory(ctx: typer.Context, agency: Agency, period: Period) -> None:
    """Add the latest inventory's published and planned assets not in the plan (steward)."""
    with open_database(ctx).session() as session:
        year, added = entries.add_from_inventory(session, actor_of(ctx, session), agency, period)
    typer.echo(f"Added {len(added)} entries from the {year} inventory")
    for entry in added:
        typer.echo("  " + _line(entry))


@app.command("publish")
def publish(ctx: typer.Context, agency: Agency, period: Period) -> None:
    """Publish the plan: its targets become commitments (ado)."""
    with open_database(ctx).session() as session:
        plan = service.publish_plan(session, actor_of(ctx, session), agency, period)
    typer.echo(
        f"Published the {plan.period} plan of {plan.agency_name} ({len(plan.entries)} entries)"
    )


@app.command("export")
def export(
    ctx: typer.Context,
    agency: Agency,
    period: Period,
    fmt: Annotated[Format, typer.Option("--format", help="csv or xlsx")] = "csv",
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write")] = Path("-"),
) -> None:
    """The plan with each entry's adherence as CSV or XLSX (as readable as the plan)."""
    with open_database(ctx).session() as session:
        made = exports.export_plan(session, actor_of(ctx, session), agency, period, fmt)
    if str(output) == "-":
        if fmt == "xlsx":
            fail("an XLSX file needs -o FILE")
        typer.echo(made.content.decode("utf-8"), nl=False)
        return
    output.write_bytes(made.content)
    typer.echo(f"Wrote {output} ({len(made.content):,} bytes)", err=True)
