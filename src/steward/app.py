"""create_app(settings) -> FastAPI: wiring only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from steward import __version__
from steward.config import Settings, load_settings
from steward.consent import keys as consent_keys
from steward.db import Database
from steward.query.engine import EngineLimits, QueryEngine
from steward.usage.service import UsageTally
from steward.web.api import accounts as accounts_api
from steward.web.api import assessments as assessments_api
from steward.web.api import audit as audit_api
from steward.web.api import catalog as catalog_api
from steward.web.api import catalog_write as catalog_write_api
from steward.web.api import ckan as ckan_api
from steward.web.api import classification as classification_api
from steward.web.api import dcat as dcat_api
from steward.web.api import health as health_api
from steward.web.api import inventory as inventory_api
from steward.web.api import plans as plans_api
from steward.web.api import privacy as privacy_api
from steward.web.api import progress as progress_api
from steward.web.api import quality as quality_api
from steward.web.api import query as query_api
from steward.web.api import requests as requests_api
from steward.web.api import sharing as sharing_api
from steward.web.api import soda as soda_api
from steward.web.api import standards as standards_api
from steward.web.api import usage as usage_api
from steward.web.api.errors import install_error_handlers
from steward.web.auth import AuthMiddleware
from steward.web.pages import (
    account_pages,
    assessment_pages,
    audit_pages,
    catalog_pages,
    classification_pages,
    console_pages,
    console_people,
    dataset_page,
    figures,
    inventory_pages,
    plan_pages,
    privacy_pages,
    progress_pages,
    quality_pages,
    request_console,
    request_pages,
    sharing_pages,
    standards_pages,
    usecase_pages,
)
from steward.web.pages import downloads as page_downloads
from steward.web.pages.render import HERE as PAGES_DIR
from steward.web.ratelimit import RateLimiter, RateLimitMiddleware
from steward.web.usage import UsageFlusher, UsageMiddleware

STATIC_DIR = PAGES_DIR / "static"


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or load_settings()
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    if migrate:
        database.migrate()
    consent_keys.configure(settings)  # the registry key of this store, outside the database

    query_engine = QueryEngine(
        settings.datasets_dir,
        EngineLimits(
            memory_limit=settings.query_memory_limit,
            threads=settings.query_threads,
            timeout_s=settings.query_timeout_s,
        ),
    )

    tally = UsageTally()
    flusher = UsageFlusher(tally, database)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        flusher.start()
        yield
        flusher.stop()
        query_engine.close()
        database.dispose()

    app = FastAPI(
        docs_url=None,  # the Swagger UI loads scripts from a CDN; pages make no outside requests
        redoc_url=None,
        title="Steward",
        version=__version__,
        description="A state's data plan: catalog, open data portal, SODA-compatible query API.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.query_engine = query_engine
    app.state.usage = tally
    install_error_handlers(app)
    app.add_middleware(AuthMiddleware, database=database, secret=settings.secret_key or "")
    app.add_middleware(UsageMiddleware, tally=tally)
    app.add_middleware(
        RateLimitMiddleware,
        limiter=RateLimiter(settings.rate_limit_anonymous, settings.rate_limit_app_token),
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET"],
        allow_headers=["*"],
        expose_headers=["X-SODA2-Fields", "X-SODA2-Types", "ETag", "Last-Modified"],
    )
    app.include_router(health_api.router)
    app.include_router(catalog_api.router)
    app.include_router(catalog_write_api.router)
    app.include_router(accounts_api.router)
    app.include_router(query_api.router)
    app.include_router(quality_api.router)
    app.include_router(soda_api.router)
    app.include_router(ckan_api.router)
    app.include_router(dcat_api.router)
    app.include_router(standards_api.router)
    app.include_router(inventory_api.router)
    app.include_router(classification_api.router)
    app.include_router(plans_api.router)
    app.include_router(assessments_api.router)
    app.include_router(requests_api.router)
    app.include_router(usage_api.router)
    app.include_router(privacy_api.router)
    app.include_router(progress_api.router)
    app.include_router(sharing_api.router)
    app.include_router(audit_api.router)
    app.include_router(catalog_pages.router)
    app.include_router(account_pages.router)
    app.include_router(console_pages.router)
    app.include_router(console_people.router)
    app.include_router(dataset_page.router)
    app.include_router(page_downloads.router)
    app.include_router(figures.router)
    app.include_router(quality_pages.router)
    app.include_router(standards_pages.router)
    app.include_router(inventory_pages.router)
    app.include_router(classification_pages.router)
    app.include_router(plan_pages.router)
    app.include_router(assessment_pages.router)
    app.include_router(request_pages.router)
    app.include_router(request_console.router)
    app.include_router(usecase_pages.router)
    app.include_router(privacy_pages.router)
    app.include_router(progress_pages.router)
    app.include_router(sharing_pages.router)
    app.include_router(audit_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
