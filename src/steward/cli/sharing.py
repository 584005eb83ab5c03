"""`steward sharing ...`: data sharing agreements, grants and extracts from the command line.

Every command acts as `--as EMAIL` (the system without it) and is checked by the same policy as
the web: the provider agency's ADO drafts, moves and suspends; authorized users make extracts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from steward.cli.common import actor_of, echo_json, fail, open_database, settings_of
from steward.query.engine import QueryEngine
from steward.requests import outbox
from steward.sharing import agreements, export, extracts, grants, importer, reminders, templates
from steward.sharing.schemas import AgreementCreate, ExtractCreate, StatusChange

app = typer.Typer(
    help="Data sharing agreements and grants (act with --as EMAIL).", no_args_is_help=True
)
agreement_app = typer.Typer(
    help="Agreements: create, show, list, status, import, export, render.", no_args_is_help=True
)
grant_app = typer.Typer(help="Grants: list, suspend, resume.", no_args_is_help=True)
app.add_typer(agreement_app, name="agreement")
app.add_typer(grant_app, name="grant")
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
AgreementId = Annotated[int, typer.Argument(metavar="ID", help="Agreement number")]


@agreement_app.command("create")
def create(
    ctx: typer.Context,
    spec: Annotated[Path, typer.Argument(help="A JSON file with the agreement's attributes")],
    as_json: JsonOption = False,
) -> None:
    """Draft an agreement from a JSON file (provider ado)."""
    try:
        values = json.loads(spec.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"cannot read {spec}: {exc}")
    data = AgreementCreate.model_validate(values)
    with open_database(ctx).session() as session:
        made = agreements.create_agreement(session, actor_of(ctx, session), data)
    if as_json:
        echo_json(made)
        return
    typer.echo(f"Created agreement {made.id}: {made.title} ({made.status})")


@agreement_app.command("show")
def show(ctx: typer.Context, agreement_id: AgreementId, as_json: JsonOption = False) -> None:
    """An agreement with its datasets, grants, checklist and history."""
    with open_database(ctx).session() as session:
        found = agreements.get_agreement(session, actor_of(ctx, session), agreement_id)
    if as_json:
        echo_json(found)
        return
    typer.echo(f"{found.id}  {found.title}  [{found.kind_label}]  {found.status}")
    typer.echo(
        f"  {found.provider_name} -> {found.recipient_name}; "
        f"{found.effective_date} to {found.end_date}"
    )
    for item in found.datasets:
        typer.echo(f"  dataset {item.dataset_id}: {', '.join(item.fields)}")
    for grant in found.grants:
        typer.echo(f"  grant {grant.id}: {grant.user_email} ({grant.state})")
    for check in found.checklist:
        typer.echo(f"  [{'x' if check.met else ' '}] {check.authority}: {check.text}")


@agreement_app.command("list")
def list_agreements(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="Only this status")] = None,
    agency: Annotated[str | None, typer.Option(help="Only agreements with this party")] = None,
    as_json: JsonOption = False,
) -> None:
    """Agreements you may read (the renewal reminder marked with !)."""
    with open_database(ctx).session() as session:
        found = agreements.list_agreements(
            session, actor_of(ctx, session), status=status, agency=agency
        )
    if as_json:
        echo_json(found)
        return
    for item in found:
        mark = "!" if item.renewal_due else " "
        typer.echo(f"{item.id:>4} {mark} {item.status:<12} {item.end_date}  {item.title}")


@agreement_app.command("status")
def status(
    ctx: typer.Context,
    agreement_id: AgreementId,
    to: Annotated[
        str, typer.Argument(help="draft, legal_review, signed, active, expired, terminated")
    ],
    note: Annotated[str, typer.Option(help="Why")] = "",
) -> None:
    """Move an agreement through its lifecycle (provider ado)."""
    change = StatusChange.model_validate({"status": to, "note": note})
    with open_database(ctx).session() as session:
        made = agreements.change_status(session, actor_of(ctx, session), agreement_id, change)
    typer.echo(f"Agreement {made.id} is now {made.status}")


@agreement_app.command("import")
def import_file(
    ctx: typer.Context, path: Annotated[Path, typer.Argument(help="CSV or XLSX")]
) -> None:
    """Import agreements from a spreadsheet, all or nothing (ado of each provider)."""
    content = _read(path)
    with open_database(ctx).session() as session:
        result = importer.import_file(session, actor_of(ctx, session), path.name, content)
    typer.echo(f"Imported {result.created} agreements: {', '.join(map(str, result.ids))}")


@agreement_app.command("render")
def render(
    ctx: typer.Context,
    agreement_id: AgreementId,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write")],
    fmt: Annotated[str, typer.Option("--format", help="html, docx or pdf")] = "pdf",
    document: Annotated[str, typer.Option(help="agreement or consent")] = "agreement",
) -> None:
    """Write the agreement (or its consent form) filled in as HTML, DOCX or PDF."""
    with open_database(ctx).session() as session:
        made = templates.render(session, actor_of(ctx, session), agreement_id, fmt, document)  # type: ignore[arg-type]
    _write(output, made.content)
    typer.echo(f"Wrote {output} ({len(made.content):,} bytes)")


@agreement_app.command("export")
def export_file(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write")],
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx")] = "csv",
) -> None:
    """The agreements you may read as CSV or XLSX in the import columns, for auditors."""
    with open_database(ctx).session() as session:
        content = export.export_file(session, actor_of(ctx, session), fmt)
    _write(output, content)
    typer.echo(f"Wrote {output} ({len(content):,} bytes)")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}")


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")


@grant_app.command("list")
def list_grants(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="Grants of this provider agency (ado)")] = None,
    as_json: JsonOption = False,
) -> None:
    """Your grants, or with --agency every grant of that provider's agreements."""
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        found = (
            grants.agency_grants(session, actor, agency)
            if agency
            else grants.my_grants(session, actor)
        )
    if as_json:
        echo_json(found)
        return
    for grant in found:
        typer.echo(f"{grant.id:>4} {grant.state:<9} {grant.user_email:<30} {grant.agreement_title}")


