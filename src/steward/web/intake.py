"""What the public intake forms (data requests, use cases) share: a size limit checked before the
body is read, a hidden field people leave empty, a per-address limit on submissions, and sending
the mail a change queued once the answer is out.

The address is only a key of the in-memory limiter; it is never stored.

`now_of(request)` is the time the request clocks read: the real time, unless a test set
`app.state.clock` (a callable returning an aware datetime) to freeze it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from fastapi import BackgroundTasks, Request
from starlette.datastructures import FormData

from steward.config import Settings
from steward.db import Database
from steward.db.base import utcnow
from steward.errors import Invalid, RateLimited
from steward.requests import outbox
from steward.web.auth import current_actor
from steward.web.pages.quality_pages import ReportLimiter

logger = logging.getLogger(__name__)
MAX_FORM_BYTES = 64 * 1024
TRAP = "website"
PER_WINDOW = 5
WINDOW_S = 600.0


def now_of(request: Request) -> datetime:
    clock: Callable[[], datetime] | None = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else utcnow()


async def small_body(request: Request) -> None:
    """Dependency: refuse a body over `MAX_FORM_BYTES` before anything reads it."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():
        if request.headers.get("transfer-encoding"):
            raise Invalid("send the form with a Content-Length (a plain HTML form does)")
        return
    if int(declared) > MAX_FORM_BYTES:
        raise Invalid("the form is too long; keep each answer under 4,000 characters")


def form_values(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """The text fields asked for (files and repeated names are ignored)."""
    values = {}
    for name in (*names, TRAP):
        value = form.get(name)
        if isinstance(value, str):
            values[name] = value
    return values


def check_person(request: Request, values: dict[str, str], kind: str) -> None:
    """Refuse the hidden field filled in, and too many submissions from one address."""
    if values.get(TRAP):
        raise Invalid("the form could not be accepted")
    allow(request, kind)


def allow(request: Request, kind: str) -> None:
    """At most `PER_WINDOW` anonymous submissions of a kind per client address in `WINDOW_S`
    seconds. Signed-in people are known and answer for what they send: they are not limited."""
    if not current_actor(request).is_anonymous:
        return
    limiters: dict[str, ReportLimiter] | None = getattr(request.app.state, "intake_limiters", None)
    if limiters is None:
        limiters = request.app.state.intake_limiters = {}
    limiter = limiters.setdefault(kind, ReportLimiter(PER_WINDOW, WINDOW_S))
    client = request.client.host if request.client else "unknown"
    if not limiter.allow(client):
        raise RateLimited("too many submissions from this address; please try again later")


def send_mail_later(background: BackgroundTasks, request: Request) -> None:
    """After the answer is sent, try to deliver the outbox (when a mail server is configured)."""
    settings: Settings = request.app.state.settings
    if settings.smtp_host:
        background.add_task(_deliver, request.app.state.database, settings)


def _deliver(database: Database, settings: Settings) -> None:
    try:
        outbox.deliver(database, settings)
    except Exception:  # mail trouble must never break the page; the outbox keeps the message
        logger.exception("could not deliver the outbox")
