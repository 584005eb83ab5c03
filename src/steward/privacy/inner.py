"""Reading a table's inner cells from CSV, and the dimension options that say how they roll up.

A dimension is written `NAME` (a plain dimension: its values and their total), `NAME=HIERARCHY`
(a built-in hierarchy; give the same NAME twice for linked hierarchies) or comes from a custom
hierarchy file given for NAME.

>>> specs = parse_dimensions(["town=ct_town_county", "year", "town=ct_town_region"])
>>> [(spec.name, spec.hierarchies) for spec in specs]
[('town', ['ct_town_county', 'ct_town_region']), ('year', [])]
>>> text = "town,year,n\\nHartford,2017,4\\nHARTFORD,2016,0\\nBolton,2017,2\\n"
>>> table = table_from_csv(text, "n", specs)
>>> table.value_of((("total", "Total"), ("value", "2017")))
6.0
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from steward.errors import Invalid
from steward.privacy.hierarchy import builtin, flat, read_hierarchy_file
from steward.privacy.table import Dimension, Key, Table, build_table


@dataclass
class DimensionSpec:
    name: str
    hierarchies: list[str] = field(default_factory=list)
    custom: str | None = None
    """The text of a custom hierarchy file, when one was given for this dimension."""


def parse_dimensions(
    options: Sequence[str], hierarchy_files: Mapping[str, str] | None = None
) -> list[DimensionSpec]:
    """Dimension options in order (a name given twice gathers its hierarchies)."""
    found: dict[str, DimensionSpec] = {}
    for option in options:
        name, _, hierarchy = (part.strip() for part in option.partition("="))
        if not name:
            raise Invalid(f"--dim {option!r}: give a column name, optionally =HIERARCHY")
        spec = found.setdefault(name, DimensionSpec(name))
        if hierarchy:
            spec.hierarchies.append(hierarchy)
    for name, text in (hierarchy_files or {}).items():
        found.setdefault(name, DimensionSpec(name)).custom = text
    if not found:
        raise Invalid("give at least one dimension (--dim COLUMN)")
    return list(found.values())


def parse_hierarchy_option(option: str) -> tuple[str, str]:
    """`NAME=PATH` of a --hierarchy-file option."""
    name, sep, path = option.partition("=")
    if not sep or not name.strip() or not path.strip():
        raise Invalid(f"--hierarchy-file {option!r}: write it as COLUMN=PATH")
    return name.strip(), path.strip()


def dimension_for(spec: DimensionSpec, values: Sequence[str]) -> Dimension:
    hierarchies = [builtin(name, values) for name in spec.hierarchies]
    if spec.custom is not None:
        hierarchies.append(read_hierarchy_file(spec.name, spec.custom))
    if not hierarchies:
        hierarchies.append(flat(spec.name, sorted(set(values))))
    return Dimension(spec.name, tuple(hierarchies))


def read_rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames:
        raise Invalid("the input CSV has no header")
    return [dict(row) for row in reader]


def table_from_rows(
    rows: Sequence[Mapping[str, str | None]], count: str, specs: Sequence[DimensionSpec]
) -> Table:
    """The full table from inner-cell rows: one column per dimension plus the count."""
    if not rows:
        raise Invalid("the input has no rows")
    columns = set(rows[0])
    missing = [c for c in [*(s.name for s in specs), count] if c not in columns]
    if missing:
        raise Invalid(f"the input has no column(s) {', '.join(missing)}")
    dims = [dimension_for(s, [str(row[s.name] or "").strip() for row in rows]) for s in specs]
    inner: dict[Key, float] = {}
    seen: list[dict[str, tuple[str, str]]] = [{} for _ in dims]
    for number, row in enumerate(rows, start=2):
        key = tuple(
            _leaf(dim, str(row[dim.name] or ""), number, known)
            for dim, known in zip(dims, seen, strict=True)
        )
        inner[key] = inner.get(key, 0.0) + _count(row[count], count, number)
    return build_table(dims, inner)


def table_from_csv(text: str, count: str, specs: Sequence[DimensionSpec]) -> Table:
    return table_from_rows(read_rows(text), count, specs)


def _leaf(
    dim: Dimension, value: str, line: int, known: dict[str, tuple[str, str]]
) -> tuple[str, str]:
    if value in known:
        return known[value]
    leaf = dim.leaf(value)
    if leaf is None:
        raise Invalid(f"line {line}: {value!r} is not a {dim.leaves[0][0]} of {dim.name}")
    known[value] = leaf
    return leaf


def _count(text: str | None, column: str, line: int) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        raise Invalid(f"line {line}: {column} {text!r} is not a number") from None
    if value < 0 or value != value:
        raise Invalid(f"line {line}: {column} must not be negative")
    return value


@cache
def ct_population_estimates() -> dict[str, dict[str, float]]:
    """Town populations by year (`{"2020": {"Andover": 3232.0, ...}}`) from the bundled DPH
    estimates, 1996-2020."""
    path = files("steward.demo").joinpath(
        "data/datasets/dph_population_by_town_1996-2020_ctdata.csv"
    )
    found: dict[str, dict[str, float]] = {}
    for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
        if row["Measure Type"] == "Number":
            found.setdefault(row["Year"], {})[row["Town"]] = float(row["Value"])
    return found


def ct_town_populations(year: str = "2020") -> dict[str, float]:
    """Town populations of one year from the bundled DPH estimates (for a population floor)."""
    found = ct_population_estimates().get(year)
    if not found:
        raise Invalid(f"no town populations for {year}")
    return dict(found)
