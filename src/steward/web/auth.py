"""Who is calling: API tokens, session cookies, and CSRF protection for forms.

`AuthMiddleware` puts an `Actor` on every request (`request.state.actor`). Anonymous requests, the
bulk of portal traffic, cost nothing: the database is asked only when a cookie or token is sent.

- `Authorization: Bearer <token>` identifies a user by a personal API token. A bad or expired one
  is refused with 401 rather than silently treated as anonymous. Socrata's `X-App-Token` is only a
  rate-limit key and never identifies anyone.
- The `steward_session` cookie holds a session token signed with the site's secret (itsdangerous);
  the session row behind it can be revoked (sign out, password change, deactivation).
- CSRF: a random nonce lives in the `steward_csrf` cookie; the token put in forms is an HMAC of the
  nonce and the session, so a token made for one browser or one session fails in any other. API
  writes made with the session cookie must send the token as `X-CSRF-Token`; token-authenticated
  calls need none (a browser never attaches a bearer token by itself).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

import anyio.to_thread
from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from steward.accounts import service as accounts
from steward.accounts.policy import ANONYMOUS, Actor
from steward.db import Database
from steward.errors import NotAuthorized

SESSION_COOKIE = "steward_session"
CSRF_COOKIE = "steward_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FAILED = "this form has expired or came from another site; reload the page and try again"


class AuthMiddleware:
    def __init__(self, app: ASGIApp, database: Database, secret: str) -> None:
        self.app = app
        self.database = database
        self.signer = URLSafeSerializer(secret, salt="steward-session")
        self.secret = secret.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = _cookies(headers.get("cookie", ""))
        state = scope.setdefault("state", {})
        state.update(actor=ANONYMOUS, auth_via=None, session_token=None, csrf_secret=self.secret)
        state["csrf_nonce"] = _valid_nonce(cookies.get(CSRF_COOKIE))
        refusal = await self._identify(state, headers, cookies)
        if refusal is None:
            refusal = _check_api_csrf(scope["method"], scope["path"], state, headers)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, _with_cookies(send, state, scope, self.sign))

    async def _identify(
        self, state: dict[str, Any], headers: dict[str, str], cookies: dict[str, str]
    ) -> JSONResponse | None:
        bearer = _bearer(headers.get("authorization", ""))
        if bearer is not None:
            actor = await anyio.to_thread.run_sync(self._lookup, accounts.actor_for_token, bearer)
            if actor is None:
                return _refuse(401, "authentication_required", "the API token is invalid")
            state.update(actor=actor, auth_via="token")
            return None
        signed = cookies.get(SESSION_COOKIE)
        if signed:
            try:
                token = self.signer.loads(signed)
            except BadSignature:
                return None
            actor = await anyio.to_thread.run_sync(self._lookup, accounts.actor_for_session, token)
            if actor is not None:
                state.update(actor=actor, auth_via="session", session_token=token)
        return None

    def _lookup(self, finder: Any, token: str) -> Actor | None:
        with self.database.session() as session:
            found: Actor | None = finder(session, token)
            return found

    def sign(self, token: str) -> str:
        return self.signer.dumps(token)


def current_actor(request: Request) -> Actor:
    actor: Actor = getattr(request.state, "actor", ANONYMOUS)
    return actor


def csrf_token(request: Request) -> str:
    """The token for forms on this page (a nonce cookie is set with the response if needed)."""
    state = request.state
    if getattr(state, "csrf_nonce", None) is None:
        state.csrf_nonce = secrets.token_urlsafe(24)
        state.csrf_new = True
    return _csrf_digest(state.csrf_secret, state.csrf_nonce, state.session_token)


def check_csrf(request: Request, submitted: str | None) -> None:
    nonce = getattr(request.state, "csrf_nonce", None)
    if not submitted or nonce is None:
        raise NotAuthorized(CSRF_FAILED)
    expected = _csrf_digest(request.state.csrf_secret, nonce, request.state.session_token)
    if not hmac.compare_digest(expected, submitted):
        raise NotAuthorized(CSRF_FAILED)


async def csrf_protected(request: Request) -> None:
    """Dependency for every page form that changes something: checks the form's token."""
    form = await request.form()
    value = form.get(CSRF_FIELD)
    check_csrf(request, value if isinstance(value, str) else None)


CsrfChecked = Depends(csrf_protected)


def set_session(request: Request, token: str | None) -> None:
    """Make the response carry a new session cookie (None signs the browser out).

    A new CSRF nonce is issued too, so nothing obtained before signing in works after it.
    """
    request.state.set_session = token
    request.state.session_token = token
    request.state.csrf_nonce = secrets.token_urlsafe(24)
    request.state.csrf_new = True


def _csrf_digest(secret: bytes, nonce: str, session_token: str | None) -> str:
    message = f"{nonce}:{session_token or ''}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _check_api_csrf(
    method: str, path: str, state: dict[str, Any], headers: dict[str, str]
) -> JSONResponse | None:
    if state["auth_via"] != "session" or method in SAFE_METHODS or not path.startswith("/api/"):
        return None
    nonce = state["csrf_nonce"]
    submitted = headers.get(CSRF_HEADER, "")
    if nonce and submitted:
        expected = _csrf_digest(state["csrf_secret"], nonce, state["session_token"])
        if hmac.compare_digest(expected, submitted):
            return None
    return _refuse(403, "permission_denied", "send the page's CSRF token as X-CSRF-Token")


def _with_cookies(
    send: Send, state: dict[str, Any], scope: Scope, sign: Callable[[str], str]
) -> Send:
    secure = scope.get("scheme") == "https"

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            if "set_session" in state:
                token = state["set_session"]
                value = sign(token) if token else ""
                headers.append("set-cookie", _cookie(SESSION_COOKIE, value, secure, token is None))
            if state.get("csrf_new"):
                headers.append("set-cookie", _cookie(CSRF_COOKIE, state["csrf_nonce"], secure))
        await send(message)

    return sending


def _cookie(name: str, value: str, secure: bool, expire: bool = False) -> str:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    if expire:
        parts.append("Max-Age=0")
    return "; ".join(parts)


def _cookies(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header is treated as no cookies
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def _valid_nonce(value: str | None) -> str | None:
    if value and 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
        return value
    return None


def _bearer(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def _refuse(status: int, code: str, message: str) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "data": {}}}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    return JSONResponse(body, status_code=status, headers=headers)
