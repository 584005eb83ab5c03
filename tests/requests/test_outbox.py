"""The outbox sends through SMTP when a mail server is configured: a small fake server on a
loopback port receives the messages; failures are kept with their error and retried later."""

from __future__ import annotations

import email
import socketserver
import threading
from collections.abc import Iterator
from email.message import Message

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from steward.accounts.policy import ANONYMOUS
from steward.app import create_app
from steward.requests import outbox, service
from steward.requests.models import OutboxMessage

from .conftest import World, eastern


class FakeSMTP(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    received: list[Message]
    refuse: bool = False

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 fake ESMTP")
        while line := self.rfile.readline().decode().strip():
            verb = line.split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 fake")
            elif verb == "RCPT" and self.refuse:
                self.reply("550 no such mailbox")
            elif verb == "DATA":
                self.reply("354 go ahead")
                self.server.received.append(self._message())  # type: ignore[attr-defined]
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")

    def _message(self) -> Message:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line)
        return email.message_from_bytes(b"".join(lines))


@pytest.fixture
def smtp() -> Iterator[socketserver.ThreadingTCPServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeSMTP)
    server.received = []  # type: ignore[attr-defined]
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    FakeSMTP.refuse = False


def configure(world: World, server: socketserver.ThreadingTCPServer) -> None:
    world.settings.smtp_host = "127.0.0.1"
    world.settings.smtp_port = server.server_address[1]
    world.settings.smtp_security = "none"
    world.settings.smtp_from = "data@ct.gov"


def test_messages_are_sent_and_marked(world: World, smtp, make_request) -> None:  # type: ignore[no-untyped-def]
    with world.database.session() as session:
        service.file_request(session, ANONYMOUS, make_request(), world.settings)
    assert outbox.deliver(world.database, world.settings).kept == 2  # no server yet
    configure(world, smtp)
    result = outbox.deliver(world.database, world.settings, now=eastern(2026, 7, 1, 11))
    assert (result.sent, result.failed) == (2, 0)
    sent = {message["To"]: message for message in smtp.received}
    assert set(sent) == {"ado@dph.ct.gov", "pat.reyes@example.org"}
    assert sent["ado@dph.ct.gov"]["From"] == "data@ct.gov"
    assert sent["ado@dph.ct.gov"]["Subject"] == "Data request #1: Clinic inspections by town"
    assert "Work it at /console/requests/1" in sent["ado@dph.ct.gov"].get_payload()
    assert "requests/follow" not in sent["pat.reyes@example.org"].get_payload()
    assert outbox.deliver(world.database, world.settings).sent == 0  # nothing sent twice
    with world.database.session() as session:
        assert all(m.sent_at for m in session.scalars(select(OutboxMessage)))


def test_a_refused_message_keeps_its_error(world: World, smtp, make_request) -> None:  # type: ignore[no-untyped-def]
    configure(world, smtp)
    FakeSMTP.refuse = True
    with world.database.session() as session:
        service.file_request(session, ANONYMOUS, make_request(), world.settings)
    result = outbox.deliver(world.database, world.settings)
    assert (result.sent, result.failed) == (0, 2)
    with world.database.session() as session:
        kept = list(session.scalars(select(OutboxMessage)))
    assert all(m.sent_at is None and m.attempts == 1 and "550" in m.last_error for m in kept)
    FakeSMTP.refuse = False
    assert outbox.deliver(world.database, world.settings).sent == 2


def test_an_unreachable_server_is_recorded(world: World, make_request) -> None:  # type: ignore[no-untyped-def]
    world.settings.smtp_host = "127.0.0.1"
    world.settings.smtp_port = 1  # nothing listens there
    world.settings.smtp_security = "none"
    with world.database.session() as session:
        service.file_request(session, ANONYMOUS, make_request(), world.settings)
    assert outbox.deliver(world.database, world.settings).failed == 2
    with world.database.session() as session:
        errors = [m.last_error for m in session.scalars(select(OutboxMessage))]
    assert all(error.startswith("cannot reach the mail server") for error in errors)


def test_the_web_form_sends_after_answering(world: World, smtp, clock) -> None:  # type: ignore[no-untyped-def]
    configure(world, smtp)
    app = create_app(world.settings)
    app.state.clock = clock
    body = {
        "requester_name": "Pat Reyes",
        "requester_email": "pat.reyes@example.org",
        "title": "Clinic inspections by town",
        "description": "Every inspection of a licensed clinic since 2015.",
        "purpose": "To map where inspections find problems.",
        "agency": "dph",
    }
    with TestClient(app) as client:
        assert client.post("/api/v1/requests", json=body).status_code == 201
    assert sorted(m["To"] for m in smtp.received) == ["ado@dph.ct.gov", "pat.reyes@example.org"]
