"""Run one rule on one version: the failing row count and up to `SAMPLES` failing rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb

from steward.errors import StewardError
from steward.quality import standards
from steward.quality.convert import jsonable
from steward.quality.duck import ident
from steward.quality.rules import ROW_ID, failing_condition

SAMPLES = 5
VIEW = "dataset"


@dataclass(frozen=True)
class Outcome:
    passed: bool
    failing_count: int
    checked_count: int
    message: str
    samples: list[dict[str, Any]] = field(default_factory=list)


def evaluate(
    con: duckdb.DuckDBPyConnection,
    rule: Mapping[str, Any],
    types: Mapping[str, str],
    row_count: int,
    previous_rows: int | None,
) -> Outcome:
    """`rule` holds `kind`, `fields` and `params`; the version is the view `dataset`."""
    if rule["kind"] == "row_count_change":
        return row_count_change(rule["params"], row_count, previous_rows)
    missing = [name for name in rule["fields"] if name not in types]
    if missing:
        return Outcome(False, row_count, row_count, f"field {missing[0]!r} is not in this version")
    try:
        if rule["kind"] == "standard":
            return _standard(con, rule["fields"][0], rule["params"]["element"], row_count)
        condition, params = failing_condition(rule["kind"], rule["fields"], rule["params"], types)
        return _run(con, condition, params, row_count)
    except (duckdb.Error, StewardError) as exc:
        reason = exc.message if isinstance(exc, StewardError) else str(exc).splitlines()[0]
        return Outcome(False, row_count, row_count, f"could not be checked: {reason}")


def _run(
    con: duckdb.DuckDBPyConnection, condition: str, params: list[object], row_count: int
) -> Outcome:
    where = f"FROM {ident(VIEW)} WHERE {condition}"
    counted = con.execute(f"SELECT count(*) {where}", params).fetchone()
    failing = int(counted[0]) if counted else 0
    if not failing:
        return Outcome(True, 0, row_count, "every row passes")
    cursor = con.execute(f"SELECT * {where} ORDER BY {ident(ROW_ID)} LIMIT {SAMPLES}", params)
    names = [":id" if column[0] == ROW_ID else column[0] for column in cursor.description or []]
    samples = [
        {name: jsonable(value) for name, value in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]
    return Outcome(False, failing, row_count, f"{failing:,} of {row_count:,} rows fail", samples)


def _standard(con: duckdb.DuckDBPyConnection, name: str, element: str, row_count: int) -> Outcome:
    counts, distinct = standards.distinct_values(con, VIEW, name)
    bad = [value for value, _ in standards.invalid_values(element, counts)]
    q = ident(name)
    if not bad:
        outcome = Outcome(True, 0, row_count, "every row passes")
    else:
        condition = f"CAST({q} AS VARCHAR) IN (SELECT unnest(CAST($1 AS VARCHAR[])))"
        outcome = _run(con, condition, [bad], row_count)
    unchecked = distinct - len(counts)
    if unchecked > 0:
        note = f"; {unchecked:,} rarer distinct values not checked"
        outcome = replace(outcome, message=outcome.message + note)
    return outcome


def row_count_change(
    params: Mapping[str, Any], row_count: int, previous_rows: int | None
) -> Outcome:
    """
    >>> row_count_change({"min_change_pct": -10, "max_change_pct": None}, 80, 100).message
    'rows changed by -20.0% (from 100 to 80); allowed: at least -10%'
    """
    if previous_rows is None:
        return Outcome(True, 0, 1, "no earlier version to compare with")
    if previous_rows == 0:
        change = 0.0 if row_count == 0 else float("inf")
    else:
        change = 100 * (row_count - previous_rows) / previous_rows
    low, high = params.get("min_change_pct"), params.get("max_change_pct")
    passed = (low is None or change >= low) and (high is None or change <= high)
    bounds = " and ".join(
        text
        for text in (
            f"at least {low:g}%" if low is not None else "",
            f"at most {high:g}%" if high is not None else "",
        )
        if text
    )
    message = f"rows changed by {change:+.1f}% (from {previous_rows:,} to {row_count:,})"
    if not passed:
        message += f"; allowed: {bounds}"
    return Outcome(passed, 0 if passed else 1, 1, message)
