"""The conformance report of one dataset version: for every field that declares a standard
element, how many rows are valid, how many normalize, and the most common values that do not,
with what they might be; for the other fields, the element they seem to follow.

A field declares an element when its dictionary `standard` is an element id (optionally
followed by a space and a note: "ct_town residence of the decedent"), or when a steward opted it
in to normalization on ingest.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.catalog.access import HIDDEN_CLASSES, check_public_rows
from steward.catalog.models import Dataset
from steward.catalog.service import load_dataset
from steward.catalog.versions import version_file
from steward.standards.columns import Normalize, value_counts
from steward.standards.models import StandardNormalization
from steward.standards.registry import get_element, is_element
from steward.standards.schemas import ConformanceReport, FieldConformance, ValueCount
from steward.standards.service import normalizer
from steward.standards.suggest import suggest_elements

MAX_DISTINCT = 20_000
"""Distinct values normalized per field (the most frequent first); the rest are not checked."""
TOP = 10


def declared_element(standard: str | None) -> str | None:
    """The element id a dictionary `standard` names, if it names one."""
    first = (standard or "").strip().split(" ", 1)[0]
    return first if is_element(first) else None


def conformance_report(
    session: Session,
    data_dir: Path,
    dataset_id: str,
    version: int | None = None,
    *,
    public: bool = True,
    top: int = TOP,
) -> ConformanceReport:
    """Raises NotAuthorized when `public` and the rows are not public (values are shown)."""
    dataset = load_dataset(session, dataset_id)
    if public:
        check_public_rows(dataset)
    found, path = version_file(session, data_dir, dataset.id, version)
    opted = _opted(session, dataset.id)
    fields = {field.name: field for field in dataset.fields}
    reports = []
    columns = [column for column in found.schema if not _companion(column["name"], opted)]
    table = pq.read_table(path, columns=[column["name"] for column in columns])
    for column in columns:
        field = fields.get(column["name"])
        if public and field is not None and field.classification in HIDDEN_CLASSES:
            continue
        element = opted.get(column["name"]) or declared_element(field.standard if field else None)
        counts = value_counts(table.column(column["name"]))
        reports.append(_field_report(session, dataset, column, element, counts, opted, top))
    return ConformanceReport(
        dataset_id=dataset.id,
        title=dataset.title,
        agency=dataset.agency.slug,
        version=found.number,
        row_count=found.row_count,
        declared_fields=sum(1 for report in reports if report.element),
        fields=reports,
    )


def _opted(session: Session, dataset_id: str) -> dict[str, str]:
    rows = session.scalars(
        select(StandardNormalization).where(StandardNormalization.dataset_id == dataset_id)
    )
    return {row.field_name: row.element for row in rows}


def _companion(name: str, opted: dict[str, str]) -> bool:
    """A column added on ingest next to an opted-in field (its standardized copy or status)."""
    for field, element_id in opted.items():
        suffixes = [c.suffix for c in get_element(element_id).companions]
        names = {f"{field}{suffix}" for suffix in suffixes}
        names |= {f"{field}{suffixes[0]}_status"} if suffixes else set()
        if name in names:
            return True
    return False


def _field_report(
    session: Session,
    dataset: Dataset,
    column: dict[str, Any],
    element_id: str | None,
    counts: list[tuple[str | None, int]],
    opted: dict[str, str],
    top: int,
) -> FieldConformance:
    blank = sum(count for value, count in counts if value is None)
    present = [(value, count) for value, count in counts if value is not None]
    base: dict[str, Any] = {
        "field": column["name"],
        "label": column.get("label", column["name"]),
        "type": column.get("type", "text"),
        "element": element_id,
        "normalized_on_ingest": column["name"] in opted,
        "rows": sum(count for _value, count in counts),
        "blank": blank,
        "distinct": len(present),
    }
    if element_id is None:
        values = [value for value, _count in present]
        suggestions = suggest_elements(f"{column['name']} {base['label']}", values)
        return FieldConformance(**base, **_empty(), suggestions=suggestions)
    normalize = normalizer(session, get_element(element_id), dataset.agency_id)
    return FieldConformance(**base, **_measure(present[:MAX_DISTINCT], normalize, top))


def _empty() -> dict[str, Any]:
    return {
        "distinct_checked": 0,
        "valid": 0,
        "normalizable": 0,
        "review": 0,
        "out_of_state": 0,
        "invalid": 0,
        "percent_valid": None,
        "percent_normalizable": None,
        "top_invalid": [],
    }


def _measure(present: list[tuple[str, int]], normalize: Normalize, top: int) -> dict[str, Any]:
    rows: Counter[str] = Counter()
    problems: list[ValueCount] = []
    for value, count in present:
        outcome = normalize(value)
        rows[outcome.status] += count
        if outcome.matched and outcome.normalized == value:
            rows["valid"] += count
        if not outcome.matched and len(problems) < top:
            problems.append(
                ValueCount(
                    value=value,
                    count=count,
                    status=outcome.status,
                    suggestion=outcome.normalized,
                    code=outcome.code,
                    reason=outcome.reason,
                )
            )
    checked = sum(count for _value, count in present)
    return {
        "distinct_checked": len(present),
        "valid": rows["valid"],
        "normalizable": rows["matched"],
        "review": rows["review"],
        "out_of_state": rows["out_of_state"],
        "invalid": rows["invalid"],
        "percent_valid": _percent(rows["valid"], checked),
        "percent_normalizable": _percent(rows["matched"], checked),
        "top_invalid": problems,
        "suggestions": [],
    }


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
