"""The quality score of a version: four visible parts, each 0-100, and their weighted mean.

- completeness = 100 x non-null cells / all cells;
- validity = 100 x the mean, over the rules checked, of the share of rows passing the rule
  (a dataset-wide rule, such as a row-count change, passes 100 or 0);
- uniqueness = 100 x (1 - the larger of duplicate rows and duplicate keys / rows);
- timeliness = 100 on schedule, 50 when an update is due, 0 when overdue.

score = sum(weight x part) / sum(weight), over the parts that were measured: a dataset with no
rules has no validity part, one without a regular schedule no timeliness part, and the weights
of the others are not changed, only renormalized.

>>> parts = {"completeness": 90.0, "validity": None, "uniqueness": 100.0, "timeliness": 0.0}
>>> combine(parts).score
67.14
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from steward.quality.schemas import Freshness, Profile, QualityScore, ScorePart

WEIGHTS = {"completeness": 0.3, "validity": 0.3, "uniqueness": 0.2, "timeliness": 0.2}
FORMULA = (
    "score = sum(weight x part) / sum(weight) over the measured parts; weights: completeness "
    "0.3, validity 0.3, uniqueness 0.2, timeliness 0.2"
)
EXPLANATIONS = {
    "completeness": "share of cells that have a value",
    "validity": "mean share of rows passing each rule",
    "uniqueness": "share of rows that are not duplicates (whole rows, or keys when declared)",
    "timeliness": "100 on schedule, 50 when an update is due, 0 when overdue",
}
TIMELINESS = {"on_schedule": 100.0, "due": 50.0, "overdue": 0.0}


def stored_parts(profile: Profile, results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The parts that depend only on the version's rows (timeliness depends on the date)."""
    return {
        "completeness": completeness(profile),
        "validity": validity(results),
        "uniqueness": uniqueness(profile),
    }


def completeness(profile: Profile) -> float | None:
    cells = profile.row_count * len(profile.fields)
    if not cells:
        return None
    missing = sum(field.null_count for field in profile.fields)
    return round(100 * (1 - missing / cells), 2)


def validity(results: Sequence[Mapping[str, Any]]) -> float | None:
    """`results` carry `failing_count` and `checked_count`."""
    shares = [
        1 - min(r["failing_count"], r["checked_count"]) / r["checked_count"]
        for r in results
        if r["checked_count"]
    ]
    return round(100 * sum(shares) / len(shares), 2) if shares else None


def uniqueness(profile: Profile) -> float | None:
    if not profile.row_count:
        return None
    duplicates = max(profile.duplicate_rows, profile.duplicate_keys or 0)
    return round(100 * (1 - duplicates / profile.row_count), 2)


def timeliness(freshness: Freshness) -> float | None:
    return TIMELINESS.get(freshness.status)


def combine(parts: Mapping[str, float | None]) -> QualityScore:
    measured = {name: value for name, value in parts.items() if value is not None}
    weight = sum(WEIGHTS[name] for name in measured)
    score = (
        round(sum(WEIGHTS[name] * value for name, value in measured.items()) / weight, 2)
        if weight
        else None
    )
    return QualityScore(
        score=score,
        parts=[
            ScorePart(
                name=name,
                value=parts.get(name),
                weight=WEIGHTS[name],
                explanation=EXPLANATIONS[name],
            )
            for name in WEIGHTS
        ],
        formula=FORMULA,
    )
