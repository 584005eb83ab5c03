"""Each goal's key figures across reporting periods, and what changed since the previous period's
report (pure: over the snapshots that periods and reports store, no database).

A period keeps the state's figures and each report its agency's, as measured when it was opened
or last refreshed (a submitted report keeps the numbers its agency signed off on), so a trend is
the series of those snapshots, oldest period first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from steward.progress.schemas import Figure, FigureChange, Figures, Trend, TrendPoint

# The key figures followed across periods, per goal, with the unit a change is counted in
# (singular, plural).
KEY_FIGURES: dict[str, tuple[str, str]] = {
    "high_value_assets": ("high-value asset", "high-value assets"),
    "maturity": ("maturity level", "maturity levels"),
    "odap_on_time": ("percentage point", "percentage points"),
    "api_datasets": ("dataset", "datasets"),
    "metadata_standard": ("percentage point", "percentage points"),
    "on_schedule": ("percentage point", "percentage points"),
    "quality_score": ("point", "points"),
    "request_respond_days": ("business day", "business days"),
    "request_on_time": ("percentage point", "percentage points"),
    "usage_views": ("view", "views"),
    "usage_downloads": ("download", "downloads"),
    "usage_api_calls": ("API call", "API calls"),
}


@dataclass(frozen=True)
class Snapshot:
    """The figures one period stored (the state's, or one agency's report)."""

    period_id: int
    period: str
    starts_on: date
    figures: Figures


def _find(figures: Figures, key: str) -> Figure | None:
    return next((item for item in figures.figures if item.key == key), None)


def trends(snapshots: list[Snapshot]) -> list[Trend]:
    """One series per key figure over the snapshots, in the order given (oldest first).

    A figure missing from an older snapshot (measured before it existed) is a point with no
    value, so every series has a point per period.
    """
    if not snapshots:
        return []
    latest = snapshots[-1].figures
    found = []
    for key in KEY_FIGURES:
        shown = _find(latest, key)
        if shown is None:
            continue
        points = []
        for snap in snapshots:
            item = _find(snap.figures, key)
            points.append(
                TrendPoint(
                    period_id=snap.period_id,
                    period=snap.period,
                    starts_on=snap.starts_on,
                    value=item.value if item else None,
                    display=item.display if item else "not measured",
                )
            )
        found.append(Trend(key=key, goal=shown.goal, label=shown.label, points=points))
    return found


def change_text(change: float | None, key: str, since: str) -> str:
    """A change as a person reads it.

    >>> change_text(2.0, "api_datasets", "FY 2025")
    '+2 datasets since FY 2025'
    >>> change_text(-1.0, "api_datasets", "FY 2025")
    '\u22121 dataset since FY 2025'
    >>> change_text(12.5, "metadata_standard", "FY 2025")
    '+12.5 percentage points since FY 2025'
    >>> change_text(0.0, "usage_views", "FY 2025"), change_text(None, "usage_views", "FY 2025")
    ('no change since FY 2025', 'not comparable with FY 2025')
    """
    if change is None:
        return f"not comparable with {since}"
    if change == 0:
        return f"no change since {since}"
    one, many = KEY_FIGURES[key]
    size = abs(change)
    unit = one if size == 1 else many
    sign = "+" if change > 0 else "\u2212"
    return f"{sign}{size:,g} {unit} since {since}"


def changes(previous: Snapshot, current: Figures) -> list[FigureChange]:
    """How each key figure of `current` moved since the `previous` snapshot."""
    found = []
    for key in KEY_FIGURES:
        now = _find(current, key)
        if now is None:
            continue
        before = _find(previous.figures, key)
        was = before.value if before else None
        delta = None if was is None or now.value is None else round(now.value - was, 2)
        found.append(
            FigureChange(
                key=key,
                goal=now.goal,
                label=now.label,
                since=previous.period,
                previous=was,
                current=now.value,
                change=delta,
                text=change_text(delta, key, previous.period),
            )
        )
    return found
