"""Audit log (access history) and consent admin pages (#10)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
