"""Sharing pages (#10): agreements, drafting, my grants."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
