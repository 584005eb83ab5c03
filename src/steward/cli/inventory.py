"""`steward inventory ...`: the yearly high-value data inventory, from opening a cycle to
accepting each agency's submission, with exports and spreadsheet import.

Every command acts as `--as EMAIL` (the system without it) and is checked by the same policy as
the web: the CDO opens, returns and accepts; an agency's stewards edit; its ADO submits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from steward.cli.common import actor_of, echo_json, fail, open_database, settings_of
from steward.inventory import assets, exports, importer, service
from steward.inventory.criteria import BY_LETTER
from steward.inventory.exports import Format
from steward.inventory.schemas import (
    AssetCreate,
    AssetPublic,
    AssetUpdate,
    CycleCreate,
    SubmissionPublic,
)

app = typer.Typer(help="The high-value data inventory (act with --as EMAIL).", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Year = Annotated[int, typer.Argument(help="Inventory year, e.g. 2026")]
Agency = Annotated[str, typer.Argument(help="Agency slug, e.g. dph")]
AssetId = Annotated[int, typer.Argument(metavar="ID", help="Entry id (see `show`)")]
Text = Annotated[str | None, typer.Option()]
Flag = Annotated[bool | None, typer.Option(show_default=False)]


# cycles ------------------------------------------------------------------------------------


@app.command("open")
def open_cycle(
    ctx: typer.Context,
    year: Year,
    due: Annotated[str, typer.Option(help="Due date, YYYY-MM-DD")],
    as_json: JsonOption = False,
) -> None:
    """Open a year's cycle: every agency gets a draft, carried forward from its last one (cdo)."""
    data = CycleCreate.model_validate({"year": year, "due_date": due})
    with open_database(ctx).session() as session:
        cycle = service.open_cycle(session, actor_of(ctx, session), data)
    if as_json:
        echo_json(cycle)
        return
    typer.echo(f"Opened the {cycle.year} inventory, due {cycle.due_date}")
    for item in cycle.submissions:
        carried = f"  (from {item.carried_forward_from})" if item.carried_forward_from else ""
        typer.echo(f"  {item.agency:<12} {item.asset_count:>4} entries{carried}")


