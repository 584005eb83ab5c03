"""`steward user ...` and `steward token ...`: people, roles and API tokens."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer

from steward.accounts import service
from steward.accounts.schemas import RoleGrant, TokenCreate, UserCreate, UserPublic
from steward.cli.common import actor_of, echo_json, fail, open_database

users = typer.Typer(help="People, their roles per agency, and passwords.", no_args_is_help=True)
tokens = typer.Typer(help="Personal API tokens (act with --as EMAIL).", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
RoleOption = Annotated[
    list[str] | None,
    typer.Option(
        "--role",
        help="ROLE or ROLE@AGENCY, e.g. steward@dph or cdo; repeat for several.",
    ),
]
PASSWORD_ENV = "STEWARD_PASSWORD"


def _grants(values: list[str] | None) -> list[RoleGrant]:
    grants = []
    for value in values or []:
        role, _, agency = value.partition("@")
        grants.append(RoleGrant.model_validate({"role": role, "agency": agency or None}))
    return grants


def _password(ask: bool) -> str | None:
    """From $STEWARD_PASSWORD (scripts) or a hidden prompt; never from a command-line flag."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not ask:
        return None
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        fail("the passwords differ")
    return first


def _show(user: UserPublic) -> str:
    roles = ", ".join(f"{r.role}@{r.agency}" if r.agency else r.role for r in user.roles)
    state = "" if user.is_active else "  (deactivated)"
    return f"{user.email:<36} {user.name:<28} {roles or '-'}{state}"


@users.command("add")
def add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="Sign-in email")],
    name: Annotated[str, typer.Option(help="Full name")],
    agency: Annotated[str | None, typer.Option(help="Home agency slug")] = None,
    role: RoleOption = None,
    password: Annotated[
        bool, typer.Option("--password/--no-password", help=f"Set a password (or ${PASSWORD_ENV})")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Add a user, with roles."""
    data = UserCreate(
        email=email, name=name, agency=agency, password=_password(password), roles=_grants(role)
    )
    with open_database(ctx).session() as session:
        user = service.create_user(session, actor_of(ctx, session), data)
    typer.echo(user.model_dump_json(indent=2) if as_json else f"Added {_show(user)}")


@users.command("list")
def list_(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="Only this agency's people")] = None,
    as_json: JsonOption = False,
) -> None:
    """List users and their roles."""
    with open_database(ctx).session() as session:
        found = service.list_users(session, actor_of(ctx, session), agency)
    if as_json:
        echo_json(found)
        return
    for user in found:
        typer.echo(_show(user))


@users.command("grant")
def grant(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Argument(help="ROLE@AGENCY, or cdo")],
) -> None:
    """Give a user a role."""
    with open_database(ctx).session() as session:
        user = service.grant_role(session, actor_of(ctx, session), email, _grants([role])[0])
    typer.echo(_show(user))


@users.command("revoke")
def revoke(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Argument(help="ROLE@AGENCY, or cdo")],
) -> None:
    """Take a role back."""
    with open_database(ctx).session() as session:
        user = service.revoke_role(session, actor_of(ctx, session), email, _grants([role])[0])
    typer.echo(_show(user))


@users.command("deactivate")
def deactivate(ctx: typer.Context, email: Annotated[str, typer.Argument()]) -> None:
    """Stop a user signing in; their sessions and tokens end at once."""
    with open_database(ctx).session() as session:
        user = service.set_active(session, actor_of(ctx, session), email, False)
    typer.echo(_show(user))


@users.command("activate")
def activate(ctx: typer.Context, email: Annotated[str, typer.Argument()]) -> None:
    """Let a deactivated user sign in again."""
    with open_database(ctx).session() as session:
        user = service.set_active(session, actor_of(ctx, session), email, True)
    typer.echo(_show(user))


@users.command("set-password")
def set_password(ctx: typer.Context, email: Annotated[str, typer.Argument()]) -> None:
    """Set a user's password (local operator or CDO); ends their sessions."""
    password = _password(True) or ""
    with open_database(ctx).session() as session:
        service.reset_password(session, actor_of(ctx, session), email, password)
    typer.echo(f"Password set for {email}")


@tokens.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What the token is for")],
    days: Annotated[int, typer.Option(help="Days until it expires", min=1, max=730)] = 90,
) -> None:
    """Create an API token for the --as user; the secret is printed this once."""
    with open_database(ctx).session() as session:
        created = service.create_token(
            session, actor_of(ctx, session), TokenCreate(name=name, expires_in_days=days)
        )
    typer.echo(created.token)
    typer.echo(f"Token {created.id} ({created.name}) expires {created.expires_at}", err=True)


@tokens.command("list")
def list_tokens(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the --as user's tokens (never the secrets)."""
    with open_database(ctx).session() as session:
        found = service.list_tokens(session, actor_of(ctx, session))
    if as_json:
        echo_json(found)
        return
    for token in found:
        typer.echo(f"{token.id:>4}  {token.prefix}…  {token.status:<8} {token.name}")


@tokens.command("revoke")
def revoke_token(ctx: typer.Context, token_id: Annotated[int, typer.Argument()]) -> None:
    """Revoke one of the --as user's tokens."""
    with open_database(ctx).session() as session:
        token = service.revoke_token(session, actor_of(ctx, session), token_id)
    typer.echo(f"Token {token.id} is {token.status}")
