"""Measure, from Steward's own tables, what the figures of the State Data Plan's goals count.

`measure()` reads every source once (the latest inventory cycle, published datasets with their
metadata, freshness and quality, the Open Data Access Plans, data requests, usage and maturity
self-assessments) into a `Measurement` of plain values; `figures.py` turns it into the figures
of each agency and of the state. Everything read here is either public or summarized without
naming anyone, so no actor is needed: the callers (`service.py`) check who may see the result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from steward.catalog.models import Agency, Dataset
from steward.catalog.public import current_version
from steward.config import Settings
from steward.db.base import utcnow
from steward.inventory.models import InventoryCycle, InventorySubmission
from steward.inventory.shapes import summary as inventory_summary
from steward.metadata import completeness, openness
from steward.metadata.service import published_datasets
from steward.plans import maturity_service
from steward.plans import service as plans
from steward.plans.schemas import AdherenceSummary
from steward.progress.schemas import DatasetRecord, UsageMonth
from steward.quality import score
from steward.quality.models import QualityReport
from steward.quality.service import version_freshness
from steward.requests.metrics import metrics as request_metrics
from steward.requests.schemas import AgencyMetrics
from steward.usage.models import DatasetUsage

USAGE_MONTHS = 12


@dataclass(frozen=True)
class AgencyRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class InventoryState:
    status: str
    high_value: int
    assets: int


@dataclass(frozen=True)
class MaturityState:
    number: int
    overall: float | None
    level: str


@dataclass
class Measurement:
    """Everything the figures are computed from, measured at one moment."""

    as_of: date
    measured_at: datetime
    agencies: list[AgencyRef]
    inventory_year: int | None = None
    inventory: dict[str, InventoryState] = field(default_factory=dict)
    datasets: list[DatasetRecord] = field(default_factory=list)
    plans: dict[str, AdherenceSummary] = field(default_factory=dict)
    requests: dict[str, AgencyMetrics] = field(default_factory=dict)
    requests_state: AgencyMetrics | None = None
    usage: dict[str, list[UsageMonth]] = field(default_factory=dict)
    maturity: dict[str, MaturityState] = field(default_factory=dict)

    def datasets_of(self, slug: str | None) -> list[DatasetRecord]:
        return [d for d in self.datasets if slug is None or d.agency == slug]


def measure(session: Session, settings: Settings, *, now: datetime | None = None) -> Measurement:
    """Read every source once (see the module docstring)."""
    moment = now or utcnow()
    agencies = [
        AgencyRef(a.id, a.slug, a.name)
        for a in session.scalars(select(Agency).order_by(Agency.name))
    ]
    found = Measurement(as_of=moment.date(), measured_at=moment, agencies=agencies)
    found.inventory_year, found.inventory = _inventory(session, found.as_of)
    found.datasets = dataset_records(session, moment)
    found.plans = {item.agency: item for item in plans.plan_summaries(session, found.as_of)}
    answered = request_metrics(session, settings, now=moment)
    found.requests = {row.agency: row for row in answered.agencies if row.agency}
    found.requests_state = answered.state
    found.usage = _usage(session, agencies, found.as_of)
    found.maturity = _maturity(session, agencies)
    return found


def _inventory(session: Session, today: date) -> tuple[int | None, dict[str, InventoryState]]:
    """The latest cycle's submissions by agency slug (agencies without one yet are absent)."""
    cycle = session.scalar(select(InventoryCycle).order_by(InventoryCycle.year.desc()).limit(1))
    if cycle is None:
        return None, {}
    query = select(InventorySubmission).where(InventorySubmission.cycle_id == cycle.id)
    states = {}
    for submission in session.scalars(query).unique():
        item = inventory_summary(submission, today)
        states[item.agency] = InventoryState(item.status, item.high_value_count, item.asset_count)
    return cycle.year, states


def dataset_records(session: Session, moment: datetime) -> list[DatasetRecord]:
    """Every published dataset with its metadata score, freshness and quality score."""
    now = moment.replace(tzinfo=None)
    records = []
    names = {a.slug: a.name for a in session.scalars(select(Agency))}
    for public in published_datasets(session):
        dataset = session.get(Dataset, public.id)
        if dataset is None:  # pragma: no cover - listed a moment ago in the same transaction
            continue
        version = current_version(dataset)
        fresh = version_freshness(session, dataset, version, now=now)
        report = None
        if version is not None:
            query = select(QualityReport).where(QualityReport.version_id == version.id)
            report = session.scalar(query)
        quality = (
            score.combine({**report.parts, "timeliness": score.timeliness(fresh)}).score
            if report is not None
            else None
        )
        checked = completeness.evaluate(public)
        records.append(
            DatasetRecord(
                id=public.id,
                title=public.title,
                agency=public.agency,
                agency_name=names.get(public.agency, public.agency),
                rows_public=openness.rows_are_public(public),
                metadata_score=checked.score,
                meets_standard=checked.meets_standard,
                freshness=fresh.status,
                freshness_label=fresh.label,
                quality_score=quality,
            )
        )
    return records


def month_keys(as_of: date, count: int = USAGE_MONTHS) -> list[str]:
    """The `count` months up to and including `as_of`'s, oldest first.

    >>> month_keys(date(2026, 2, 10), 3)
    ['2025-12', '2026-01', '2026-02']
    """
    year, month = as_of.year, as_of.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return keys[::-1]


def _usage(session: Session, agencies: list[AgencyRef], as_of: date) -> dict[str, list[UsageMonth]]:
    """Views, downloads and API calls per agency per month, the last twelve months."""
    months = month_keys(as_of)
    start = date.fromisoformat(months[0] + "-01")
    query = (
        select(
            Dataset.agency_id,
            DatasetUsage.day,
            func.sum(DatasetUsage.views),
            func.sum(DatasetUsage.downloads),
            func.sum(DatasetUsage.api_calls),
        )
        .join(Dataset, Dataset.id == DatasetUsage.dataset_id)
        .where(DatasetUsage.day >= start, DatasetUsage.day < as_of + timedelta(days=1))
        .group_by(Dataset.agency_id, DatasetUsage.day)
    )
    sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for agency_id, day, views, downloads, calls in session.execute(query):
        totals = sums[(agency_id, day.strftime("%Y-%m"))]
        totals[0] += int(views or 0)
        totals[1] += int(downloads or 0)
        totals[2] += int(calls or 0)
    return {
        agency.slug: [
            UsageMonth(month=m, views=v, downloads=d, api_calls=c)
            for m in months
            for v, d, c in [sums.get((agency.id, m), [0, 0, 0])]
        ]
        for agency in agencies
    }


def _maturity(session: Session, agencies: list[AgencyRef]) -> dict[str, MaturityState]:
    found = {}
    for agency in agencies:
        latest = maturity_service.latest_maturity(session, agency.id)
        if latest is not None:
            found[agency.slug] = MaturityState(latest.number, latest.overall, latest.overall_level)
    return found
