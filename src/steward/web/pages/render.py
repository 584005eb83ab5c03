"""Templates and the context every page shares."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from steward.web.auth import csrf_token, current_actor

HERE = Path(__file__).parent
SITE = {
    "site_name": "Connecticut Open Data",
    "site_tagline": "Data published by Connecticut state agencies",
    "state_name": "Connecticut",
}
templates = Jinja2Templates(directory=str(HERE / "templates"))


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    shared = {"actor": current_actor(request), "csrf_token": lambda: csrf_token(request)}
    return templates.TemplateResponse(
        request, template, {**SITE, **shared, **context}, status_code=status_code
    )


def url(path: str, params: list[tuple[str, str]]) -> str:
    """A clean, stable URL: no empty parameters, `?` only when needed."""
    kept = [(key, value) for key, value in params if value not in ("", None)]
    return f"{path}?{urlencode(kept)}" if kept else path
