"""Progress reports and CDO dashboard API (#11 parts 5 and 6)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["progress"])
