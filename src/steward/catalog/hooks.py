"""Extension points in the life of a dataset version, declared in one place.

Ingest runs, in order:
1. `PREPARE` hooks, after the Parquet file is written and before the version is recorded:
   `prepare(session, dataset, path, result) -> IngestResult`. A hook may rewrite the file
   (atomically, at the same path) and return the result with its new columns; e.g. adding
   standardized companion columns.
2. The version row is recorded (not yet current).
3. `CHECK` hooks: `check(session, dataset, version, path) -> Verdict`. Each may store what it
   computed (profiles, rule results) against the version, add notes, and block the version from
   becoming current (it stays listed for the steward to inspect).

Making a dataset public (publishing it with access level `public`, or opening a published one to
`public`; `catalog.service.check_publishable`) runs the `PUBLISH` hooks:
`check(session, dataset) -> None`, each raising `Conflict` with the reason when the dataset may
not be published yet (e.g. its classification assessment is missing).

Hooks are named by dotted path and imported on first use, so the catalog does not import the
concerns that extend it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

PREPARE: list[str] = ["steward.standards.ingest:prepare"]
CHECK: list[str] = [
    "steward.standards.ingest:check",
    "steward.quality.check:check_version",
    "steward.classification.review:check",
]
PUBLISH: list[str] = [
    "steward.classification.gate:check_publishable",
    "steward.privacy.gate:check_publishable",
]


@dataclass(frozen=True)
class Verdict:
    block: bool = False
    notes: str = ""


@cache
def load(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    hook: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return hook
