"""Releases from a dataset's rows (pure: rows in, protected tables or an extract out).

A table release counts rows (or sums a column) over the dimensions of each table, with every
margin of their hierarchies; tables released together are linked and protected jointly, so no
cell can be worked out by combining them. An extract generalizes quasi-identifiers until each
class holds k records and replaces the identifier by a keyed pseudonym.

>>> rows = [{"town": "Hartford", "year": "2017"}] * 12 + [{"town": "Bolton", "year": "2017"}]
>>> built = build_tables(rows, None, [("deaths", ["town=ct_town_county", "year"])])
>>> built.table.size > 100, built.count_name
(True, 'count')
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from steward.errors import Invalid
from steward.privacy.deid import SUPPRESSED, Extract, k_anonymize, pseudonym
from steward.privacy.engine import Protection, protect_table
from steward.privacy.inner import ct_town_populations, parse_dimensions, table_from_rows
from steward.privacy.linked import link
from steward.privacy.policy import Policy
from steward.privacy.source import derive_value
from steward.privacy.table import Table

ONE = "__one"
LADDER_OF_KIND = {"town": "town", "month": "month", "age_band": "age_band", "year": "text"}


@dataclass
class BuiltTables:
    table: Table
    count_name: str
    area_dimension: str | None


def referenced_columns(dims: Sequence[str]) -> list[str]:
    """The column named by each dimension option (`NAME` or `NAME=HIERARCHY`)."""
    return [option.partition("=")[0].strip() for option in dims]


def implicit_derivations(
    dims: Sequence[str], derive: Mapping[str, tuple[str, str]]
) -> dict[str, tuple[str, str]]:
    """Derivations for the dimension columns read as they are: a town hierarchy reads any
    spelling of a town, `month_year` a date; a plain one the value trimmed (blank: `Unknown`).

    >>> implicit_derivations(["city=ct_town_county", "sex", "year"], {"year": ("year", "date")})
    {'year': ('year', 'date'), 'city': ('town', 'city'), 'sex': ('text', 'sex')}
    """
    found = dict(derive)
    for option in dims:
        column, _, hierarchy = (part.strip() for part in option.partition("="))
        if column in found:
            continue
        if hierarchy.startswith("ct_town"):
            found[column] = ("town", column)
        elif hierarchy == "month_year":
            found[column] = ("month", column)
        elif not hierarchy:
            found[column] = ("text", column)
    return found


def build_tables(
    rows: Sequence[Mapping[str, str | None]],
    count: str | None,
    tables: Sequence[tuple[str, Sequence[str]]],
) -> BuiltTables:
    """One table (or the linked system of several) from the rows; `count` None counts rows."""
    if not rows:
        raise Invalid("no rows to aggregate (every row was left out, or the dataset is empty)")
    column = count or ONE
    usable = [{**row, ONE: "1"} for row in rows] if count is None else rows
    names = [name for name, _ in tables]
    if len(set(names)) != len(names):
        raise Invalid("each table of a release needs its own name")
    built = []
    area = None
    for name, dims in tables:
        specs = parse_dimensions(list(dims))
        area = area or next(
            (s.name for s in specs if any(h.startswith("ct_town") for h in s.hierarchies)), None
        )
        built.append((name, table_from_rows(usable, column, specs)))
    table = built[0][1] if len(built) == 1 else link(built)
    return BuiltTables(table, "count" if count is None else count, area)


def protect_built(built: BuiltTables, policy: Policy, time_limit: float) -> Protection:
    populations = ct_town_populations() if policy.population_floor else None
    return protect_table(
        built.table,
        policy,
        populations=populations,
        area_dimension=built.area_dimension,
        time_limit=time_limit,
    )


def released_tables(
    protection: Protection, names: Sequence[str], count_name: str
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Each table as (name, columns, rows): the cells with their status and, for a suppressed
    one, why."""
    found = []
    for part, name in enumerate(names):
        rows = protection.rows(part, count_name=count_name, with_reason=True)
        columns = list(rows[0]) if rows else []
        found.append((name, columns, [[row[c] for c in columns] for row in rows]))
    return found


def summary_of(protection: Protection) -> dict[str, Any]:
    table = protection.table
    primary = protection.primary.mask
    return {
        **protection.summary(),
        "primary_value": float(table.values[primary].sum()),
        "footnote": protection.policy.footnote,
        "symbol": protection.policy.symbol,
    }


@dataclass
class ExtractSpec:
    quasi: Mapping[str, tuple[str, str]]
    """name -> (kind, column): the derived quasi-identifiers."""
    k: int
    keep: Sequence[str] = ()
    identifier: str | None = None
    sensitive: str | None = None
    l_diversity: int | None = None


def build_extract(rows: Sequence[Mapping[str, str | None]], spec: ExtractSpec) -> Extract:
    """A k-anonymous extract: quasi-identifiers derived and generalized, kept columns copied,
    the identifier replaced by a pseudonym keyed with a fresh key used for this extract only
    (and not stored, so the pseudonyms link records within it and nowhere else)."""
    if spec.sensitive and spec.sensitive not in spec.keep:
        raise Invalid(f"the sensitive attribute {spec.sensitive!r} must be one of the kept columns")
    key = secrets.token_bytes(32)
    prepared = []
    for row in rows:
        out: dict[str, str] = {}
        if spec.identifier:
            out["pseudonym"] = pseudonym(key, str(row.get(spec.identifier) or ""))
        for name, (kind, column) in spec.quasi.items():
            out[name] = derive_value(kind, row.get(column)) or SUPPRESSED
        for column in spec.keep:
            out[column] = str(row.get(column) or "").strip()
        prepared.append(out)
    ladders = {name: LADDER_OF_KIND.get(kind, "text") for name, (kind, _c) in spec.quasi.items()}
    return k_anonymize(
        prepared,
        ladders,
        spec.k,
        sensitive=spec.sensitive,
        l_diversity=spec.l_diversity,
    )
