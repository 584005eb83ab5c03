"""`steward dataset create|update|ingest|list|show|publish|retire|fields|field|versions`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TimeRemainingColumn

from steward.catalog import service, versions
from steward.catalog.schemas import DatasetCreate, DatasetPublic, DatasetUpdate, FieldUpdate
from steward.cli.common import actor_of, echo_json, fail, open_database
from steward.standards import service as standards_service

app = typer.Typer(help="Datasets: metadata, data dictionary, versions.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Opt = Annotated[str | None, typer.Option()]


@app.command("create")
def create(
    ctx: typer.Context,
    agency: Annotated[str, typer.Option(help="Agency slug")],
    title: Annotated[str, typer.Option()],
    description: Opt = None,
    id: Annotated[str | None, typer.Option("--id", help="4x4 id; generated if omitted")] = None,
    category: Opt = None,
    keyword: Annotated[list[str] | None, typer.Option(help="Repeat for several")] = None,
    license: Opt = None,
    access_level: Annotated[
        str | None, typer.Option(help="public | restricted public | non-public")
    ] = None,
    classification: Annotated[
        str | None, typer.Option(help="public | protected | personal | private")
    ] = None,
    update_frequency: Annotated[str | None, typer.Option(help="ISO 8601, e.g. R/P1D")] = None,
    contact_name: Opt = None,
    contact_email: Opt = None,
    temporal_coverage: Opt = None,
    spatial_coverage: Opt = None,
    source_system: Opt = None,
    landing_page: Opt = None,
    as_json: JsonOption = False,
) -> None:
    """Create a dataset (draft) with its metadata."""
    values = {key: value for key, value in locals().items() if key not in {"ctx", "as_json"}}
    values["keywords"] = values.pop("keyword")
    data = DatasetCreate.model_validate({k: v for k, v in values.items() if v is not None})
    with open_database(ctx).session() as session:
        dataset = service.create_dataset(session, actor_of(ctx, session), data)
    _print_dataset(dataset, as_json, f"Created dataset {dataset.id} (draft)")


@app.command("update")
def update(
    ctx: typer.Context,
    dataset_id: Annotated[str, typer.Argument(metavar="ID")],
    title: Opt = None,
    description: Opt = None,
    category: Opt = None,
    keyword: Annotated[list[str] | None, typer.Option(help="Replaces the keywords")] = None,
    license: Opt = None,
    access_level: Opt = None,
    classification: Opt = None,
    update_frequency: Opt = None,
    contact_name: Opt = None,
    contact_email: Opt = None,
    temporal_coverage: Opt = None,
    spatial_coverage: Opt = None,
    source_system: Opt = None,
    landing_page: Opt = None,
    as_json: JsonOption = False,
) -> None:
    """Change a dataset's metadata (only the options given)."""
    values = {key: value for key, value in locals().items() if key not in {"ctx", "as_json"}}
    values.pop("dataset_id")
    values["keywords"] = values.pop("keyword")
    data = DatasetUpdate.model_validate({k: v for k, v in values.items() if v is not None})
    with open_database(ctx).session() as session:
        dataset = service.update_dataset(session, actor_of(ctx, session), dataset_id, data)
    _print_dataset(dataset, as_json, f"Updated dataset {dataset.id}")


