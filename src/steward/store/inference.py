"""Decide each column's type over every value, reading a large file as few times as possible.

A sample of the first SAMPLE_ROWS rows rules kinds out cheaply (one misfit anywhere rules a kind
out everywhere). When the sample is the whole file its verdict is final. Otherwise the surviving
kind is a guess that the writing pass checks value by value with a guard raising SPECULATION
from inside DuckDB; on the first misfit the caller runs one exact pass and writes again. Columns
with no values in the sample are written as text and settled afterwards from the written file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb

from steward.store.engine import Source
from steward.store.kinds import (
    KINDS,
    KINDS_BY_KEY,
    TEXT,
    Kind,
    accepted_by,
    choose_kind,
    classify,
    guarded,
    native_kind,
)

PROBE_ROWS = 1_000
SAMPLE_ROWS = 100_000
SPECULATION = "steward-speculation"
EXACT, GUESS, UNKNOWN = "exact", "guess", "unknown"


@dataclass(frozen=True)
class ColumnPlan:
    kind: Kind
    status: str  # EXACT: proven over every value; GUESS: from the sample; UNKNOWN: no values seen
    accepted: tuple[str, ...] = ()  # kinds the sample left standing


@dataclass(frozen=True)
class _Stats:
    rows: int
    has_values: dict[int, bool]
    accepted: dict[int, tuple[str, ...]]


def _collect(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    params: dict[str, object],
    checks: Mapping[int, Sequence[Kind]],
) -> _Stats:
    """One aggregate query: row count, and per column whether it has values and which kinds fit."""
    expressions = ["count(*)"]
    expressions += [f"bit_or({classify(f'c{i}', kinds)})" for i, kinds in checks.items()]
    (row,) = con.execute(f"SELECT {', '.join(expressions)} FROM {relation}", params).fetchall()
    classes = dict(zip(checks, (int(value or 0) for value in row[1:]), strict=True))
    accepted = {
        index: tuple(key for key in accepted_by(classes[index]) if key in _keys(checks[index]))
        for index in checks
    }
    return _Stats(int(row[0]), {i: bool(bits) for i, bits in classes.items()}, accepted)


def _keys(kinds: Sequence[Kind]) -> set[str]:
    return {kind.key for kind in kinds}


def plan_from_sample(con: duckdb.DuckDBPyConnection, source: Source) -> list[ColumnPlan]:
    """Plans from the first rows: a small probe settles text columns, a larger sample the rest."""
    inferred = {i: KINDS for i, t in enumerate(source.types) if native_kind(t) is None}
    probe = _collect(con, _head(source, PROBE_ROWS), source.params, inferred)
    open_columns = {
        index: [KINDS_BY_KEY[key] for key in probe.accepted[index]]
        if probe.has_values[index]
        else KINDS
        for index in inferred
        if probe.accepted[index] or not probe.has_values[index]
    }
    stats = probe
    if probe.rows > PROBE_ROWS and open_columns:
        stats = _collect(con, _head(source, SAMPLE_ROWS), source.params, open_columns)
    whole = stats.rows <= SAMPLE_ROWS if stats is not probe else probe.rows <= PROBE_ROWS
    plans = []
    for index, duck_type in enumerate(source.types):
        native = native_kind(duck_type)
        if native is not None:
            plans.append(ColumnPlan(native, EXACT))
        elif index not in open_columns:
            plans.append(ColumnPlan(TEXT, EXACT))
        else:
            plans.append(_sampled(stats.has_values[index], stats.accepted[index], whole))
    return plans


def _head(source: Source, rows: int) -> str:
    # One row more than asked tells whether the sample was the whole file.
    return f"(SELECT * FROM {source.relation(None)} LIMIT {rows + 1})"


def _sampled(has_values: bool, accepted: tuple[str, ...], whole: bool) -> ColumnPlan:
    kind = choose_kind(has_values, accepted)
    # A value that fits no kind in the sample makes the column text for certain.
    settled = whole or (kind is TEXT and has_values)
    status = EXACT if settled else GUESS if has_values else UNKNOWN
    return ColumnPlan(kind, status, accepted)


def plan_exact(
    con: duckdb.DuckDBPyConnection, source: Source, plans: list[ColumnPlan], relation: str
) -> list[ColumnPlan]:
    """Settle every GUESS and UNKNOWN column over all rows of `relation`."""
    checks: dict[int, Sequence[Kind]] = {}
    for index, plan in enumerate(plans):
        if plan.status == GUESS:
            checks[index] = [KINDS_BY_KEY[key] for key in plan.accepted]
        elif plan.status == UNKNOWN:
            checks[index] = KINDS
    if not checks:
        return plans
    stats = _collect(con, relation, source.params, checks)
    settled = list(plans)
    for index in checks:
        kind = choose_kind(stats.has_values[index], stats.accepted[index])
        settled[index] = ColumnPlan(kind, EXACT, stats.accepted[index])
    return settled


def select_list(plans: list[ColumnPlan]) -> str:
    """The SELECT list converting c0, c1, ... as planned, keeping positional names."""
    expressions = []
    for index, plan in enumerate(plans):
        v = f"c{index}"
        if plan.status == GUESS:
            expression = guarded(plan.kind, v, f"{SPECULATION}:{index}")
        elif plan.status == UNKNOWN:
            expression = TEXT.parse(v)
        else:
            expression = plan.kind.parse(v)
        expressions.append(f"{expression} AS {v}")
    return ", ".join(expressions)


def kept(plan: ColumnPlan) -> ColumnPlan:
    """The plan for re-reading an already written column unchanged."""
    kind = plan.kind if plan.status != UNKNOWN else TEXT
    return ColumnPlan(Kind(kind.key, kind.type, kind.physical, lambda v: v), EXACT)


def proven(plan: ColumnPlan) -> ColumnPlan:
    """A guess that survived a whole writing pass held for every value."""
    return ColumnPlan(plan.kind, EXACT, plan.accepted) if plan.status == GUESS else plan
