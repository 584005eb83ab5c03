"""Counting usage cheaply: requests add to an in-memory tally, flushed to the database in one
upsert per dataset and day every few seconds (and at shutdown), so a busy API is not slowed by a
write per request. Reading it back: per-day counts of a dataset, and totals across datasets.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from steward.catalog.models import Dataset
from steward.db import Database
from steward.usage import sketch
from steward.usage.models import DatasetUsage, DatasetUsageDetail

KINDS = ("views", "downloads", "api_calls")
DETAILED = ("downloads", "api_calls")  # downloads by format, API calls by family
SKETCH_DAYS = 2  # today and yesterday may still get counts; older sketches are dropped


@dataclass(frozen=True)
class UsageTotals:
    dataset_id: str
    views: int
    downloads: int
    api_calls: int


@dataclass
class _Waiting:
    counts: Counter[tuple[str, date, str]] = field(default_factory=Counter)
    details: Counter[tuple[str, date, str, str]] = field(default_factory=Counter)
    rows: Counter[tuple[str, date]] = field(default_factory=Counter)
    sketches: dict[tuple[str, date], bytearray] = field(default_factory=dict)


class UsageTally:
    """Thread-safe counts waiting to be written."""

    def __init__(self) -> None:
        self._waiting = _Waiting()
        self._lock = threading.Lock()
        self._swept: date | None = None  # the day old sketches were last dropped

    def add(
        self,
        dataset_id: str,
        kind: str,
        when: datetime | None = None,
        *,
        detail: str | None = None,
        rows: int = 0,
        visitor: bytes | None = None,
    ) -> None:
        """Count one request: `detail` is a download's format or an API call's family, `rows`
        the rows it served, `visitor` the keyed hash of its client (None for bots)."""
        if kind not in KINDS:
            raise ValueError(f"unknown usage kind {kind!r}")
        day = (when or datetime.now(UTC)).date()
        with self._lock:
            waiting = self._waiting
            waiting.counts[(dataset_id, day, kind)] += 1
            if detail is not None and kind in DETAILED:
                waiting.details[(dataset_id, day, kind, detail[:32])] += 1
            if rows > 0:
                waiting.rows[(dataset_id, day)] += rows
            if visitor is not None:
                registers = waiting.sketches.setdefault((dataset_id, day), sketch.empty())
                sketch.add(registers, visitor)

    def take(self) -> _Waiting:
        with self._lock:
            waiting, self._waiting = self._waiting, _Waiting()
        return waiting

    def flush(self, database: Database, today: date | None = None) -> int:
        """Write the waiting counts (requests counted); counts for unknown datasets are dropped."""
        waiting = self.take()
        rows = _rows(waiting)
        today = today or datetime.now(UTC).date()
        if not rows and self._swept == today:
            return 0
        with database.session() as session:
            if rows:
                _write(session, waiting, rows)
            if self._swept != today:
                _drop_old_sketches(session, today)
        self._swept = today
        return sum(waiting.counts.values())


def _write(
    session: Session, waiting: _Waiting, rows: dict[tuple[str, date], dict[str, Any]]
) -> None:
    ids = {key[0] for key in rows}
    known = set(session.scalars(select(Dataset.id).where(Dataset.id.in_(ids))))
    for (dataset_id, day), row in rows.items():
        if dataset_id in known:
            _write_day(session, row, waiting.sketches.get((dataset_id, day)))
    for (dataset_id, day, kind, detail), n in waiting.details.items():
        if dataset_id in known:
            _upsert_detail(session, dataset_id, day, kind, detail, n)


def _rows(waiting: _Waiting) -> dict[tuple[str, date], dict[str, Any]]:
    rows: dict[tuple[str, date], dict[str, Any]] = {}

    def row(dataset_id: str, day: date) -> dict[str, Any]:
        empty = {"dataset_id": dataset_id, "day": day, "rows_served": 0, **dict.fromkeys(KINDS, 0)}
        return rows.setdefault((dataset_id, day), empty)

    for (dataset_id, day, kind), n in waiting.counts.items():
        row(dataset_id, day)[kind] += n
    for (dataset_id, day), n in waiting.rows.items():
        row(dataset_id, day)["rows_served"] += n
    for dataset_id, day in waiting.sketches:
        row(dataset_id, day)
    return rows


def _insert(session: Session, table: Any) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _write_day(session: Session, row: dict[str, Any], new_sketch: bytearray | None) -> None:
    statement = _insert(session, DatasetUsage).values(**row, unique_visitors_estimate=0)
    table = DatasetUsage.__table__
    added = (*KINDS, "rows_served")
    statement = statement.on_conflict_do_update(
        index_elements=["dataset_id", "day"],
        set_={name: getattr(table.c, name) + getattr(statement.excluded, name) for name in added},
    )
    session.execute(statement)
    if new_sketch is None:
        return
    # Merge the visitors into the day's stored sketch; the row lock keeps two processes
    # flushing at once from losing each other's visitors (PostgreSQL; SQLite writes serially).
    stored = session.scalar(
        select(DatasetUsage.visitors_sketch)
        .where(DatasetUsage.dataset_id == row["dataset_id"], DatasetUsage.day == row["day"])
        .with_for_update()
    )
    merged = sketch.merge(stored, new_sketch) if stored else new_sketch
    session.execute(
        update(DatasetUsage)
        .where(DatasetUsage.dataset_id == row["dataset_id"], DatasetUsage.day == row["day"])
        .values(visitors_sketch=bytes(merged), unique_visitors_estimate=sketch.estimate(merged))
    )


def _upsert_detail(
    session: Session, dataset_id: str, day: date, kind: str, detail: str, n: int
) -> None:
    values = {"dataset_id": dataset_id, "day": day, "kind": kind, "detail": detail, "count": n}
    statement = _insert(session, DatasetUsageDetail).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["dataset_id", "day", "kind", "detail"],
        set_={"count": DatasetUsageDetail.__table__.c.count + statement.excluded.count},
    )
    session.execute(statement)


def _drop_old_sketches(session: Session, today: date) -> None:
    """Keep only the estimate of a day no longer counted (see `models.py`)."""
    session.execute(
        update(DatasetUsage)
        .where(
            DatasetUsage.day <= today - timedelta(days=SKETCH_DAYS),
            DatasetUsage.visitors_sketch.is_not(None),
        )
        .values(visitors_sketch=None)
    )


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
