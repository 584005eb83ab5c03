"""Per-client request limits for the data APIs, with a higher allowance for an X-App-Token.

A fixed one-minute window per key, kept in memory: enough for one process; a deployment with
several workers puts its own limiter in front. Tokens are not yet checked against a registry
(accounts issue); any token gets the token allowance, as Socrata does for registered apps.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from steward.web.api.errors import error_response

LIMITED_PREFIXES = ("/resource/", "/api/", "/datastore/")
WINDOW_S = 60.0


class RateLimiter:
    def __init__(
        self, anonymous: int, with_token: int, clock: Callable[[], float] = time.monotonic
    ):
        self.anonymous = anonymous
        self.with_token = with_token
        self.clock = clock
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, limit: int) -> tuple[bool, float]:
        """Count one request for `key`; False and the seconds to wait once over `limit`."""
        now = self.clock()
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= WINDOW_S:
                start, count = now, 0
            if count >= limit:
                return False, WINDOW_S - (now - start)
            self._windows[key] = (start, count + 1)
            if len(self._windows) > 100_000:
                self._forget_old(now)
        return True, 0.0

    def _forget_old(self, now: float) -> None:
        stale = [key for key, (start, _n) in self._windows.items() if now - start >= WINDOW_S]
        for key in stale:
            del self._windows[key]


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(LIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        key, limit = self._key(scope)
        allowed, wait = self.limiter.allow(key, limit)
        if allowed:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        response = error_response(
            request,
            429,
            "too_many_requests",
            "Too many requests; send an X-App-Token header for a higher limit, or wait.",
            {"retry_after_s": math.ceil(wait)},
        )
        response.headers["Retry-After"] = str(math.ceil(wait))
        await response(scope, receive, send)

    def _key(self, scope: Scope) -> tuple[str, int]:
        headers = dict(scope.get("headers") or [])
        token = headers.get(b"x-app-token", b"").decode("latin-1").strip()
        if not token:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            token = (query.get("$$app_token") or [""])[0].strip()
        if token:
            return f"token:{token[:200]}", self.limiter.with_token
        client = scope.get("client") or ("unknown", 0)
        return f"addr:{client[0]}", self.limiter.anonymous
