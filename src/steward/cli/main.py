"""`steward` root command: global options, init, demo, serve, and the sub-apps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steward.cli import (
    accounts,
    agency,
    classification,
    dataset,
    inventory,
    metadata,
    privacy,
    quality,
    standards,
)
from steward.cli.assess import app as assess_app
from steward.cli.audit import app as audit_app
from steward.cli.common import StewardGroup, open_database, settings_of
from steward.cli.consent import app as consent_app
from steward.cli.harvest import harvest
from steward.cli.plans import app as plan_app
from steward.cli.progress import app as progress_app
from steward.cli.requests import app as request_app
from steward.cli.sharing import app as sharing_app
from steward.cli.usage import app as usage_app
from steward.cli.usage import cases as usecase_app
from steward.config import load_settings

app = typer.Typer(
    cls=StewardGroup,
    help="Steward: run a state's data plan (catalog, portal, SODA query API).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(agency.app, name="agency")
app.add_typer(accounts.users, name="user")
app.add_typer(accounts.tokens, name="token")
app.add_typer(dataset.app, name="dataset")
app.add_typer(metadata.app, name="metadata")
app.add_typer(standards.app, name="standards")
app.add_typer(quality.app, name="quality")
app.add_typer(inventory.app, name="inventory")
app.add_typer(classification.app, name="classify")
app.add_typer(privacy.app, name="privacy")
app.add_typer(plan_app, name="plan")
app.add_typer(assess_app, name="assess")
app.add_typer(request_app, name="request")
app.add_typer(usage_app, name="usage")
app.add_typer(usecase_app, name="usecase")
app.add_typer(progress_app, name="progress")
app.add_typer(sharing_app, name="sharing")
app.add_typer(audit_app, name="audit")
app.add_typer(consent_app, name="consent")
app.command("harvest")(harvest)

HostOption = Annotated[str | None, typer.Option(help="Interface to bind (STEWARD_HOST).")]
PortOption = Annotated[int | None, typer.Option(help="Port to listen on (STEWARD_PORT).")]


@app.callback()
def root(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None, typer.Option(help="Store directory (STEWARD_DATA_DIR).")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="Metadata database URL (STEWARD_DATABASE_URL).")
    ] = None,
    acting_as: Annotated[
        str | None,
        typer.Option(
            "--as",
            envvar="STEWARD_AS",
            help="Act as this user (email); without it the local operator acts as the system.",
        ),
    ] = None,
) -> None:
    settings = load_settings(data_dir=data_dir, database_url=database_url)
    ctx.obj = {"settings": settings, "acting_as": acting_as}


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the data directory and migrate the metadata store to the latest schema."""
    open_database(ctx)
    typer.echo(f"Store ready in {settings_of(ctx).data_dir.resolve()}")


@app.command()
def demo(
    ctx: typer.Context,
    host: HostOption = None,
    port: PortOption = None,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the portal after loading.")
    ] = True,
) -> None:
    """Load the bundled Connecticut demo catalog (once), then serve Steward."""
    from steward.demo.loader import load_demo

    database = open_database(ctx)
    settings = settings_of(ctx)
    for outcome in load_demo(database, settings.data_dir):
        typer.echo(
            f"{outcome.action:>9}  {outcome.dataset_id}  {outcome.row_count:>7,} rows  "
            f"{outcome.title}"
        )
    if serve_after:
        _serve(ctx, host, port)


@app.command()
def serve(ctx: typer.Context, host: HostOption = None, port: PortOption = None) -> None:
    """Serve the portal and the APIs."""
    open_database(ctx)
    _serve(ctx, host, port)


def _serve(ctx: typer.Context, host: str | None, port: int | None) -> None:
    import uvicorn

    from steward.app import create_app

    settings = settings_of(ctx)
    if host is not None:
        settings.host = host
    if port is not None:
        settings.port = port
    app = create_app(settings)
    _preload()
    typer.echo(f"Steward on http://{settings.host}:{settings.port}")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


def _preload() -> None:
    """Load reference data and start the chart renderer before the first request, then freeze
    the long-lived objects so garbage collection passes stay short while serving."""
    import gc

    from steward import viz
    from steward.standards.registry import get_element, is_element

    for element_id, sample in (
        ("ct_town", "Mystic"),
        ("ct_town", "Boston, MA"),
        ("us_zip5", "06103"),
    ):
        if is_element(element_id):
            get_element(element_id).normalize(sample)
    viz.warm_up()
    gc.collect()
    gc.freeze()


def run() -> None:
    app()
