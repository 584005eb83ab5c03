"""Normalization on ingest: the version hooks that add standardized companion columns.

For each field a steward opted in (`StandardNormalization`), the `prepare` hook adds one column
per companion of the element (`death_city` -> `death_city_town`, `death_city_town_fips`) and a
status column (`death_city_town_status`: matched, review, out_of_state or invalid; null for a
blank cell). The original column is never changed. What was done is kept in the file's Parquet
metadata, and the `check` hook turns it into the version's notes: which fields, how many rows
matched, and which values went to review.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.catalog.hooks import Verdict
from steward.catalog.models import Dataset, DatasetVersion
from steward.errors import Invalid
from steward.standards.columns import ColumnResult, normalize_column
from steward.standards.element import Element
from steward.standards.models import StandardNormalization
from steward.standards.registry import get_element
from steward.standards.service import normalizer
from steward.store import ColumnSpec, IngestResult
from steward.store.writer import ROW_GROUP_ROWS

METADATA_KEY = b"steward.standards"
LISTED_REVIEW = 10
"""Values to review named in the notes (the most frequent first)."""


def prepare(session: Session, dataset: Dataset, path: Path, result: IngestResult) -> IngestResult:
    settings = session.scalars(
        select(StandardNormalization)
        .where(StandardNormalization.dataset_id == dataset.id)
        .order_by(StandardNormalization.field_name)
    ).all()
    if not settings:
        return result
    table = pq.read_table(path)
    present = {column.name: column for column in result.columns}
    added: list[ColumnSpec] = []
    summary: list[dict[str, Any]] = []
    for setting in settings:
        if setting.field_name not in present:
            summary.append({"field": setting.field_name, "element": setting.element})
            continue
        element = get_element(setting.element)
        outcome = normalize_column(
            table.column(setting.field_name),
            element,
            normalizer(session, element, dataset.agency_id),
        )
        specs, arrays = _companions(present[setting.field_name], element, outcome)
        _check_names(table, specs)
        for spec, array in zip(specs, arrays, strict=True):
            table = table.append_column(pa.field(spec.name, pa.string()), array)
        added.extend(specs)
        summary.append(_summary(setting.field_name, element, specs, outcome))
    _write(table, path, summary)
    return replace(result, columns=[*result.columns, *added], byte_size=path.stat().st_size)


def _companions(
    column: ColumnSpec, element: Element, outcome: ColumnResult
) -> tuple[list[ColumnSpec], list[pa.ChunkedArray]]:
    specs, arrays = [], []
    for companion in element.companions:
        name = f"{column.name}{companion.suffix}"
        specs.append(ColumnSpec(name, f"{column.label} ({companion.label})", "text", "VARCHAR"))
        arrays.append(outcome.companions[companion.suffix])
    status = f"{column.name}{element.companions[0].suffix}_status"
    specs.append(ColumnSpec(status, f"{column.label} ({element.id} status)", "text", "VARCHAR"))
    arrays.append(outcome.status)
    return specs, arrays


def _check_names(table: pa.Table, specs: list[ColumnSpec]) -> None:
    clash = [spec.name for spec in specs if spec.name in table.column_names]
    if clash:
        raise Invalid(
            f"the file already has column(s) {', '.join(clash)}, which normalization on ingest "
            "would add; rename them or stop normalizing the field"
        )


def _summary(
    field: str, element: Element, specs: list[ColumnSpec], outcome: ColumnResult
) -> dict[str, Any]:
    review = sorted(
        (
            (value, result.normalized)
            for value, result in outcome.outcomes.items()
            if value is not None and result.status == "review"
        ),
        key=lambda item: item[0],
    )
    return {
        "field": field,
        "element": element.id,
        "columns": [spec.name for spec in specs],
        "rows": dict(outcome.rows),
        "review_values": [list(item) for item in review[:LISTED_REVIEW]],
        "review_distinct": len(review),
    }


def _write(table: pa.Table, path: Path, summary: list[dict[str, Any]]) -> None:
    """Rewrite the version's file whole, then rename it into place (never half-written)."""
    metadata = dict(table.schema.metadata or {})
    metadata[METADATA_KEY] = json.dumps(summary).encode()
    table = table.replace_schema_metadata(metadata)
    text = [field.name for field in table.schema if pa.types.is_string(field.type)]
    temporary = path.with_name(f".{path.name}.standards.tmp")
    try:
        pq.write_table(
            table,
            temporary,
            row_group_size=ROW_GROUP_ROWS,
            compression="zstd",
            use_dictionary=text,
            write_page_index=True,
        )
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def check(session: Session, dataset: Dataset, version: DatasetVersion, path: Path) -> Verdict:
    """Never blocks: says in the version's notes what normalization did."""
    metadata = pq.read_schema(path).metadata or {}
    if METADATA_KEY not in metadata:
        return Verdict()
    return Verdict(notes=notes_of(json.loads(metadata[METADATA_KEY])))


def notes_of(summary: list[dict[str, Any]]) -> str:
    lines = []
    for entry in summary:
        if "columns" not in entry:
            lines.append(f"Not normalized: {entry['field']} is not in this file.")
            continue
        rows = entry["rows"]
        counts = ", ".join(
            f"{rows[status]:,} {status.replace('_', ' ')}"
            for status in ("matched", "review", "out_of_state", "invalid", "blank")
            if rows.get(status)
        )
        lines.append(
            f"Normalized {entry['field']} as {entry['element']} into "
            f"{', '.join(entry['columns'])}: {counts} rows."
        )
        if entry["review_distinct"]:
            listed = "; ".join(
                f"{value!r} -> {guess or '?'}" for value, guess in entry["review_values"]
            )
            more = entry["review_distinct"] - len(entry["review_values"])
            tail = f" and {more} more" if more > 0 else ""
            lines.append(
                f"  {entry['review_distinct']} value(s) to review "
                f"(`steward standards decide`): {listed}{tail}."
            )
    return "\n".join(lines)
