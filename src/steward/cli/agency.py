"""`steward agency add|update|list`."""

from __future__ import annotations

from typing import Annotated

import typer

from steward.catalog import service
from steward.catalog.schemas import AgencyCreate, AgencyUpdate
from steward.cli.common import actor_of, echo_json, open_database

app = typer.Typer(help="Agencies that hold and publish data.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("add")
def add(
    ctx: typer.Context,
    slug: Annotated[str, typer.Option(help="Short id, e.g. dph")],
    name: Annotated[str, typer.Option(help="Full name, e.g. Department of Public Health")],
    abbreviation: Annotated[str | None, typer.Option()] = None,
    website: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOption = False,
) -> None:
    """Register an agency."""
    data = AgencyCreate(
        slug=slug, name=name, abbreviation=abbreviation, website=website, description=description
    )
    with open_database(ctx).session() as session:
        agency = service.create_agency(session, actor_of(ctx, session), data)
    if as_json:
        echo_json(agency)
    else:
        typer.echo(f"Added agency {agency.slug}: {agency.name}")


@app.command("update")
def update(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="The agency's slug, e.g. dph")],
    name: Annotated[str | None, typer.Option()] = None,
    abbreviation: Annotated[str | None, typer.Option()] = None,
    website: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOption = False,
) -> None:
    """Change an agency's name or details (the agency's ADO, or the CDO)."""
    given = {"name": name, "abbreviation": abbreviation, "website": website}
    given["description"] = description
    data = AgencyUpdate.model_validate({k: v for k, v in given.items() if v is not None})
    with open_database(ctx).session() as session:
        agency = service.update_agency(session, actor_of(ctx, session), slug, data)
    if as_json:
        echo_json(agency)
    else:
        typer.echo(f"Updated agency {agency.slug}: {agency.name}")


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List agencies."""
    with open_database(ctx).session() as session:
        agencies = service.list_agencies(session)
    if as_json:
        echo_json(agencies)
        return
    for agency in agencies:
        typer.echo(f"{agency.slug:<12} {agency.name}")
