"""Dependencies shared by the API routers (`Annotated` aliases)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from steward.accounts.policy import ANONYMOUS, Actor
from steward.config import Settings
from steward.db import Database


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    database: Database = request.app.state.database
    with database.session() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]


def get_actor(request: Request) -> Actor:
    """The caller, as identified by `steward.web.auth.AuthMiddleware` (anonymous by default)."""
    actor: Actor = getattr(request.state, "actor", ANONYMOUS)
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]
