"""`steward request ...`: data requests from the command line. Filing, the public list and
metrics need no account; the queue and every transition act as `--as EMAIL` (the system without
it) and are checked by the same policy as the web: the ADO of the request's agency, or the CDO.

`steward request remind` is meant for cron: it writes reminders for requests due soon or
overdue (at most one per request, person and day) and sends the outbox when a mail server is
configured.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from steward.cli.common import actor_of, echo_json, fail, open_database, settings_of
from steward.requests import metrics, outbox, reminders, service, workflow
from steward.requests.clocks import clocks_from
from steward.requests.schemas import (
    STATUS_LABELS,
    DataRequestCreate,
    DataRequestItem,
    DataRequestPublic,
    RequestTransition,
)

app = typer.Typer(help="Data requests (act with --as EMAIL).", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
RequestId = Annotated[int, typer.Argument(metavar="ID", help="Request number")]
Note = Annotated[str, typer.Option(help="A note the requester reads.")]


def _line(item: DataRequestPublic) -> str:
    clock = item.clock
    late = "  OVERDUE" if clock.overdue else ""
    agency = item.agency or "-"
    return (
        f"#{item.id:<5} {STATUS_LABELS[item.status]:<13} {agency:<10} "
        f"ack by {clock.ack_due}  answer by {clock.response_due}{late}  {item.title}"
    )


@app.command("new")
def file_request(
    ctx: typer.Context,
    title: Annotated[str, typer.Option(help="What data (published)")],
    description: Annotated[str, typer.Option(help="The data in detail")],
    purpose: Annotated[str, typer.Option(help="Purpose and use")],
    name: Annotated[str, typer.Option(help="Requester's name")],
    email: Annotated[str, typer.Option(help="Requester's email")],
    agency: Annotated[str | None, typer.Option(help="Agency slug, if known")] = None,
    dataset: Annotated[str | None, typer.Option(help="Related dataset id")] = None,
    organization: Annotated[str | None, typer.Option()] = None,
    kind: Annotated[str, typer.Option(help="individual, business, ..., agency_staff")] = (
        "individual"
    ),
    period: Annotated[str | None, typer.Option()] = None,
    granularity: Annotated[str | None, typer.Option()] = None,
    data_format: Annotated[str | None, typer.Option("--format")] = None,
    frequency: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOption = False,
) -> None:
    """File a data request (for someone who wrote or phoned); prints its private link."""
    data = DataRequestCreate.model_validate(
        {
            "title": title,
            "description": description,
            "purpose": purpose,
            "requester_name": name,
            "requester_email": email,
            "agency": agency,
            "dataset_id": dataset,
            "organization": organization,
            "requester_kind": kind,
            "period": period,
            "granularity": granularity,
            "data_format": data_format,
            "frequency": frequency,
        }
    )
    settings = settings_of(ctx)
    with open_database(ctx).session() as session:
        filed = service.file_request(session, actor_of(ctx, session), data, settings)
    if as_json:
        echo_json(filed)
        return
    typer.echo(f"Filed request #{filed.request.id}: {_line(filed.request)}")
    typer.echo(f"Private link for the requester: {settings.site_url or ''}{filed.follow_path}")


@app.command("list")
def list_requests(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="open, closed, all or one status")] = "open",
    agency: Annotated[str | None, typer.Option(help="Agency slug")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue ones")] = False,
    public: Annotated[
        bool, typer.Option("--public", help="The public list (no personal details, any role)")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """The requests you work (ado, cdo), oldest first; `--public` for the public list."""
    settings = settings_of(ctx)
    with open_database(ctx).session() as session:
        found: list[DataRequestPublic] | list[DataRequestItem]
        if public:
            found = service.list_public(session, settings, agency=agency, status=status)
        else:
            actor = actor_of(ctx, session)
            found = service.queue(
                session, actor, settings, status=status, agency=agency, overdue_only=overdue
            )
    if as_json:
        echo_json(list(found))
        return
    for item in found:
        typer.echo(_line(item))


@app.command("show")
def show(ctx: typer.Context, request_id: RequestId, as_json: JsonOption = False) -> None:
    """One request with who asked and its history (ado of its agency, cdo)."""
    settings = settings_of(ctx)
    with open_database(ctx).session() as session:
        item = service.get_item(session, actor_of(ctx, session), request_id, settings)
    if as_json:
        echo_json(item)
        return
    typer.echo(_line(item))
    typer.echo(f"from {item.requester_name} <{item.requester_email}> {item.organization or ''}")
    typer.echo(f"description: {item.description}")
    typer.echo(f"purpose: {item.purpose}")
    if item.outcome_url or item.decline_reason:
        typer.echo(f"outcome: {item.outcome_url or item.decline_reason}")
    for event in item.events:
        note = f" — {event.note}" if event.note else ""
        typer.echo(f"  {event.at:%Y-%m-%d %H:%M} {event.status} by {event.actor}{note}")


def _move(ctx: typer.Context, request_id: int, **fields: str | None) -> None:
    data = RequestTransition.model_validate(fields)
    settings = settings_of(ctx)
    with open_database(ctx).session() as session:
        item = workflow.transition(session, actor_of(ctx, session), request_id, data, settings)
    typer.echo(_line(item))
    _send(ctx)


@app.command("ack")
def acknowledge(ctx: typer.Context, request_id: RequestId, note: Note = "") -> None:
    """Acknowledge a request (ado of its agency, cdo)."""
    _move(ctx, request_id, action="acknowledge", note=note)


@app.command("update")
def update(ctx: typer.Context, request_id: RequestId, note: Note = "") -> None:
    """Mark a request in progress, or send an update while it is (ado, cdo)."""
    _move(ctx, request_id, action="progress", note=note)


@app.command("fulfil")
def fulfil(
    ctx: typer.Context,
    request_id: RequestId,
    dataset: Annotated[str | None, typer.Option(help="The dataset that answers it")] = None,
    link: Annotated[str | None, typer.Option(help="Or the address of the release")] = None,
    note: Note = "",
) -> None:
    """Fulfil a request with a dataset or a link (ado, cdo)."""
    _move(ctx, request_id, action="fulfil", dataset_id=dataset, link=link, note=note)


@app.command("decline")
def decline(
    ctx: typer.Context,
    request_id: RequestId,
    reason: Annotated[str, typer.Option(help="Why (published)")],
) -> None:
    """Decline a request with a reason (ado, cdo)."""
    _move(ctx, request_id, action="decline", reason=reason)


@app.command("refer")
def refer(
    ctx: typer.Context,
    request_id: RequestId,
    to: Annotated[str, typer.Option("--to", help="Agency slug")],
    note: Note = "",
) -> None:
    """Refer a request to another agency, whose clocks start today (ado, cdo)."""
    _move(ctx, request_id, action="refer", agency=to, note=note)


@app.command("remind")
def remind(
    ctx: typer.Context,
    at: Annotated[
        str | None, typer.Option(help="Run as of this ISO 8601 time (default now)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Queue reminders for requests due soon or overdue, then send the outbox (cron-able)."""
    now = _parse_time(at)
    settings = settings_of(ctx)
    database = open_database(ctx)
    with database.session() as session:
        run = reminders.remind(session, actor_of(ctx, session), settings, now=now)
    delivery = outbox.deliver(database, settings)
    run = run.model_copy(update={"sent": delivery.sent, "failed": delivery.failed})
    if as_json:
        echo_json(run)
        return
    typer.echo(
        f"{run.as_of}: {run.checked} open requests, {run.queued} reminders queued, "
        f"{run.already_reminded} already sent today; {run.sent} emailed, {run.failed} failed"
    )


