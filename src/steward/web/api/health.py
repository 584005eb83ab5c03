"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from steward.web.api.deps import SessionDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="200 once the server and its metadata store are ready (public)")
def healthz(session: SessionDep) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}
