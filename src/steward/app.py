"""create_app(settings) -> FastAPI: wiring only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from steward import __version__
from steward.config import Settings, load_settings
from steward.db import Database
from steward.web.api import catalog as catalog_api
from steward.web.api import health as health_api
from steward.web.api.errors import install_error_handlers


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or load_settings()
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    if migrate:
        database.migrate()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        database.dispose()

    app = FastAPI(
        title="Steward",
        version=__version__,
        description="A state's data plan: catalog, open data portal, SODA-compatible query API.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    install_error_handlers(app)
    app.include_router(health_api.router)
    app.include_router(catalog_api.router)
    return app
