"""Sign-in throttling: failed attempts per account and per client address in a sliding window.

Kept in memory in the server process: it slows guessing down without a table write per attempt.
A deployment with several server processes gets a limit per process, which is documented.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from steward.errors import RateLimited


class LoginThrottle:
    """At most `per_account` failures per email and `per_address` per client in `window_s`."""

    def __init__(
        self,
        per_account: int = 5,
        per_address: int = 20,
        window_s: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {"account": per_account, "address": per_address}
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, email: str, address: str) -> None:
        """Raise RateLimited when either key has used up its failures."""
        now = self._clock()
        with self._lock:
            for key in (("account", email.lower()), ("address", address)):
                stamps = self._recent(key, now)
                if len(stamps) >= self.limits[key[0]]:
                    wait = int(self.window_s - (now - stamps[0])) + 1
                    raise RateLimited(
                        f"too many failed sign-ins; try again in {wait} seconds",
                        data={"retry_after": wait},
                    )

    def failed(self, email: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            for key in (("account", email.lower()), ("address", address)):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, email: str) -> None:
        with self._lock:
            self._failures.pop(("account", email.lower()), None)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        stamps = self._failures.setdefault(key, deque())
        while stamps and now - stamps[0] > self.window_s:
            stamps.popleft()
        return stamps
