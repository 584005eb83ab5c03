"""Map Steward's error hierarchy to JSON responses for the native API."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from steward.errors import StewardError


def error_body(code: str, message: str, data: dict[str, object] | None = None) -> dict[str, object]:
    return {"error": {"code": code, "message": message, "data": data or {}}}


async def _steward_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StewardError)
    return JSONResponse(error_body(exc.code, exc.message, exc.data), status_code=exc.status)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"loc": [str(part) for part in error["loc"]], "message": error["msg"]}
        for error in exc.errors()
    ]
    first = problems[0] if problems else {"loc": [], "message": "invalid request"}
    message = f"{'.'.join(first['loc'])}: {first['message']}"
    return JSONResponse(error_body("invalid", message, {"errors": problems}), status_code=400)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StewardError, _steward_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
