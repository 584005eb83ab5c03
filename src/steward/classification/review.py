"""The CHECK hook: a new version that changes the schema puts the assessment up for review."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from steward.catalog.hooks import Verdict
from steward.catalog.models import Dataset, DatasetVersion
from steward.classification.models import Assessment
from steward.classification.records import latest_assessment
from steward.db.base import utcnow


def schema_of(columns: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """The part of a version's schema an assessment depends on: names and types."""
    return [{"name": str(column["name"]), "type": str(column["type"])} for column in columns]


def schema_changes(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> list[str]:
    """Added (+), removed (-) and retyped (~) columns, in the new schema's order.

    >>> old = [{"name": "town", "type": "text"}, {"name": "cases", "type": "number"}]
    >>> new = [{"name": "town", "type": "text"}, {"name": "cases", "type": "text"},
    ...        {"name": "ssn", "type": "text"}]
    >>> schema_changes(old, new)
    ['~cases (number -> text)', '+ssn']
    >>> schema_changes(new, old[:1])
    ['-cases', '-ssn']
    """
    old = {column["name"]: column["type"] for column in before}
    new = {column["name"]: column["type"] for column in after}
    changes = []
    for name, kind in new.items():
        if name not in old:
            changes.append(f"+{name}")
        elif old[name] != kind:
            changes.append(f"~{name} ({old[name]} -> {kind})")
    changes += [f"-{name}" for name in old if name not in new]
    return changes


def check(session: Session, dataset: Dataset, version: DatasetVersion, path: Path) -> Verdict:
    """Hook for `steward.catalog.hooks.CHECK`: flag the current assessment when the new
    version's columns differ from those it was made against. It never blocks the version."""
    assessment = latest_assessment(session, dataset.id)
    if assessment is None:
        return Verdict()
    changes = schema_changes(assessment.schema, schema_of(version.schema))
    if not changes:
        return Verdict()
    flag(assessment, f"schema changed in version {version.number} ({', '.join(changes)})")
    session.flush()
    return Verdict(notes=f"classification needs review: schema changed ({', '.join(changes)})")


def flag(assessment: Assessment, reason: str) -> None:
    assessment.needs_review = True
    assessment.review_reason = reason
    assessment.flagged_at = utcnow()
