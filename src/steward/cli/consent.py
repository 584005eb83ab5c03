"""`steward consent …`: the consent and opt-out registry from the command line.

People are given by their identifiers (--last-name, --first-name, --dob and/or --ssn), which
are hashed with the registry key at once and never stored. The ADO of the program's agency (or
the CDO) manages its consent.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from steward.cli.common import actor_of, echo_json, fail, open_database, settings_of
from steward.consent import imports, keys, service
from steward.consent.schemas import (
    ConsentCreate,
    ConsentLookup,
    ConsentPublic,
    ConsentRevoke,
    Identifiers,
    ProgramCreate,
)

app = typer.Typer(help="Consent and opt-out registry (act with --as EMAIL).", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Program = Annotated[str, typer.Argument(help="Program key, e.g. snap-eval")]
Last = Annotated[str, typer.Option("--last-name", help="Last name")]
First = Annotated[str, typer.Option("--first-name", help="First name")]
Dob = Annotated[str, typer.Option("--dob", help="Date of birth (YYYY-MM-DD or MM/DD/YYYY)")]
Ssn = Annotated[str, typer.Option("--ssn", help="Social Security number")]
Purpose = Annotated[str, typer.Option(help="Purpose, e.g. evaluation (or any)")]
Day = Annotated[str | None, typer.Option(help="YYYY-MM-DD")]


def _key(ctx: typer.Context) -> bytes:
    return keys.configure(settings_of(ctx))


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        fail(f"{value!r} is not a date (YYYY-MM-DD)")


def _line(record: ConsentPublic) -> str:
    until = f" until {record.expires_on}" if record.expires_on else ""
    return (
        f"#{record.id}  {record.person}…  {record.purpose}: {record.decision} "
        f"from {record.effective_on}{until}  (by {record.recorded_by})"
    )


@app.command("program")
def program(
    ctx: typer.Context,
    key: Program,
    name: Annotated[str, typer.Option(help="Program name")],
    agency: Annotated[str, typer.Option(help="Agency slug")],
    model: Annotated[str, typer.Option(help="opt_out or opt_in")] = "opt_out",
    description: Annotated[str, typer.Option()] = "",
) -> None:
    """Register a program whose consent the agency manages (ado)."""
    data = ProgramCreate.model_validate(
        {"key": key, "name": name, "agency": agency, "model": model, "description": description}
    )
    with open_database(ctx).session() as session:
        made = service.create_program(session, actor_of(ctx, session), data)
    typer.echo(f"Registered {made.key} ({made.model}) for {made.agency}")


@app.command("programs")
def programs(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The programs whose consent you manage."""
    with open_database(ctx).session() as session:
        found = service.list_programs(session, actor_of(ctx, session))
    if as_json:
        echo_json(found)
        return
    for item in found:
        typer.echo(f"{item.key}  {item.agency}  {item.model}  {item.name}")


@app.command("record")
def record(
    ctx: typer.Context,
    program_key: Program,
    decision: Annotated[str, typer.Option(help="opt_in, opt_out or revoked")],
    purpose: Purpose,
    last_name: Last = "",
    first_name: First = "",
    dob: Dob = "",
    ssn: Ssn = "",
    scope: Annotated[str, typer.Option(help="How much and what kind of information")] = "",
    effective: Day = None,
    expires: Day = None,
    discloser: Annotated[str, typer.Option(help="Who may disclose")] = "",
    recipient: Annotated[str, typer.Option(help="To whom")] = "",
    revocation_noted: Annotated[bool, typer.Option(help="The right to revoke was stated")] = False,
    signed: Day = None,
    as_json: JsonOption = False,
) -> None:
    """Record a person's decision for a program and purpose (ado)."""
    data = ConsentCreate.model_validate(
        {
            "program": program_key,
            "person": Identifiers(last_name=last_name, first_name=first_name, dob=dob, ssn=ssn),
            "decision": decision,
            "purpose": purpose,
            "scope": scope,
            "effective_on": _day(effective),
            "expires_on": _day(expires),
            "discloser": discloser,
            "recipient": recipient,
            "revocation_noted": revocation_noted,
            "signature_present": signed is not None,
            "signed_on": _day(signed),
        }
    )
    key = _key(ctx)
    with open_database(ctx).session() as session:
        made = service.record_consent(session, actor_of(ctx, session), data, key)
    echo_json(made) if as_json else typer.echo(f"Recorded {_line(made)}")


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    program_key: Program,
    purpose: Purpose,
    last_name: Last = "",
    first_name: First = "",
    dob: Dob = "",
    ssn: Ssn = "",
    effective: Day = None,
) -> None:
    """Record that a person revoked their consent (ado)."""
    person = Identifiers(last_name=last_name, first_name=first_name, dob=dob, ssn=ssn)
    data = ConsentRevoke(
        program=program_key, person=person, purpose=purpose, effective_on=_day(effective)
    )
    key = _key(ctx)
    with open_database(ctx).session() as session:
        made = service.revoke_consent(session, actor_of(ctx, session), data, key)
    typer.echo(f"Recorded {_line(made)}")


@app.command("check")
def check(
    ctx: typer.Context,
    program_key: Program,
    purpose: Purpose = "any",
    last_name: Last = "",
    first_name: First = "",
    dob: Dob = "",
    ssn: Ssn = "",
    on: Day = None,
    as_json: JsonOption = False,
) -> None:
    """Whether a person may be released for a purpose, with their history (ado)."""
    person = Identifiers(last_name=last_name, first_name=first_name, dob=dob, ssn=ssn)
    data = ConsentLookup(program=program_key, person=person, purpose=purpose, on=_day(on))
    key = _key(ctx)
    with open_database(ctx).session() as session:
        status = service.lookup(session, actor_of(ctx, session), data, key)
    if as_json:
        echo_json(status)
        return
    verdict = "released" if status.released else "excluded"
    typer.echo(f"{verdict} for {status.purpose} on {status.on} (in force: {status.in_force})")
    for item in status.history:
        typer.echo("  " + _line(item))


@app.command("list")
def list_records(
    ctx: typer.Context,
    program_key: Program,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    as_json: JsonOption = False,
) -> None:
    """The program's records, newest first; people shown only by a hash prefix (ado)."""
    with open_database(ctx).session() as session:
        found = service.list_records(session, actor_of(ctx, session), program_key, limit)
    if as_json:
        echo_json(found)
        return
    for item in found:
        typer.echo(_line(item))


@app.command("import")
def import_file(
    ctx: typer.Context,
    program_key: Program,
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV file")],
) -> None:
    """Record every row of a CSV; identifiers are hashed as read, raw ones never stored (ado)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(f"{path} is not UTF-8 text")
    key = _key(ctx)
    with open_database(ctx).session() as session:
        result = imports.import_csv(session, actor_of(ctx, session), program_key, text, key)
    typer.echo(f"Recorded {result.recorded} decisions from {path.name}")
