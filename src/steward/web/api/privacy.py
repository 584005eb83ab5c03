"""Privacy API (#9): policies, tables, releases, de-identified extracts."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/privacy", tags=["privacy"])
