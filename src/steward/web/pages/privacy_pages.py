"""Privacy pages (#9): public policy pages and the console's release workflow."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
