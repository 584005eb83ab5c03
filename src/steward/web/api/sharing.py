"""Sharing API (#10): agreements, documents, grants."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["sharing"])
