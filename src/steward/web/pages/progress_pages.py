"""Progress report and CDO dashboard pages (#11 parts 5 and 6)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
