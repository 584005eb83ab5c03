"""Error pages in the site's layout, with a way back."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from steward.web.pages.render import render

HEADINGS = {
    400: "That request could not be read",
    401: "Please sign in",
    403: "Not allowed",
    404: "Page not found",
    429: "Too many requests",
}
API_PREFIXES = (
    "/api/",
    "/resource/",
    "/healthz",
    "/data.json",
    "/datastore/",
    "/openapi.json",
    "/docs",
    "/static/",
)


def is_page(path: str) -> bool:
    return not path.startswith(API_PREFIXES)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    back_url, back_label = "/", "Back to the home page"
    parts = request.url.path.strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "d" and status == 400:
        back_url, back_label = f"/d/{parts[1]}", "Back to the dataset without these filters"
    context = {
        "heading": HEADINGS.get(status, "Something went wrong"),
        "message": message,
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "error.html", context, status_code=status)