@grant_app.command("suspend")
def suspend(
    ctx: typer.Context,
    grant_id: Annotated[int, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option(help="Why")] = "",
) -> None:
    """Suspend a grant at once (provider ado)."""
    with open_database(ctx).session() as session:
        grant = grants.suspend(session, actor_of(ctx, session), grant_id, reason)
    typer.echo(f"Grant {grant.id} of {grant.user_email} is suspended")


@grant_app.command("resume")
def resume(ctx: typer.Context, grant_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
    """Resume a suspended grant (provider ado)."""
    with open_database(ctx).session() as session:
        grant = grants.resume(session, actor_of(ctx, session), grant_id)
    typer.echo(f"Grant {grant.id} of {grant.user_email} is {grant.state}")


@app.command("extract")
def extract(
    ctx: typer.Context,
    agreement_id: AgreementId,
    dataset: Annotated[str, typer.Option(help="Dataset id")],
    purpose: Annotated[str, typer.Option(help="Why the extract is made")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also copy the CSV here")
    ] = None,
) -> None:
    """A person-level extract without opted-out people (authorized user)."""
    settings = settings_of(ctx)
    engine = QueryEngine(settings.datasets_dir)
    data = ExtractCreate(dataset_id=dataset, purpose=purpose)
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        made = extracts.create_extract(
            session, actor, engine, settings.data_dir, agreement_id, data
        )
        found = extracts.open_extract(session, actor, settings.data_dir, agreement_id, made.id)
    if output is not None:
        _write(output, found.path.read_bytes())
    typer.echo(
        f"Extract {made.id}: {made.row_count} rows, "
        f"{made.excluded_opted_out} people left out (opted out)"
    )


@app.command("remind")
def remind(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Remind the provider ADOs of agreements inside their renewal window, then send the outbox
    (cron-able; each officer once per term)."""
    settings = settings_of(ctx)
    database = open_database(ctx)
    with database.session() as session:
        run = reminders.remind(session, actor_of(ctx, session), settings.site_url or "")
    delivery = outbox.deliver(database, settings)
    run = run.model_copy(update={"sent": delivery.sent, "failed": delivery.failed})
    if as_json:
        echo_json(run)
        return
    typer.echo(
        f"{run.as_of}: {run.checked} active agreements, {len(run.due)} due for renewal, "
        f"{run.queued} reminders queued, {run.already_reminded} already sent; "
        f"{run.sent} emailed, {run.failed} failed"
    )
