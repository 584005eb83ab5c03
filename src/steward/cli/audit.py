"""`steward audit …`: list, export, verify and seal the hash-chained audit log.

`verify` exits with status 1 and names the first broken entry when any entry was edited,
removed or reordered; with the store's secret key it also checks the signed checkpoints that
`seal` writes (run `seal` from cron, e.g. nightly).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from steward.audit import service
from steward.audit.schemas import AuditFilter
from steward.cli.common import actor_of, echo_json, fail, open_database, settings_of

app = typer.Typer(help="The tamper-evident audit log (act with --as EMAIL).", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
AgencyOption = Annotated[str | None, typer.Option(help="Only this agency (slug)")]
DatasetOption = Annotated[str | None, typer.Option(help="Only this dataset (id)")]
ActionOption = Annotated[
    str | None, typer.Option(help="Only this action (data.read), or a family (data.)")
]
SinceOption = Annotated[str | None, typer.Option(help="On or after YYYY-MM-DD (UTC)")]
UntilOption = Annotated[str | None, typer.Option(help="On or before YYYY-MM-DD (UTC)")]


def _key(ctx: typer.Context) -> bytes:
    settings = settings_of(ctx)
    settings.ensure_data_dir()
    return (settings.secret_key or "").encode()


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--{name}: {value!r} is not a date (YYYY-MM-DD)")


@app.command("list")
def list_entries(
    ctx: typer.Context,
    agency: AgencyOption = None,
    dataset: DatasetOption = None,
    action: ActionOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    as_json: JsonOption = False,
) -> None:
    """Entries you may see, newest first (CDO: all; ADO: their agencies')."""
    where = AuditFilter(
        agency=agency,
        dataset=dataset,
        action=action,
        since=_day(since, "since"),
        until=_day(until, "until"),
    )
    with open_database(ctx).session() as session:
        page = service.list_entries(session, actor_of(ctx, session), where, limit=limit)
    if as_json:
        echo_json(page)
        return
    for e in page.entries:
        where_to = " ".join(part for part in (e.agency, e.dataset_id) if part)
        typer.echo(f"{e.seq:>6}  {e.at:%Y-%m-%d %H:%M:%S}  {e.actor}  {e.action}  {where_to}")
    typer.echo(f"{len(page.entries)} of {page.total} entries")


@app.command("export")
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="CSV file to write")],
    agency: AgencyOption = None,
    dataset: DatasetOption = None,
    action: ActionOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """Write the entries you may see to a CSV file for auditors (oldest first)."""
    where = AuditFilter(
        agency=agency,
        dataset=dataset,
        action=action,
        since=_day(since, "since"),
        until=_day(until, "until"),
    )
    tmp = out.with_name(out.name + ".part")
    with open_database(ctx).session() as session, tmp.open("w", encoding="utf-8") as handle:
        for chunk in service.export_csv(session, actor_of(ctx, session), where):
            handle.write(chunk)
    tmp.replace(out)
    typer.echo(f"Wrote {out}")


@app.command("verify")
def verify(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Walk the whole chain and the signed checkpoints; exit 1 at the first broken entry (cdo)."""
    key = _key(ctx)
    with open_database(ctx).session() as session:
        report = service.verify(session, actor_of(ctx, session), key)
    if as_json:
        echo_json(report)
    elif report.ok:
        typer.echo(
            f"OK: {report.entries} entries chain from the genesis to the head "
            f"(entry {report.head_seq}, {report.head_hash[:16]}…); "
            f"{report.checkpoints} signed checkpoints hold"
        )
    if report.first_break is not None:
        fail(
            f"the audit log is broken at entry {report.first_break.seq}: "
            f"{report.first_break.reason}"
        )


@app.command("seal")
def seal(ctx: typer.Context) -> None:
    """Sign the current head with the store's secret key, once the chain verifies (cdo)."""
    key = _key(ctx)
    with open_database(ctx).session() as session:
        mark = service.seal(session, actor_of(ctx, session), key)
    typer.echo(f"Sealed the audit log at entry {mark.seq} ({mark.hash[:16]}…)")