@app.command("ingest")
def ingest(
    ctx: typer.Context,
    dataset_id: Annotated[str, typer.Argument(metavar="ID")],
    file: Annotated[Path, typer.Argument(help="CSV, TSV, XLSX, JSON or Parquet file")],
    skip_bad_rows: Annotated[
        bool, typer.Option(help="Skip unreadable rows (listed in the version notes)")
    ] = False,
    notes: Annotated[str, typer.Option(help="Notes kept with the version")] = "",
    by: Annotated[
        str | None, typer.Option(help="Who is loading it (default: the acting user, or system)")
    ] = None,
    normalize: Annotated[
        list[str] | None,
        typer.Option(help="FIELD=ELEMENT: normalize the field on this and later ingests"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Load a file into a dataset as its new current version."""
    if not file.is_file():
        fail(f"no such file: {file}")
    database = open_database(ctx)
    settings = ctx.find_root().obj["settings"]
    with _progress(not as_json) as (progress, task), database.session() as session:
        actor = actor_of(ctx, session)
        by = by or actor.label
        for field, element in map(standards_service.parse_assignment, normalize or []):
            standards_service.normalize_on_ingest(session, dataset_id, field, element, by)
        version = versions.ingest_version(
            session,
            actor,
            settings.data_dir,
            dataset_id,
            file,
            created_by=by,
            skip_bad_rows=skip_bad_rows,
            notes=notes,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    if as_json:
        echo_json(version)
        return
    typer.echo(f"{dataset_id}: version {version.number}, {version.row_count:,} rows")
    if version.notes:
        typer.echo(version.notes)


class _progress:
    def __init__(self, visible: bool) -> None:
        self.bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            disable=not visible,
            transient=True,
        )

    def __enter__(self) -> tuple[Progress, TaskID]:
        self.bar.start()
        return self.bar, self.bar.add_task("ingest", total=None)

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


@app.command("list")
def list_(
    ctx: typer.Context,
    q: Annotated[str | None, typer.Option(help="Search words")] = None,
    agency: Opt = None,
    status: Opt = None,
    offset: int = 0,
    limit: int = 100,
    as_json: JsonOption = False,
) -> None:
    """List or search datasets."""
    with open_database(ctx).session() as session:
        page = service.list_datasets(
            session, q=q, agency=agency, status=status, offset=offset, limit=limit
        )
    if as_json:
        echo_json(page)
        return
    for dataset in page.results:
        rows = f"{dataset.row_count:,}" if dataset.row_count is not None else "-"
        typer.echo(
            f"{dataset.id}  {dataset.status:<9} {dataset.agency:<6} {rows:>9}  {dataset.title}"
        )
    typer.echo(f"{page.count} dataset(s)")


@app.command("show")
def show(
    ctx: typer.Context,
    dataset_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: JsonOption = False,
) -> None:
    """Show a dataset's metadata and data dictionary."""
    with open_database(ctx).session() as session:
        dataset = service.get_dataset(session, dataset_id)
    if as_json:
        echo_json(dataset)
        return
    skip = {"fields", "description", "title", "id"}
    typer.echo(f"{dataset.id}  {dataset.title}\n\n{dataset.description}\n")
    for key, value in dataset.model_dump(exclude=skip).items():
        typer.echo(f"{key:>18}: {value if value is not None else ''}")
    typer.echo("\nFields:")
    for field in dataset.fields:
        typer.echo(f"  {field.name:<28} {field.type:<18} {field.classification:<9} {field.label}")


@app.command("publish")
def publish(ctx: typer.Context, dataset_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Publish a dataset (it must have data)."""
    with open_database(ctx).session() as session:
        service.set_status(session, actor_of(ctx, session), dataset_id, "published")
    typer.echo(f"Published {dataset_id}")


@app.command("retire")
def retire(ctx: typer.Context, dataset_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Retire a published dataset (its metadata and versions stay)."""
    with open_database(ctx).session() as session:
        service.set_status(session, actor_of(ctx, session), dataset_id, "retired")
    typer.echo(f"Retired {dataset_id}")


@app.command("fields")
def fields(
    ctx: typer.Context,
    dataset_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: JsonOption = False,
) -> None:
    """List a dataset's data dictionary."""
    with open_database(ctx).session() as session:
        entries = service.list_fields(session, dataset_id)
    if as_json:
        echo_json(entries)
        return
    for field in entries:
        typer.echo(
            f"{field.position:>3} {field.name:<28} {field.type:<18} {field.classification:<9}"
            f" {field.description}"
        )


@app.command("field")
def field(
    ctx: typer.Context,
    dataset_id: Annotated[str, typer.Argument(metavar="ID")],
    name: Annotated[str, typer.Argument(help="Field name")],
    label: Opt = None,
    description: Opt = None,
    format: Opt = None,
    classification: Annotated[
        str | None, typer.Option(help="public | protected | personal | private")
    ] = None,
    standard: Opt = None,
    as_json: JsonOption = False,
) -> None:
    """Edit one data dictionary entry."""
    data = FieldUpdate.model_validate(
        {
            k: v
            for k, v in {
                "label": label,
                "description": description,
                "format": format,
                "classification": classification,
                "standard": standard,
            }.items()
            if v is not None
        }
    )
    with open_database(ctx).session() as session:
        entry = service.update_field(session, actor_of(ctx, session), dataset_id, name, data)
    if as_json:
        echo_json(entry)
    else:
        typer.echo(f"Updated {dataset_id}.{entry.name}")


@app.command("versions")
def versions_(
    ctx: typer.Context,
    dataset_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: JsonOption = False,
) -> None:
    """List a dataset's versions."""
    with open_database(ctx).session() as session:
        entries = versions.list_versions(session, dataset_id)
    if as_json:
        echo_json(entries)
        return
    for version in entries:
        mark = "*" if version.is_current else " "
        typer.echo(
            f"{mark} v{version.number:<3} {version.row_count:>9,} rows  "
            f"{version.created_at:%Y-%m-%d %H:%M}  {version.source_filename}"
        )


def _print_dataset(dataset: DatasetPublic, as_json: bool, message: str) -> None:
    if as_json:
        echo_json(dataset)
    else:
        typer.echo(message)
