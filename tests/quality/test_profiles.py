"""Acceptance: the profiles of the five demo datasets agree with an independent computation
from the source CSV files (Python's csv module; pandas is not a dependency)."""

from __future__ import annotations

import csv
import math
from collections import Counter
from datetime import datetime
from typing import Any

import pytest

from steward.db import Database
from steward.demo.loader import DATA_DIR, read_catalog
from steward.quality import service
from steward.quality.schemas import FieldProfile, Profile

DEMO = {entry["id"]: entry["file"] for entry in read_catalog()["datasets"]}
DATE_FORMATS = ("%m/%d/%Y", "%m/%d/%Y %I:%M:%S %p", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S")


def parse(kind: str, raw: str) -> Any:
    """An independent reading of one CSV cell as the profiled type; None when empty (text is
    kept as written, spaces included)."""
    text = raw.strip()
    if raw == "" or (kind != "text" and text == ""):
        return None
    if kind == "number":
        cleaned = text.replace("$", "").replace(",", "")
        if cleaned.startswith("(") and cleaned.endswith(")"):
            cleaned = "-" + cleaned[1:-1]
        return float(cleaned)
    if kind == "floating_timestamp":
        for layout in DATE_FORMATS:
            try:
                return datetime.strptime(text, layout).isoformat()
            except ValueError:
                continue
        raise AssertionError(f"unreadable date {text!r}")
    return raw


def columns_from_csv(path: str, profile: Profile, labels: dict[str, str]) -> dict[str, list[Any]]:
    with open(DATA_DIR / path, newline="", encoding="utf-8-sig") as handle:
        rows = [
            {header.strip(): cell for header, cell in row.items()} for row in csv.DictReader(handle)
        ]
    kinds = {field.name: field.type for field in profile.fields}
    return {name: [parse(kinds[name], row[labels[name]]) for row in rows] for name in kinds}


def same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def check_field(field: FieldProfile, values: list[Any]) -> None:
    present = [value for value in values if value is not None]
    assert field.null_count == len(values) - len(present), field.name
    if field.type == "point":
        return
    counts = Counter(present)
    assert field.distinct_exact and field.distinct_count == len(counts), field.name
    if present:
        assert same(field.min, min(present)), (field.name, field.min, min(present))
        assert same(field.max, max(present)), (field.name, field.max, max(present))
    expected = sorted(counts.values(), reverse=True)[: len(field.top_values)]
    assert [top.count for top in field.top_values] == expected, field.name
    assert len(field.top_values) == min(10, len(counts))
    for top in field.top_values:
        key = float(top.value) if field.type == "number" else top.value
        assert counts[key] == top.count, (field.name, top.value)
    if field.type == "number" and present:
        assert math.isclose(field.mean, sum(present) / len(present), rel_tol=1e-9)
    if field.type == "text" and present:
        assert field.length_min == min(len(v) for v in present)
        assert field.length_max == max(len(v) for v in present)
    if field.histogram:
        assert sum(bin.count for bin in field.histogram) == len(present)


@pytest.mark.parametrize("dataset_id", sorted(DEMO))
def test_demo_profile_matches_an_independent_computation(
    demo_db: Database, dataset_id: str
) -> None:
    with demo_db.session() as session:
        profile = service.get_profile(session, dataset_id, public=False)
        from steward.catalog.service import load_dataset

        schema = service.find_version(load_dataset(session, dataset_id), None).schema
    labels = {column["name"]: column["label"] for column in schema}
    columns = columns_from_csv(DEMO[dataset_id], profile, labels)
    row_count = len(next(iter(columns.values())))
    assert profile.row_count == row_count
    assert profile.exact
    for field in profile.fields:
        check_field(field, columns[field.name])
    rows = list(zip(*columns.values(), strict=True))
    assert profile.duplicate_rows == len(rows) - len(set(map(repr, rows)))
