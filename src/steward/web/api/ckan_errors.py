"""CKAN's error body for the Action API and DataStore routes.

CKAN answers `{"help", "success": false, "error": {"__type", "message"}}` with its own status codes:
404 "Not Found Error", 403 "Authorization Error" and 409 "Validation Error" (CKAN reports bad input
as a conflict). Clients such as `ckanapi` turn `__type` back into their own exceptions.
"""

from __future__ import annotations

from fastapi.responses import JSONResponse

CKAN_PREFIXES = ("/api/3/action/", "/api/action/", "/datastore/")

# Steward's HTTP status -> (CKAN's status, CKAN's __type)
_TYPES = {
    400: (409, "Validation Error"),
    403: (403, "Authorization Error"),
    404: (404, "Not Found Error"),
    409: (409, "Validation Error"),
    422: (409, "Validation Error"),
}


def is_ckan(path: str) -> bool:
    return path.startswith(CKAN_PREFIXES)


def help_url(base: str, action: str) -> str:
    return f"{base}/api/3/action/help_show?name={action}"


def ckan_error(
    base: str, path: str, status: int, message: str, data: dict[str, object] | None = None
) -> JSONResponse:
    """The CKAN-shaped answer for an error raised while serving `path`."""
    ckan_status, kind = _TYPES.get(status, (status, "Internal Error" if status >= 500 else ""))
    error: dict[str, object] = {"__type": kind or "Bad Request", "message": message}
    field, problem = (data or {}).get("field"), (data or {}).get("problem")
    if kind == "Validation Error" and isinstance(field, str):
        error[field] = [problem or message]
    action = path.rstrip("/").rsplit("/", 1)[-1] if "/action/" in path else "datastore_dump"
    body = {"help": help_url(base, action), "success": False, "error": error}
    return JSONResponse(body, status_code=ckan_status, headers={"Access-Control-Allow-Origin": "*"})
