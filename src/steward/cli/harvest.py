"""`steward harvest SOURCE`: import another portal's catalog as draft, metadata-only entries."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

import typer

from steward.cli.common import echo_json, fail, open_database
from steward.harvest.detect import parse_document
from steward.harvest.fetch import Limits, read_source
from steward.harvest.schemas import HarvestReport
from steward.harvest.service import HarvestOptions, harvest_catalog

MB = 1024 * 1024


SourceArg = Annotated[
    str,
    typer.Argument(
        help="A DCAT-US data.json, Socrata views.json or catalog export CSV, or CKAN "
        "package_search answer or dump: a file path or an http(s) URL."
    ),
]
AgencyDefaultOpt = Annotated[
    str | None,
    typer.Option(help="Agency slug for datasets whose publisher is blank or not matched."),
]
CreateOpt = Annotated[
    bool,
    typer.Option(
        "--create-agencies/--report-agencies",
        help="Create an agency for each publisher not matched (default: only report them).",
    ),
]
FormatOpt = Annotated[str, typer.Option("--format", help="auto, dcat, socrata, ckan or axibase.")]
PortalOpt = Annotated[
    str | None,
    typer.Option(
        help="Site the catalog describes, for landing pages (e.g. https://data.ct.gov); "
        "a URL source's own site by default."
    ),
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Report; write nothing.")]
MaxMbOpt = Annotated[int, typer.Option(min=1, help="Largest document to read, in MB.")]
TimeoutOpt = Annotated[float, typer.Option(min=1, help="Seconds a download may take.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the whole report as JSON.")]


def harvest(
    ctx: typer.Context,
    source: SourceArg,
    agency_default: AgencyDefaultOpt = None,
    create_agencies: CreateOpt = False,
    format: FormatOpt = "auto",
    portal: PortalOpt = None,
    dry_run: DryRunOpt = False,
    max_mb: MaxMbOpt = 100,
    timeout: TimeoutOpt = 60.0,
    as_json: JsonOpt = False,
) -> None:
    """Import a catalog: draft entries with metadata and dictionaries, agencies reconciled."""
    if portal and urlsplit(portal).scheme not in {"http", "https"}:
        fail("--portal must be an http(s) URL")
    document = read_source(source, Limits(max_bytes=max_mb * MB, timeout_s=timeout))
    catalog = parse_document(document.data, fmt=format, portal=portal or document.portal)
    options = HarvestOptions(
        agency_default=agency_default, create_agencies=create_agencies, dry_run=dry_run
    )
    with open_database(ctx).session() as session:
        report = harvest_catalog(session, catalog, document.name, options)
    if as_json:
        echo_json(report.model_dump(mode="json"))
    else:
        print_report(report)


def print_report(report: HarvestReport) -> None:
    typer.echo(
        f"{report.source} ({report.format}, {report.records} records): {report.created} created, "
        f"{report.updated} updated, {report.unchanged} unchanged, {report.existing} already in "
        f"the catalog, {report.skipped} skipped, {report.failed} failed"
    )
    matched = [a for a in report.agencies if a.method not in {"unmatched", "blank", "created"}]
    blank = sum(a.datasets for a in report.agencies if a.method == "blank")
    typer.echo(
        f"Agencies: {sum(a.datasets for a in matched)} datasets matched to "
        f"{len({a.agency for a in matched})} agencies; {blank} with no publisher"
    )
    if report.unmatched:
        where = report.unmatched[0].agency or "nobody (skipped; give --agency-default)"
        typer.echo(f"Publishers not matched to an agency (their datasets went to {where}):")
        for outcome in report.unmatched:
            typer.echo(f"  {outcome.datasets:>4}  {outcome.name}")
    for agency in report.created_agencies:
        typer.echo(f"Created agency {agency.slug}: {agency.name}")
    for item in report.items:
        if item.action == "failed":
            typer.echo(f"Failed {item.source_id}: {item.message}")
    for reason in report.not_datasets:
        typer.echo(f"Not a dataset: {reason}")
    if report.dry_run:
        typer.echo("Dry run: nothing was written.")
