"""Sign in, sign out, your account and your API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.accounts import service
from steward.accounts.schemas import PasswordChange, TokenCreate
from steward.accounts.throttle import LoginThrottle
from steward.errors import Invalid, NotAuthenticated, RateLimited
from steward.web.api.deps import ActorDep, SettingsDep, get_session
from steward.web.auth import CsrfChecked, set_session
from steward.web.pages.render import render

router = APIRouter(include_in_schema=False)
# Committed before the answer leaves: the client may use the new session, token or role in its
# very next request, and FastAPI's default closes a session only after the response is sent.
CommittedSession = Annotated[Session, Depends(get_session, scope="function")]
NO_STORE = {"Cache-Control": "no-store"}
DEFAULT_NEXT = "/console"


def safe_next(target: str | None) -> str:
    """Only a path on this site: never `//host`, `/\\host`, a scheme or a control character.

    >>> safe_next("/d/abcd-1234?x=1"), safe_next("//evil.example"), safe_next("https://x.y/")
    ('/d/abcd-1234?x=1', '/console', '/console')
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return DEFAULT_NEXT
    if any(ord(char) < 32 or char == "\\" for char in target):
        return DEFAULT_NEXT
    return target


def _throttle(request: Request) -> LoginThrottle:
    throttle: LoginThrottle | None = getattr(request.app.state, "login_throttle", None)
    if throttle is None:
        throttle = request.app.state.login_throttle = LoginThrottle()
    return throttle


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, actor: ActorDep, next: str | None = None) -> Response:
    if not actor.is_anonymous:
        return RedirectResponse(safe_next(next), status_code=303)
    context = {"next": safe_next(next), "email": "", "error": None}
    return render(request, "login.html", context)


@router.post("/login", response_class=HTMLResponse, dependencies=[CsrfChecked])
def login(
    request: Request,
    session: CommittedSession,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=2000)] = DEFAULT_NEXT,
) -> Response:
    target = safe_next(next)
    address = request.client.host if request.client else "unknown"
    throttle = _throttle(request)
    try:
        throttle.check(email, address)
        user = service.authenticate(session, email, password)
    except (NotAuthenticated, RateLimited) as exc:
        if isinstance(exc, NotAuthenticated):
            throttle.failed(email, address)
        context = {"next": target, "email": email, "error": exc.message}
        return render(request, "login.html", context, status_code=exc.status)
    throttle.succeeded(email)
    # A new session every time: a session id planted before sign-in is worthless after it.
    previous = request.state.session_token
    if previous:
        service.end_session(session, previous)
    set_session(request, service.start_session(session, user, settings.session_hours))
    return RedirectResponse(target, status_code=303, headers=NO_STORE)


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, session: CommittedSession) -> Response:
    token = request.state.session_token
    if token:
        service.end_session(session, token)
    set_session(request, None)
    return RedirectResponse("/", status_code=303)


def _account(
    request: Request, session: CommittedSession, actor: ActorDep, **extra: object
) -> Response:
    service.require_signed_in(actor)
    user = service.get_user(session, actor, actor.email or "")
    tokens = service.list_tokens(session, actor)
    status = int(str(extra.pop("status", 200)))
    context = {"user": user, "tokens": tokens, "created": None, "error": None, **extra}
    response = render(request, "account.html", context, status_code=status)
    response.headers.update(NO_STORE)
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, session: CommittedSession, actor: ActorDep) -> Response:
    return _account(request, session, actor, changed=request.query_params.get("changed") == "1")


@router.post("/account/password", response_class=HTMLResponse, dependencies=[CsrfChecked])
def change_password(
    request: Request,
    session: CommittedSession,
    settings: SettingsDep,
    actor: ActorDep,
    current_password: Annotated[str, Form(max_length=256)],
    new_password: Annotated[str, Form(max_length=256)],
    confirm_password: Annotated[str, Form(max_length=256)],
) -> Response:
    if new_password != confirm_password:
        return _account(request, session, actor, error="the new passwords differ", status=400)
    try:
        change = PasswordChange(current_password=current_password, new_password=new_password)
        service.change_password(session, actor, change)
    except Invalid as exc:
        return _account(request, session, actor, error=exc.message, status=400)
    # Every session ended with the change; this browser gets a fresh one.
    user = service.authenticate(session, actor.email or "", new_password)
    set_session(request, service.start_session(session, user, settings.session_hours))
    return RedirectResponse("/account?changed=1", status_code=303)


@router.post("/account/tokens", response_class=HTMLResponse, dependencies=[CsrfChecked])
def create_token(
    request: Request,
    session: CommittedSession,
    actor: ActorDep,
    name: Annotated[str, Form(max_length=200)],
    expires_in_days: Annotated[int, Form(ge=1, le=730)] = 90,
) -> Response:
    try:
        data = TokenCreate(name=name, expires_in_days=expires_in_days)
    except ValidationError:
        return _account(request, session, actor, error="give the token a name", status=400)
    created = service.create_token(session, actor, data)
    return _account(request, session, actor, created=created, status=201)


@router.post(
    "/account/tokens/{token_id}/revoke",
    dependencies=[CsrfChecked],
)
def revoke_token(session: CommittedSession, actor: ActorDep, token_id: int) -> Response:
    service.revoke_token(session, actor, token_id)
    return RedirectResponse("/account#tokens", status_code=303)
