"""Who counts as a visitor, without knowing who anyone is.

- Bots are recognised by user-agent patterns (`bots.txt`, data not code) and left out of views,
  downloads and visitor estimates; API calls count whatever the agent.
- A visitor is an HMAC-SHA256 of the client address and user agent under a random key that
  lives only in this process's memory and is replaced when the UTC day changes; the old key is
  dropped, so the same person yields unrelated hashes on different days and nobody, the
  operator included, can recompute a hash from an address afterwards (CKAN's tracking, by
  contrast, stores an unsalted MD5 of address and agent, which is easily reversed). Hashes only
  feed the day's HyperLogLog sketch (`sketch.py`); they are never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from importlib.resources import files

KEY_BYTES = 32


@lru_cache(maxsize=1)
def bot_pattern() -> re.Pattern[str]:
    text = files("steward.usage").joinpath("bots.txt").read_text("utf-8")
    return compile_patterns(text.splitlines())


def compile_patterns(lines: list[str]) -> re.Pattern[str]:
    """One pattern from a list, comments and blank lines skipped; it is matched against agents
    in lower case (cheaper than a case-insensitive pattern).

    >>> pattern = compile_patterns(["# crawlers", "bot/", "", "spider"])
    >>> bool(pattern.search("googlebot/2.1")), bool(pattern.search("curl/8.5.0"))
    (True, False)
    """
    kept = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return re.compile("|".join(f"(?:{line})" for line in kept))


@lru_cache(maxsize=2048)
def is_bot(agent: str) -> bool:
    """Crawlers and monitors; an empty agent is no browser either. Cached: a site sees the same
    few hundred agents over and over, and the pattern costs microseconds per request."""
    return not agent.strip() or bot_pattern().search(agent.lower()) is not None


class VisitorKeys:
    """The day's secret key, in memory only (see the module docstring)."""

    def __init__(self, new_key: Callable[[], bytes] = lambda: secrets.token_bytes(KEY_BYTES)):
        self._new_key = new_key
        self._day: date | None = None
        self._key = b""
        self._lock = threading.Lock()

    def digest(self, day: date, address: str, agent: str) -> bytes:
        with self._lock:
            if day != self._day:
                # yesterday's key is dropped here: its hashes can never be made again
                self._day, self._key = day, self._new_key()
            key = self._key
        return hmac.new(key, f"{address}\n{agent}".encode(), hashlib.sha256).digest()
