"""The outbox: every email Steward means to send is first a row here, written in the same
transaction as the change it reports. `deliver()` sends the waiting ones through SMTP when a mail
server is configured (`STEWARD_SMTP_HOST`); without one they stay here, and the data officers read
them on the console's outbox page.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.catalog.models import Agency
from steward.config import Settings
from steward.db import Database
from steward.db.base import utcnow
from steward.requests.messages import Mail
from steward.requests.models import OutboxMessage
from steward.requests.routing import agencies_for
from steward.requests.schemas import DeliveryResult, OutboxMessagePublic

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
SMTP_TIMEOUT_S = 20.0


def queue(
    session: Session,
    to: str,
    mail: Mail,
    *,
    kind: str,
    agency_id: int | None,
    request_id: int | None,
    dedupe_key: str | None = None,
) -> bool:
    """Add a message; False (and nothing added) when `dedupe_key` was used before."""
    if dedupe_key is not None and session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    ):
        return False
    session.add(
        OutboxMessage(
            to_address=to,
            subject=mail.subject[:300],
            body=mail.body,
            kind=kind,
            agency_id=agency_id,
            request_id=request_id,
            dedupe_key=dedupe_key,
            attempts=0,
        )
    )
    return True


def list_messages(
    session: Session, actor: Actor, *, unsent: bool = False, limit: int = 200
) -> list[OutboxMessagePublic]:
    """Messages about the requests the actor works, and those addressed to them; newest first."""
    scope = agencies_for(actor, "request.view")
    query = select(OutboxMessage, Agency.slug).outerjoin(
        Agency, Agency.id == OutboxMessage.agency_id
    )
    if scope is not None:
        mine = OutboxMessage.agency_id.in_(scope)
        query = query.where(or_(mine, OutboxMessage.to_address == (actor.email or "")))
    if unsent:
        query = query.where(OutboxMessage.sent_at.is_(None))
    query = query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)
    return [_public(message, slug) for message, slug in session.execute(query)]


def _public(message: OutboxMessage, agency: str | None) -> OutboxMessagePublic:
    return OutboxMessagePublic(
        id=message.id,
        to_address=message.to_address,
        subject=message.subject,
        body=message.body,
        kind=message.kind,
        request_id=message.request_id,
        agency=agency,
        created_at=message.created_at,
        sent_at=message.sent_at,
        attempts=message.attempts,
        last_error=message.last_error,
    )


Connect = Callable[[Settings], smtplib.SMTP]


def connect(settings: Settings) -> smtplib.SMTP:
    """An SMTP connection as the settings say (STARTTLS by default), signed in if configured."""
    assert settings.smtp_host is not None
    if settings.smtp_security == "ssl":
        context = ssl.create_default_context()
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S, context=context
        )
    else:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S)
        if settings.smtp_security == "starttls":
            server.starttls(context=ssl.create_default_context())
    if settings.smtp_username:
        server.login(settings.smtp_username, settings.smtp_password or "")
    return server


def deliver(
    database: Database,
    settings: Settings,
    *,
    now: datetime | None = None,
    connector: Connect = connect,
) -> DeliveryResult:
    """Send what waits (each message marked in its own transaction, so a crash half-way resends
    nothing already sent); a message failing `MAX_ATTEMPTS` times stays with its last error."""
    with database.session() as session:
        waiting = list(
            session.scalars(
                select(OutboxMessage.id)
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
                .order_by(OutboxMessage.id)
            )
        )
    if not settings.smtp_host or not waiting:
        return DeliveryResult(sent=0, failed=0, kept=len(waiting))
    sent = failed = 0
    try:
        server = connector(settings)
    except (OSError, smtplib.SMTPException) as exc:
        _record_failure(database, waiting, f"cannot reach the mail server: {exc}")
        return DeliveryResult(sent=0, failed=len(waiting), kept=0)
    with server:
        for message_id in waiting:
            if _send_one(database, server, settings, message_id, now):
                sent += 1
            else:
                failed += 1
    return DeliveryResult(sent=sent, failed=failed, kept=0)


def _send_one(
    database: Database,
    server: smtplib.SMTP,
    settings: Settings,
    message_id: int,
    now: datetime | None,
) -> bool:
    with database.session() as session:
        message = session.get(OutboxMessage, message_id)
        if message is None or message.sent_at is not None:
            return False
        message.attempts += 1
        try:
            server.send_message(_email(message, settings))
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = str(exc)[:2000]
            logger.warning("could not send outbox message %s: %s", message_id, exc)
            return False
        message.sent_at = now or utcnow()
        message.last_error = None
        return True


def _email(message: OutboxMessage, settings: Settings) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.smtp_from
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    email.set_content(message.body)
    return email


def _record_failure(database: Database, ids: list[int], error: str) -> None:
    with database.session() as session:
        for message in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))):
            message.attempts += 1
            message.last_error = error[:2000]
