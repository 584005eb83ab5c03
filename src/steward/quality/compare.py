"""What changed between two versions: schema, rows by key, and numeric distributions.

Rows are matched by the declared key; a key present only in the newer version counts as added,
only in the older as removed, and in both with different values in the fields both versions
share as changed (values compared by a 64-bit hash). Without a key only the row counts are
compared. A numeric field's distribution is flagged as shifted when its mean moved by at least
`SHIFT_FLAG` standard deviations of the older version, or its share of nulls by at least
`NULL_SHARE_FLAG`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb

from steward.quality.duck import ident
from steward.quality.schemas import Comparison, DistributionShift, FieldChange, Profile

SHIFT_FLAG = 0.5
NULL_SHARE_FLAG = 0.1


def schema_changes(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> list[FieldChange]:
    """
    >>> old = [{"name": "a", "type": "text"}, {"name": "b", "type": "number"}]
    >>> new = [{"name": "b", "type": "text"}, {"name": "c", "type": "number"}]
    >>> [(c.name, c.change) for c in schema_changes(old, new)]
    [('a', 'removed'), ('b', 'type_changed'), ('c', 'added')]
    """
    old = {column["name"]: column["type"] for column in before}
    new = {column["name"]: column["type"] for column in after}
    changes = []
    for name, kind in old.items():
        if name not in new:
            changes.append(FieldChange(name=name, change="removed", before=kind))
        elif new[name] != kind:
            changes.append(
                FieldChange(name=name, change="type_changed", before=kind, after=new[name])
            )
    changes += [
        FieldChange(name=name, change="added", after=kind)
        for name, kind in new.items()
        if name not in old
    ]
    return changes


def shifts(before: Profile, after: Profile) -> list[DistributionShift]:
    old = {field.name: field for field in before.fields if field.type == "number"}
    found = []
    for field in after.fields:
        prior = old.get(field.name)
        if prior is None or field.type != "number":
            continue
        moved = None
        if prior.mean is not None and field.mean is not None and prior.stddev:
            moved = round(abs(field.mean - prior.mean) / prior.stddev, 4)
        nulls = abs(field.null_share - prior.null_share)
        found.append(
            DistributionShift(
                name=field.name,
                mean_before=prior.mean,
                mean_after=field.mean,
                stddev_before=prior.stddev,
                null_share_before=prior.null_share,
                null_share_after=field.null_share,
                shift=moved,
                flagged=(moved is not None and moved >= SHIFT_FLAG) or nulls >= NULL_SHARE_FLAG,
            )
        )
    return found


def row_changes(
    con: duckdb.DuckDBPyConnection,
    before_view: str,
    after_view: str,
    key_fields: Sequence[str],
    shared: Sequence[str],
) -> tuple[int, int, int]:
    """Keys added, removed and changed between two views."""
    key = f"hash({', '.join(ident(name) for name in key_fields)})"
    values = f"bit_xor(hash({', '.join(ident(name) for name in shared)}))"

    def keyed(view: str) -> str:
        return f"SELECT {key} AS k, count(*) AS n, {values} AS h FROM {ident(view)} GROUP BY 1"

    row = con.execute(
        f"WITH a AS ({keyed(before_view)}), b AS ({keyed(after_view)}) "
        "SELECT count(*) FILTER (WHERE a.k IS NULL), count(*) FILTER (WHERE b.k IS NULL), "
        "count(*) FILTER (WHERE a.k IS NOT NULL AND b.k IS NOT NULL "
        "AND (a.n <> b.n OR a.h <> b.h)) FROM a FULL OUTER JOIN b ON a.k = b.k"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def compare(
    con: duckdb.DuckDBPyConnection,
    views: tuple[str, str],
    versions: tuple[Mapping[str, Any], Mapping[str, Any]],
    profiles: tuple[Profile, Profile],
    key_fields: Sequence[str],
) -> Comparison:
    """Compare two versions, each given as (view name, version facts, profile), older first.

    `versions` hold `dataset_id`, `number` and `schema` (the stored column list).
    """
    before, after = versions
    names_before = [column["name"] for column in before["schema"]]
    names_after = {column["name"] for column in after["schema"]}
    shared = [name for name in names_before if name in names_after]
    keyed = bool(key_fields) and all(name in shared for name in key_fields)
    counts = row_changes(con, *views, key_fields, shared) if keyed else (None, None, None)
    return Comparison(
        dataset_id=str(after["dataset_id"]),
        from_version=int(before["number"]),
        to_version=int(after["number"]),
        rows_before=profiles[0].row_count,
        rows_after=profiles[1].row_count,
        key_fields=list(key_fields) if keyed else [],
        rows_added=counts[0],
        rows_removed=counts[1],
        rows_changed=counts[2],
        schema_changes=schema_changes(before["schema"], after["schema"]),
        shifts=shifts(*profiles),
    )