def _parse_time(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--at: {text!r} is not an ISO 8601 time (2026-07-06T09:00-04:00)")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _send(ctx: typer.Context) -> None:
    settings = settings_of(ctx)
    if settings.smtp_host:
        result = outbox.deliver(open_database(ctx), settings)
        typer.echo(f"emailed {result.sent}, failed {result.failed}")


@app.command("send")
def send(ctx: typer.Context) -> None:
    """Send the waiting outbox messages through the mail server (STEWARD_SMTP_HOST)."""
    settings = settings_of(ctx)
    result = outbox.deliver(open_database(ctx), settings)
    if not settings.smtp_host:
        typer.echo(f"No mail server is configured; {result.kept} messages stay in the outbox.")
        return
    typer.echo(f"emailed {result.sent}, failed {result.failed}")


@app.command("outbox")
def show_outbox(
    ctx: typer.Context,
    unsent: Annotated[bool, typer.Option("--unsent", help="Only messages not sent")] = False,
    as_json: JsonOption = False,
) -> None:
    """Messages about the requests you work, newest first (ado, cdo)."""
    with open_database(ctx).session() as session:
        messages = outbox.list_messages(session, actor_of(ctx, session), unsent=unsent)
    if as_json:
        echo_json(list(messages))
        return
    for message in messages:
        sent = f"sent {message.sent_at:%Y-%m-%d %H:%M}" if message.sent_at else "not sent"
        typer.echo(f"{message.created_at:%Y-%m-%d %H:%M}  {message.to_address:<28} {sent:<22}")
        typer.echo(f"    {message.subject}")


@app.command("metrics")
def show_metrics(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Timeliness by agency: medians in business days and shares on time (public)."""
    with open_database(ctx).session() as session:
        found = metrics.metrics(session, settings_of(ctx))
    if as_json:
        echo_json(found)
        return
    typer.echo(
        f"as of {found.as_of}: acknowledge within {found.ack_days}, answer within "
        f"{found.response_days} business days"
    )
    heads = ("reqs", "open", "late", "ack d", "ack ok", "ans d", "ans ok")
    typer.echo(f"{'agency':<12} " + " ".join(f"{head:>6}" for head in heads))
    for row in [*found.agencies, found.state]:
        name = row.agency or ("all" if row is found.state else "none")
        typer.echo(
            f"{name:<12} {row.received:>6} "
            f"{row.open:>6} {row.overdue:>6} {_num(row.median_days_to_acknowledge):>6} "
            f"{_pct(row.acknowledged_on_time):>6} {_num(row.median_days_to_respond):>6} "
            f"{_pct(row.responded_on_time):>6}"
        )


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


@app.command("holidays")
def holidays(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(help="Year, e.g. 2026")],
) -> None:
    """The holidays the request clocks skip in a year (observed dates)."""
    calendar = clocks_from(settings_of(ctx)).calendar
    for day, name in calendar.holidays(year).items():
        typer.echo(f"{day}  {day:%a}  {name}")
