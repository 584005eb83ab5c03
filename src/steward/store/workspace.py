"""Temporary files beside the destination, and progress reporting, for one ingest."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from steward.store.writer import fsync

Progress = Callable[[int, int], None]


class Workspace:
    """Hidden temporary paths in the destination's directory, all removed on exit.

    Only `commit` puts a file at the destination, by an atomic rename of a complete, fsynced
    file; an ingest that fails or is killed leaves nothing there.
    """

    def __init__(self, destination: Path) -> None:
        self.directory = destination.parent
        prefix = f".{destination.name}.tmp-{secrets.token_hex(6)}"
        self.output = self.directory / prefix
        self.retyped = self.directory / f"{prefix}.retyped"
        self.text = self.directory / f"{prefix}.utf8"
        self.staged = self.directory / f"{prefix}.staged"
        self.spill = self.directory / f"{prefix}.spill"

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for path in (self.output, self.retyped, self.text, self.staged):
            path.unlink(missing_ok=True)
        shutil.rmtree(self.spill, ignore_errors=True)

    def commit(self, destination: Path) -> None:
        os.replace(self.output, destination)
        fsync(self.directory)  # make the rename itself durable


class Meter:
    """Turns phase fractions into monotonic (bytes_done, bytes_total) progress calls."""

    def __init__(self, callback: Progress | None, total: int) -> None:
        self.callback, self.total, self.done = callback, total, 0

    def phase(self, start: float, end: float) -> Callable[[float], None]:
        def report(fraction: float) -> None:
            self.report(start + (end - start) * min(max(fraction, 0.0), 1.0))

        return report

    def bytes_phase(self, start: float, end: float) -> Callable[[int], None]:
        """A phase whose progress is counted in source bytes."""
        report = self.phase(start, end)
        return lambda done: report(done / self.total if self.total else 1.0)

    def report(self, share: float) -> None:
        value = int(share * self.total)
        if self.callback is not None and value > self.done:
            self.done = value
            self.callback(value, self.total)
