"""Count each successful dataset page view, download (by format) and API call (by family: SODA,
CKAN, native), the rows queries served, and the day's estimated unique visitors.

What is counted is decided from the path (a route may add what only it knows, with
`note_usage`: the rows it served, or the dataset a CKAN action read). The client address and
user agent are read only to tell bots apart and to make the day's keyed visitor hash
(`steward.usage.visitors`); neither is kept. Counting adds to an in-memory tally: no request
waits for the database.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from steward.db import Database
from steward.usage.service import UsageTally
from steward.usage.visitors import VisitorKeys, is_bot

logger = logging.getLogger(__name__)

ID = r"(?P<id>[a-z0-9]{4}-[a-z0-9]{4})"
FMT = r"(?P<fmt>\w{1,16})"
ROWS_KEY = "usage_rows"
DATASET_KEY = "usage_dataset"


@dataclass(frozen=True)
class Found:
    dataset_id: str | None  # None: the route names it with `note_usage` (CKAN actions)
    kind: str
    detail: str | None = None


# (pattern, kind, detail: a fixed value, or "fmt" for the path's format, or "?format" for the
# query's `format` parameter with its default after the colon)
PATTERNS: list[tuple[re.Pattern[str], str, str | None]] = [
    (re.compile(rf"^/d/{ID}$"), "views", None),
    (re.compile(rf"^/d/{ID}/download\.{FMT}$"), "downloads", "fmt"),
    (re.compile(rf"^/api/views/{ID}/rows\.{FMT}$"), "downloads", "fmt"),
    (re.compile(rf"^/api/v1/datasets/{ID}/versions/\d+/download$"), "downloads", "?format:csv"),
    (re.compile(rf"^/api/v1/datasets/{ID}/datapackage\.zip$"), "downloads", "datapackage"),
    (re.compile(rf"^/datastore/dump/{ID}$"), "downloads", "csv"),
    (re.compile(rf"^/resource/{ID}(\.\w+)?$"), "api_calls", "soda"),
    (re.compile(rf"^/api/v1/datasets/{ID}/query$"), "api_calls", "native"),
    (re.compile(r"^/api/(3/)?action/datastore_search$"), "api_calls", "ckan"),
]


def classify(path: str, query: str = "") -> tuple[str, str] | None:
    """(dataset id, kind) of a counted path, or None (kept for callers of the first version)."""
    found = find(path, query)
    if found is None or found.dataset_id is None:
        return None
    return found.dataset_id, found.kind


def find(path: str, query: str = "") -> Found | None:
    """What a request to `path` counts as, if anything.

    >>> find("/d/abcd-1234/download.xlsx")
    Found(dataset_id='abcd-1234', kind='downloads', detail='xlsx')
    >>> find("/api/v1/datasets/abcd-1234/versions/2/download", "format=parquet").detail
    'parquet'
    >>> find("/api/3/action/datastore_search")
    Found(dataset_id=None, kind='api_calls', detail='ckan')
    """
    for pattern, kind, detail in PATTERNS:
        match = pattern.match(path)
        if match is None:
            continue
        if detail == "fmt":
            detail = match["fmt"].lower()
        elif detail is not None and detail.startswith("?"):
            name, _, default = detail[1:].partition(":")
            detail = (parse_qs(query).get(name) or [default])[0].lower()[:16]
        return Found(match.groupdict().get("id"), kind, detail)
    return None


def note_usage(request: Request, *, rows: int | None = None, dataset_id: str | None = None) -> None:
    """A route tells the counter the rows it served, or the dataset it read (CKAN)."""
    if rows is not None:
        request.state.usage_rows = rows
    if dataset_id is not None:
        request.state.usage_dataset = dataset_id


class UsageMiddleware:
    def __init__(self, app: ASGIApp, tally: UsageTally, keys: VisitorKeys | None = None) -> None:
        self.app = app
        self.tally = tally
        self.keys = keys or VisitorKeys()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = None
        if scope["type"] == "http" and scope.get("method") in ("GET", "POST"):
            found = find(scope["path"], scope.get("query_string", b"").decode("latin-1"))
            if found is not None and scope["method"] == "POST" and found.dataset_id is not None:
                found = None  # only CKAN actions are counted when posted
        if found is None:
            await self.app(scope, receive, send)
            return
        counted = found

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                self._count(scope, counted)
            await send(message)

        await self.app(scope, receive, counting_send)

    def _count(self, scope: Scope, found: Found) -> None:
        state = scope.get("state") or {}
        dataset_id = state.get(DATASET_KEY) or found.dataset_id
        if dataset_id is None:
            return
        agent = _header(scope, b"user-agent")
        bot = is_bot(agent)
        if bot and found.kind != "api_calls":
            return
        now = datetime.now(UTC)
        visitor = None
        if not bot:
            address = scope["client"][0] if scope.get("client") else ""
            visitor = self.keys.digest(now.date(), address, agent)
        rows = state.get(ROWS_KEY) or 0
        self.tally.add(
            dataset_id, found.kind, now, detail=found.detail, rows=int(rows), visitor=visitor
        )


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return ""


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
