"""Count each successful dataset page view, download and API call (by path only; nothing about
the person asking is read or kept)."""

from __future__ import annotations

import logging
import re
import threading

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from steward.db import Database
from steward.usage.service import UsageTally

logger = logging.getLogger(__name__)

ID = r"(?P<id>[a-z0-9]{4}-[a-z0-9]{4})"
PATTERNS = [
    (re.compile(rf"^/d/{ID}$"), "views"),
    (re.compile(rf"^/d/{ID}/download\.\w+$"), "downloads"),
    (re.compile(rf"^/api/views/{ID}/rows\.\w+$"), "downloads"),
    (re.compile(rf"^/api/v1/datasets/{ID}/versions/\d+/download$"), "downloads"),
    (re.compile(rf"^/api/v1/datasets/{ID}/datapackage\.zip$"), "downloads"),
    (re.compile(rf"^/datastore/dump/{ID}"), "downloads"),
    (re.compile(rf"^/resource/{ID}(\.\w+)?$"), "api_calls"),
    (re.compile(rf"^/api/v1/datasets/{ID}/query$"), "api_calls"),
]


def classify(path: str) -> tuple[str, str] | None:
    for pattern, kind in PATTERNS:
        match = pattern.match(path)
        if match:
            return match["id"], kind
    return None


class UsageMiddleware:
    def __init__(self, app: ASGIApp, tally: UsageTally) -> None:
        self.app = app
        self.tally = tally

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = classify(scope["path"]) if scope["type"] == "http" else None
        if found is None or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                self.tally.add(*found)
            await send(message)

        await self.app(scope, receive, counting_send)


class UsageFlusher:
    """Writes the tally every few seconds on a background thread, and once more at shutdown."""

    def __init__(self, tally: UsageTally, database: Database, every_s: float = 5.0) -> None:
        self.tally = tally
        self.database = database
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="usage-flush", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self._flush_quietly()

    def _flush_quietly(self) -> None:
        try:
            self.tally.flush(self.database)
        except Exception:  # a failed flush must never take the server down
            logger.exception("could not write usage counts")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._flush_quietly()
