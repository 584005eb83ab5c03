"""Counting usage cheaply: requests add to an in-memory tally, flushed to the database in one
upsert per dataset and day every few seconds (and at shutdown), so a busy API is not slowed by a
write per request."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from steward.catalog.models import Dataset
from steward.db import Database
from steward.usage.models import DatasetUsage

KINDS = ("views", "downloads", "api_calls")


@dataclass(frozen=True)
class UsageTotals:
    dataset_id: str
    views: int
    downloads: int
    api_calls: int


class UsageTally:
    """Thread-safe counts waiting to be written."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, date, str]] = Counter()
        self._lock = threading.Lock()

    def add(self, dataset_id: str, kind: str, when: datetime | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown usage kind {kind!r}")
        day = (when or datetime.now(UTC)).date()
        with self._lock:
            self._counts[(dataset_id, day, kind)] += 1

    def take(self) -> Counter[tuple[str, date, str]]:
        with self._lock:
            counts, self._counts = self._counts, Counter()
        return counts

    def flush(self, database: Database) -> int:
        """Write the waiting counts; counts for unknown datasets are dropped."""
        counts = self.take()
        if not counts:
            return 0
        rows: dict[tuple[str, date], dict[str, Any]] = {}
        for (dataset_id, day, kind), n in counts.items():
            row = rows.setdefault(
                (dataset_id, day), {"dataset_id": dataset_id, "day": day, **dict.fromkeys(KINDS, 0)}
            )
            row[kind] += n
        with database.session() as session:
            known = set(
                session.scalars(select(Dataset.id).where(Dataset.id.in_({key[0] for key in rows})))
            )
            for row in rows.values():
                if row["dataset_id"] in known:
                    _upsert(session, row)
        return sum(counts.values())


def _upsert(session: Session, row: dict[str, Any]) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(DatasetUsage).values(**row)
    table = DatasetUsage.__table__
    statement = statement.on_conflict_do_update(
        index_elements=["dataset_id", "day"],
        set_={kind: getattr(table.c, kind) + getattr(statement.excluded, kind) for kind in KINDS},
    )
    session.execute(statement)


def totals(session: Session, *, days: int = 30, today: date | None = None) -> list[UsageTotals]:
    """Counts per dataset over the last `days` days, most viewed first."""
    since = (today or datetime.now(UTC).date()) - timedelta(days=days - 1)
    rows = session.execute(
        select(
            DatasetUsage.dataset_id,
            func.sum(DatasetUsage.views),
            func.sum(DatasetUsage.downloads),
            func.sum(DatasetUsage.api_calls),
        )
        .where(DatasetUsage.day >= since)
        .group_by(DatasetUsage.dataset_id)
        .order_by(func.sum(DatasetUsage.views).desc(), DatasetUsage.dataset_id)
    )
    return [UsageTotals(row[0], int(row[1]), int(row[2]), int(row[3])) for row in rows]
