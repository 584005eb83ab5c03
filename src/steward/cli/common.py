"""What every command shares: settings from the root callback, errors as one line, output."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from typer.core import TyperGroup

from steward.accounts import service as accounts
from steward.accounts.policy import Actor
from steward.config import Settings
from steward.consent import keys as consent_keys
from steward.db import Database
from steward.errors import StewardError


class StewardGroup(TyperGroup):
    """Turns Steward's errors and validation failures into `Error: ...` and exit status 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except StewardError as exc:
            fail(exc.message)
        except ValidationError as exc:
            fail(_validation_message(exc))


def fail(message: str) -> NoReturn:
    """Print `Error: message` on stderr and exit with status 1."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(1)


def _validation_message(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


def settings_of(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    settings: Settings = root.obj["settings"]
    return settings


def open_database(ctx: typer.Context) -> Database:
    """The store for this invocation, created and migrated on first use."""
    root = ctx.find_root()
    if "database" not in root.obj:
        settings = settings_of(ctx)
        settings.ensure_data_dir()
        database = Database(settings.resolved_database_url)
        database.migrate()
        consent_keys.configure(settings)  # the consent registry key of this store
        root.obj["database"] = database
        root.call_on_close(database.dispose)
    opened: Database = root.obj["database"]
    return opened


def actor_of(ctx: typer.Context, session: Session) -> Actor:
    """Who this invocation acts as: the `--as EMAIL` user, or the system (local operator)."""
    email: str | None = ctx.find_root().obj.get("acting_as")
    return accounts.actor_by_email(session, email)


def echo_json(value: BaseModel | list[Any] | dict[str, Any]) -> None:
    if isinstance(value, BaseModel):
        typer.echo(value.model_dump_json(indent=2))
        return
    plain = (
        [item.model_dump(mode="json") if isinstance(item, BaseModel) else item for item in value]
        if isinstance(value, list)
        else value
    )
    typer.echo(json.dumps(plain, indent=2, default=str))
