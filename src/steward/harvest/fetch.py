"""Read a catalog document from a file or an http(s) URL, bounded in size and time.

Only `http` and `https` are fetched, redirects included (a redirect to `file:` or `ftp:` is
refused); the whole download must finish within the timeout and stay under the size cap, so a
slow or endless answer cannot hold the harvest.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from steward import __version__
from steward.errors import Invalid

SCHEMES = frozenset({"http", "https"})
CHUNK = 1 << 16
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 100 * 1024 * 1024
    timeout_s: float = 60.0


@dataclass(frozen=True)
class SourceDocument:
    name: str  # the URL, or the file's path as given
    data: bytes
    portal: str | None  # scheme://host of a URL source


def read_source(source: str, limits: Limits | None = None) -> SourceDocument:
    limits = limits or Limits()
    if "://" in source:
        return fetch_url(source, limits)
    return read_file(Path(source), limits)


def read_file(path: Path, limits: Limits) -> SourceDocument:
    if not path.is_file():
        raise Invalid(f"no such file: {path}")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise Invalid(f"{path} is {size:,} bytes, more than the limit of {limits.max_bytes:,}")
    return SourceDocument(str(path), path.read_bytes(), None)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise Invalid(f"refused a redirect to {newurl[:200]} (only http and https)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(url: str, limits: Limits) -> SourceDocument:
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise Invalid(f"only http and https URLs can be harvested, not {url[:200]}")
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"Steward/{__version__} (catalog harvest)",
            "Accept": "application/json, text/csv;q=0.9, */*;q=0.5",
        },
    )
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    deadline = time.monotonic() + limits.timeout_s
    try:
        with opener.open(request, timeout=limits.timeout_s) as response:
            data = _read_bounded(response, url, limits, deadline)
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:  # urllib refused to follow it (not http, https or ftp)
            raise Invalid(f"refused a redirect from {url[:200]} (only http and https)") from None
        raise Invalid(f"{url[:200]} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Invalid(f"could not fetch {url[:200]}: {reason}") from None
    return SourceDocument(url, data, f"{parts.scheme.lower()}://{parts.netloc}")


def _read_bounded(response: Any, url: str, limits: Limits, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise Invalid(f"{url[:200]} is {int(declared):,} bytes, more than {limits.max_bytes:,}")
    body = bytearray()
    read = getattr(response, "read1", response.read)  # read1: what has arrived, not a full chunk
    while chunk := read(CHUNK):
        body.extend(chunk)
        if len(body) > limits.max_bytes:
            raise Invalid(f"{url[:200]} is larger than the limit of {limits.max_bytes:,} bytes")
        if time.monotonic() > deadline:
            raise Invalid(f"{url[:200]} took longer than {limits.timeout_s:g} s")
    return bytes(body)
