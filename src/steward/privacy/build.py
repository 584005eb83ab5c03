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
from steward.privacy.engine import Protection, protect_table, reaudit
from steward.privacy.inner import (
    ct_population_estimates,
    ct_town_populations,
    parse_dimensions,
    table_from_rows,
)
from steward.privacy.linked import link
from steward.privacy.policy import Policy
from steward.privacy.rates import (
    PERCENT,
    Rate,
    cell_populations,
    make_rates,
    rate_column,
    rate_facts,
    secure_rates,
    share_cells,
)
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


@dataclass(frozen=True)
class RateAsk:
    """The rate columns one table asks for: its share of the row total, a rate per residents."""

    percent: bool = False
    per: int | None = None


PartRates = dict[str, list[Rate]]


def protect_rates(
    protection: Protection,
    asks: Sequence[RateAsk],
    area_dimension: str | None,
    population_year: int = 2020,
    year_dimension: str | None = None,
) -> list[PartRates]:
    """Each table's rate columns (aligned with its cells) under the protection's policy; the
    protection's audit is replaced by one that includes every fact the rates publish, after
    withholding the rates that would give a suppressed cell away.

    Rates per residents use `population_year`'s estimates, or with a `year_dimension` each
    year's own (`population_year`'s for a year without estimates; see `cell_populations`)."""
    table, policy = protection.table, protection.policy
    suppressed = protection.pattern.suppressed
    populations = None
    found: list[PartRates] = []
    for (_name, dims, cells), ask in zip(protection.parts(), asks, strict=True):
        columns: PartRates = {}
        if ask.percent:
            rows = share_cells(table, dims, cells)
            pairs = [(c, d, float(table.values[d])) for c, d in zip(cells, rows, strict=True)]
            columns[PERCENT] = make_rates(table, suppressed, policy, PERCENT, 100.0, pairs)
        if ask.per:
            if populations is None:
                people = ct_town_populations(str(population_year))
                by_year = ct_population_estimates() if year_dimension else None
                populations = cell_populations(
                    table, area_dimension, people, year_dimension, by_year
                )
            by_people = [(c, None, float(populations[c])) for c in cells]
            name = rate_column(ask.per)
            columns[name] = make_rates(table, suppressed, policy, name, ask.per, by_people)
        found.append(columns)
    every = [rate for part in found for rates in part.values() for rate in rates]
    if every:
        protection.audit = secure_rates(
            table, suppressed, every, policy, lambda facts: reaudit(protection, facts)
        )
    return found


def year_dimension_of(dims: Sequence[str], derive: Mapping[str, tuple[str, str]]) -> str | None:
    """The dimension holding years: one derived as `year:COLUMN`, else one named `year`.

    >>> year_dimension_of(["town=ct_town_county", "yr"], {"yr": ("year", "date")})
    'yr'
    >>> year_dimension_of(["town=ct_town_county", "sex"], {}) is None
    True
    """
    names = [option.partition("=")[0].strip() for option in dims]
    derived = [name for name in names if derive.get(name, ("",))[0] == "year"]
    found = derived or [name for name in names if name == "year"]
    return found[0] if found else None


def population_years(
    table: Table, year_dimension: str | None, population_year: int
) -> dict[str, Any]:
    """Which population estimates the rates per residents used (for the release's summary)."""
    names = [dim.name for dim in table.dims]
    if year_dimension not in names:
        return {"estimates": [str(population_year)], "years_without_estimates": []}
    years = [leaf[1] for leaf in table.dims[names.index(year_dimension)].leaves]
    known = ct_population_estimates()
    return {
        "estimates": sorted({y if y in known else str(population_year) for y in years}),
        "years_without_estimates": sorted(y for y in years if y not in known),
        "fallback_year": population_year,
        "year_dimension": year_dimension,
    }


def rates_summary(protection: Protection, found: Sequence[PartRates]) -> dict[str, Any]:
    """How many rates each status holds, and how many facts the audit took from them."""
    every = [rate for part in found for rates in part.values() for rate in rates]
    statuses: dict[str, int] = {}
    for rate in every:
        statuses[rate.status] = statuses.get(rate.status, 0) + 1
    columns = sorted({name for part in found for name in part})
    counts = protection.table.top is None
    facts = rate_facts(every, protection.policy, counts)
    return {"columns": columns, "statuses": statuses, "facts": len(facts)}


def released_tables(
    protection: Protection,
    names: Sequence[str],
    count_name: str,
    rates: Sequence[PartRates] = (),
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Each table as (name, columns, rows): the cells with their status, then each rate and its
    status, then, for a suppressed cell, why."""
    found = []
    decimals = protection.policy.percent_decimals
    for part, name in enumerate(names):
        rows = protection.rows(part, count_name=count_name, with_reason=True)
        columns = list(rows[0]) if rows else []
        extra = rates[part] if part < len(rates) else {}
        if extra:
            columns = columns[:-1]
            for column in extra:
                columns += [column, f"{column}_status"]
            columns.append("reason")
        table_rows = []
        for position, row in enumerate(rows):
            for column, values in extra.items():
                rate = values[position]
                row[column] = "" if rate.shown is None else f"{rate.shown:.{decimals}f}"
                row[f"{column}_status"] = rate.status
            table_rows.append([row[c] for c in columns])
        found.append((name, columns, table_rows))
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