@app.command("list")
def list_cycles(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Cycles, newest first, with the submissions you may see."""
    with open_database(ctx).session() as session:
        cycles = service.list_cycles(session, actor_of(ctx, session))
    if as_json:
        echo_json(cycles)
        return
    for cycle in cycles:
        typer.echo(f"{cycle.year}  due {cycle.due_date}")
        for item in cycle.submissions:
            late = "  OVERDUE" if item.overdue else ""
            typer.echo(f"  {item.agency:<12} {item.status:<10} {item.asset_count:>4} entries{late}")


@app.command("dashboard")
def dashboard(ctx: typer.Context, year: Year, as_json: JsonOption = False) -> None:
    """Status, entries, high-value entries and share published by agency; who is overdue (cdo)."""
    with open_database(ctx).session() as session:
        board = service.dashboard(session, actor_of(ctx, session), year)
    if as_json:
        echo_json(board)
        return
    typer.echo(f"{year} inventory, due {board.due_date}, as of {board.as_of}")
    typer.echo(f"{'agency':<12} {'status':<10} {'entries':>7} {'high':>5} {'published':>9}")
    for row in board.agencies:
        share = "-" if row.published_share is None else f"{row.published_share:.0%}"
        late = "  OVERDUE" if row.overdue else ""
        typer.echo(
            f"{row.agency:<12} {row.status:<10} {row.asset_count:>7} {row.high_value_count:>5} "
            f"{share:>9}{late}"
        )
    share = "-" if board.published_share is None else f"{board.published_share:.0%}"
    typer.echo(
        f"{'state':<12} {'':<10} {board.asset_count:>7} {board.high_value_count:>5} {share:>9}"
    )


# a submission ------------------------------------------------------------------------------


@app.command("show")
def show(ctx: typer.Context, year: Year, agency: Agency, as_json: JsonOption = False) -> None:
    """An agency's submission and its entries (analyst)."""
    with open_database(ctx).session() as session:
        submission = service.get_submission(session, actor_of(ctx, session), year, agency)
    if as_json:
        echo_json(submission)
        return
    _print_submission(submission)


def _print_submission(submission: SubmissionPublic) -> None:
    late = " OVERDUE" if submission.overdue else ""
    typer.echo(
        f"{submission.agency_name} {submission.year}: {submission.status}{late} "
        f"(due {submission.due_date})"
    )
    if submission.review_comment:
        typer.echo(f"review comment: {submission.review_comment}")
    for asset in submission.assets:
        typer.echo("  " + _line(asset))


def _line(asset: AssetPublic) -> str:
    criteria = ",".join(asset.criteria_met) or "-"
    return (
        f"{asset.id:>5}  {asset.name[:40]:<40} {asset.dataset_id or '-':<9}  "
        f"criteria {criteria:<15} {asset.access_level:<17} {asset.open_data_status}"
    )


@app.command("history")
def history(ctx: typer.Context, year: Year, agency: Agency, as_json: JsonOption = False) -> None:
    """Every change to a submission, newest first (analyst)."""
    with open_database(ctx).session() as session:
        changes = service.history(session, actor_of(ctx, session), year, agency)
    if as_json:
        echo_json(changes)
        return
    for change in changes:
        what = f" “{change.asset_name}”" if change.asset_name else ""
        fields = f" [{', '.join(c.field for c in change.changes)}]" if change.changes else ""
        note = f": {change.comment}" if change.comment else ""
        typer.echo(
            f"{change.at:%Y-%m-%d %H:%M}  {change.actor}  {change.action}{what}{fields}{note}"
        )


@app.command("submit")
def submit(
    ctx: typer.Context, year: Year, agency: Agency, comment: Annotated[str, typer.Option()] = ""
) -> None:
    """Submit the agency's inventory to the CDO (ado)."""
    with open_database(ctx).session() as session:
        result = service.submit(session, actor_of(ctx, session), year, agency, comment)
    typer.echo(f"{result.agency} {result.year}: {result.status}")


@app.command("return")
def return_submission(
    ctx: typer.Context,
    year: Year,
    agency: Agency,
    comment: Annotated[str, typer.Option(help="What needs to change (required)")],
) -> None:
    """Return a submitted inventory to the agency with a comment (cdo)."""
    with open_database(ctx).session() as session:
        result = service.return_submission(session, actor_of(ctx, session), year, agency, comment)
    typer.echo(f"{result.agency} {result.year}: {result.status}")


@app.command("accept")
def accept(
    ctx: typer.Context, year: Year, agency: Agency, comment: Annotated[str, typer.Option()] = ""
) -> None:
    """Accept a submitted inventory (cdo)."""
    with open_database(ctx).session() as session:
        result = service.accept(session, actor_of(ctx, session), year, agency, comment)
    typer.echo(f"{result.agency} {result.year}: {result.status}")


# entries -----------------------------------------------------------------------------------


# option name -> the service's field name
ASSET_OPTIONS = {
    "dataset": "dataset_id",
    "name": "name",
    "description": "description",
    "system_of_record": "system_of_record",
    "owner": "owner",
    "steward": "steward",
    "custodian": "custodian",
    "legal_authority": "legal_authority",
    "classification": "classification",
    "pii": "contains_pii",
    "phi": "contains_phi",
    "fti": "contains_fti",
    "education_records": "contains_education_records",
    "access_level": "access_level",
    "access_reason": "access_reason",
    "status": "open_data_status",
    "planned_date": "planned_date",
    "not_publishable_reason": "not_publishable_reason",
    "update_frequency": "update_frequency",
    "geographic_unit": "geographic_unit",
    "temporal_coverage": "temporal_coverage",
}


def _asset_options(options: dict[str, Any]) -> dict[str, Any]:
    """The options given, as the service's fields (options left out are not sent)."""
    sent = {
        field: options[option]
        for option, field in ASSET_OPTIONS.items()
        if options[option] is not None
    }
    criteria = _criteria(options["criterion"] or [], options["no_criterion"] or [])
    if criteria:
        sent["criteria"] = criteria
    return sent


def _criteria(applies: list[str], not_applies: list[str]) -> dict[str, dict[str, Any]]:
    answers: dict[str, dict[str, Any]] = {}
    for item in applies:
        letter, sep, why = item.partition("=")
        if not sep:
            fail(f'--criterion takes LETTER=JUSTIFICATION, e.g. C="cited in reports" (not {item})')
        answers[_letter(letter)] = {"applies": True, "justification": why}
    for letter in not_applies:
        answers[_letter(letter)] = {"applies": False, "justification": ""}
    return answers


def _letter(text: str) -> str:
    letter = text.strip().upper()
    if letter not in BY_LETTER:
        fail(f"there is no criterion {text!r} (they are {', '.join(BY_LETTER)})")
    return letter


DatasetOpt = Annotated[str | None, typer.Option("--dataset", help="Catalog dataset id")]
NameOpt = Annotated[str | None, typer.Option(help="Name of the data asset")]
CriterionOpt = Annotated[
    list[str] | None,
    typer.Option("--criterion", help="LETTER=JUSTIFICATION: the criterion applies (repeat)"),
]
NoCriterionOpt = Annotated[
    list[str] | None, typer.Option("--no-criterion", help="LETTER: the criterion does not apply")
]
ClassOpt = Annotated[str | None, typer.Option(help="public, protected, personal or private")]
AccessOpt = Annotated[str | None, typer.Option(help="public, restricted public or non-public")]
StatusOpt = Annotated[
    str | None, typer.Option(help="Open-data status: published, planned or not publishable")
]
PII = Annotated[bool | None, typer.Option("--pii/--no-pii", help="Contains PII")]
PHI = Annotated[bool | None, typer.Option("--phi/--no-phi", help="Contains PHI")]
FTI = Annotated[bool | None, typer.Option("--fti/--no-fti", help="Contains FTI")]
EDU = Annotated[
    bool | None,
    typer.Option("--education-records/--no-education-records", help="Contains education records"),
]


@app.command("add-asset")
def add_asset(
    ctx: typer.Context,
    year: Year,
    agency: Agency,
    dataset: DatasetOpt = None,
    name: NameOpt = None,
    description: Text = None,
    system_of_record: Text = None,
    owner: Text = None,
    steward: Text = None,
    custodian: Text = None,
    legal_authority: Text = None,
    criterion: CriterionOpt = None,
    no_criterion: NoCriterionOpt = None,
    classification: ClassOpt = None,
    pii: PII = None,
    phi: PHI = None,
    fti: FTI = None,
    education_records: EDU = None,
    access_level: AccessOpt = None,
    access_reason: Text = None,
    status: StatusOpt = None,
    planned_date: Text = None,
    not_publishable_reason: Text = None,
    update_frequency: Text = None,
    geographic_unit: Text = None,
    temporal_coverage: Text = None,
    as_json: JsonOption = False,
) -> None:
    """Add an entry; with --dataset, options left out come from the catalog (steward)."""
    data = AssetCreate.model_validate(_asset_options(locals()))
    with open_database(ctx).session() as session:
        asset = assets.add_asset(session, actor_of(ctx, session), year, agency, data)
    typer.echo(asset.model_dump_json(indent=2) if as_json else "Added " + _line(asset))


@app.command("update-asset")
def update_asset(
    ctx: typer.Context,
    year: Year,
    agency: Agency,
    asset_id: AssetId,
    dataset: DatasetOpt = None,
    name: NameOpt = None,
    description: Text = None,
    system_of_record: Text = None,
    owner: Text = None,
    steward: Text = None,
    custodian: Text = None,
    legal_authority: Text = None,
    criterion: CriterionOpt = None,
    no_criterion: NoCriterionOpt = None,
    classification: ClassOpt = None,
    pii: PII = None,
    phi: PHI = None,
    fti: FTI = None,
    education_records: EDU = None,
    access_level: AccessOpt = None,
    access_reason: Text = None,
    status: StatusOpt = None,
    planned_date: Text = None,
    not_publishable_reason: Text = None,
    update_frequency: Text = None,
    geographic_unit: Text = None,
    temporal_coverage: Text = None,
    as_json: JsonOption = False,
) -> None:
    """Change an entry: only the options given (steward)."""
    data = AssetUpdate.model_validate(_asset_options(locals()))
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        asset = assets.update_asset(session, actor, year, agency, asset_id, data)
    typer.echo(asset.model_dump_json(indent=2) if as_json else "Saved " + _line(asset))


@app.command("remove-asset")
def remove_asset(ctx: typer.Context, year: Year, agency: Agency, asset_id: AssetId) -> None:
    """Remove an entry (steward)."""
    with open_database(ctx).session() as session:
        assets.remove_asset(session, actor_of(ctx, session), year, agency, asset_id)
    typer.echo(f"Removed entry {asset_id}")


# files -------------------------------------------------------------------------------------


@app.command("export")
def export(
    ctx: typer.Context,
    year: Year,
    agency: Annotated[
        str | None, typer.Argument(help="Agency slug; without it the state-wide inventory (cdo)")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="csv, xlsx or json")] = "csv",
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write")] = Path("-"),
    base_url: Annotated[
        str | None, typer.Option(help="Site address for data.json links (default host:port)")
    ] = None,
) -> None:
    """Export a submission (analyst) or the state-wide inventory (cdo) as CSV, XLSX or data.json."""
    settings = settings_of(ctx)
    base = (base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        if agency is None:
            result = exports.export_cycle(session, actor, year, fmt, base)
        else:
            result = exports.export_submission(session, actor, year, agency, fmt, base)
    if str(output) == "-":
        if fmt == "xlsx":
            fail("an XLSX file needs -o FILE")
        typer.echo(result.content.decode("utf-8"), nl=False)
        return
    output.write_bytes(result.content)
    typer.echo(f"Wrote {output} ({len(result.content):,} bytes)", err=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    year: Year,
    agency: Agency,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".csv or .xlsx")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Remove entries the file leaves out")
    ] = False,
) -> None:
    """Import a spreadsheet in the export's columns, all or nothing (steward)."""
    content = file.read_bytes()
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        result = importer.import_file(
            session, actor, year, agency, file.name, content, replace=replace
        )
    typer.echo(
        f"Imported {result.rows} rows: {result.added} added, {result.updated} changed, "
        f"{result.removed} removed"
    )
