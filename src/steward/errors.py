"""One error hierarchy for the whole of Steward.

Domain code raises these; the web layer maps them to HTTP (the SODA and CKAN routes map them to
their own error shapes) and the CLI prints the message and exits non-zero.
"""

from __future__ import annotations

from typing import Any


class StewardError(Exception):
    """Base of every error Steward raises on purpose."""

    code = "error"
    status = 500

    def __init__(self, message: str, *, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.data = data or {}


class Invalid(StewardError):
    """The caller's input cannot be accepted (bad value, malformed file, bad query)."""

    code = "invalid"
    status = 400


class QueryError(Invalid):
    """A SoQL query that cannot be parsed, resolved or run."""

    code = "query.compiler.malformed"


class QueryTimeout(QueryError):
    """A query ran past the configured statement timeout or memory limit."""

    code = "query.execution.timeout"


class NotFound(StewardError):
    code = "not_found"
    status = 404


class NotAuthorized(StewardError):
    """The caller may not do this (anonymous, or lacking the role or grant)."""

    code = "permission_denied"
    status = 403


class NotAuthenticated(NotAuthorized):
    """The caller must sign in (or send an API token) first."""

    code = "authentication_required"
    status = 401


class Conflict(StewardError):
    """The request clashes with the current state (duplicate id, wrong status)."""

    code = "conflict"
    status = 409


class RateLimited(StewardError):
    code = "too_many_requests"
    status = 429
