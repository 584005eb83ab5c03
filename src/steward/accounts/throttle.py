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

MAX_KEYS = 10_000


def _account_key(email: str) -> tuple[str, str]:
    # The same spelling sign-in uses, so " Name@Agency.gov" cannot buy fresh attempts.
    return ("account", email.strip().lower())


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
            for key in (_account_key(email), ("address", address)):
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
            for key in (_account_key(email), ("address", address)):
                self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > MAX_KEYS:
                self._forget_old(now)

    def succeeded(self, email: str) -> None:
        with self._lock:
            self._failures.pop(_account_key(email), None)

    def _forget_old(self, now: float) -> None:
        """Drop keys with no failure left in the window (guessed emails must not fill memory)."""
        self._failures = {
            key: stamps
            for key, stamps in self._failures.items()
            if stamps and now - stamps[-1] <= self.window_s
        }

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        stamps = self._failures.setdefault(key, deque())
        while stamps and now - stamps[0] > self.window_s:
            stamps.popleft()
        return stamps
