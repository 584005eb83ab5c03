"""Map Steward's error hierarchy to JSON responses.

The native API answers `{"error": {"code", "message", "data"}}`; Socrata-compatible routes answer
Socrata's own body `{"code", "error": true, "message", "data"}` so SODA clients show the message.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from steward.errors import NotAuthenticated, StewardError
from steward.web.api.ckan_errors import ckan_error, is_ckan
from steward.web.pages.errors import error_page, is_page

SODA_PREFIXES = ("/resource/", "/api/views", "/api/catalog/")


def is_soda(path: str) -> bool:
    return path.startswith(SODA_PREFIXES)


def error_response(
    request: Request, status: int, code: str, message: str, data: dict[str, object] | None = None
) -> Response:
    if is_page(request.url.path):
        return error_page(request, status, message)
    if is_ckan(request.url.path):
        base = str(request.base_url).rstrip("/")
        return ckan_error(base, request.url.path, status, message, data)
    if is_soda(request.url.path):
        body: dict[str, object] = {
            "code": code,
            "error": True,
            "message": message,
            "data": data or {},
        }
        headers = {"Access-Control-Allow-Origin": "*"}
        return JSONResponse(body, status_code=status, headers=headers)
    return JSONResponse(
        {"error": {"code": code, "message": message, "data": data or {}}}, status_code=status
    )


async def _steward_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StewardError)
    if isinstance(exc, NotAuthenticated) and is_page(request.url.path):
        # A page that needs an account sends the browser to sign in, then back here.
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method == "GET":
            return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
    return error_response(request, exc.status, exc.code, exc.message, exc.data)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"loc": [str(part) for part in error["loc"]], "message": error["msg"]}
        for error in exc.errors()
    ]
    first = problems[0] if problems else {"loc": [], "message": "invalid request"}
    message = f"{'.'.join(first['loc'])}: {first['message']}"
    return error_response(request, 400, "invalid", message, {"errors": problems})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = "not_found" if exc.status_code == 404 else "http_error"
    return error_response(request, exc.status_code, code, str(exc.detail))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StewardError, _steward_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
