"""Complementary suppression benchmark: Steward's engine against sdcTable's published results.

The tables in bench/data/suppression/ are copies of ../shared/bench/suppression/ (169 real
Connecticut towns -> 8 counties -> state, synthetic negative binomial counts; see the README
there, which also gives sdcTable 0.34.0's results on a 2-core machine). For each table and rule
(1-5, 1-10) this runs, at sdcTable's protection (each primary cell's interval reaches 1 below
and 1 above its value; zeros published and never used to protect):

1. the county hierarchy: secondary count and value, time, audit time (audit included in total);
2. the same with protection width 3;
3. the planning-region hierarchy linked to the county one;
4. a seeded 169 towns x 12 months x 8 categories table (county hierarchy).

Every pattern is audited (the engine's independent attacker LP audit) and must pass.

    .venv/bin/python bench/suppression.py              # everything
    .venv/bin/python bench/suppression.py --quick      # the four sdcTable comparisons only
"""

from __future__ import annotations

import argparse
import csv
import platform
import time
from pathlib import Path

import numpy as np

from steward.privacy.audit import audit
from steward.privacy.hierarchy import ct_town_county, ct_town_region, flat
from steward.privacy.policy import Policy
from steward.privacy.primary import find_primary
from steward.privacy.secondary import Options, protect
from steward.privacy.table import Dimension, Table, build_table
from steward.standards.profile import default_profile

DATA = Path(__file__).parent / "data" / "suppression"
SDCTABLE_OPT = {
    ("ct_town_x5_categories.csv", 5): (75, 857),
    ("ct_town_x5_categories.csv", 10): (47, 763),
    ("ct_town_x10_categories.csv", 5): (45, 379),
    ("ct_town_x10_categories.csv", 10): (10, 141),
}


def bench_table(path: Path, linked: bool) -> Table:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    hierarchies = (ct_town_county(), ct_town_region()) if linked else (ct_town_county(),)
    town = Dimension("town", hierarchies)
    category = flat("category", sorted({row["category"] for row in rows}))
    inner = {(("town", r["town"]), ("value", r["category"])): float(r["n"]) for r in rows}
    return build_table([town, category], inner)


def big_table(seed: int = 20261126) -> Table:
    """169 towns x 12 months x 8 categories, negative binomial counts (mean 19, size 1.2)."""
    rng = np.random.default_rng(seed)
    towns = [town.name for town in default_profile().towns]
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    categories = [f"cat{c}" for c in range(8)]
    inner = {}
    for town in towns:
        for month in months:
            for category in categories:
                value = float(rng.negative_binomial(1.2, 1.2 / (1.2 + 19)))
                inner[(("town", town), ("value", month), ("value", category))] = value
    return build_table(
        [
            Dimension("town", (ct_town_county(),)),
            flat("month", months),
            flat("category", categories),
        ],
        inner,
    )


def run(table: Table, max_n: int, width: int, time_limit: float) -> dict[str, object]:
    started = time.perf_counter()
    policy = Policy(name="bench", max_suppressed=max_n, protection=width, singleton_rule=False)
    primary = find_primary(table, policy)
    pattern = protect(table, primary, Options(time_limit=time_limit, singleton_rule=False))
    protected = time.perf_counter()
    report = audit(table, primary, pattern.suppressed, singleton_rule=False)
    done = time.perf_counter()
    secondary = pattern.secondary
    return {
        "cells": table.size,
        "primary": int(primary.mask.sum()),
        "secondary": int(secondary.size),
        "value": int(table.values[secondary].sum()),
        "method": pattern.method,
        "protect_s": protected - started,
        "audit_s": done - protected,
        "total_s": done - started,
        "lps": report.solves,
        "passed": report.passed,
    }


def line(label: str, result: dict[str, object], reference: tuple[int, int] | None) -> str:
    ref = f"{reference[0]} / {reference[1]:,}" if reference else "-"
    return (
        f"| {label} | {result['cells']:,} | {result['primary']} | {ref} | "
        f"{result['secondary']} / {result['value']:,} | {result['protect_s']:.2f} | "
        f"{result['audit_s']:.2f} ({result['lps']:,} LPs) | {result['total_s']:.2f} | "
        f"{'yes' if result['passed'] else 'NO'} | {result['method']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Only the sdcTable comparisons.")
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, 1 thread")
    header = (
        "| table, rule | cells | primary | sdcTable OPT | Steward | protect s | audit s | "
        "total s | audit passed | method |\n|---|---:|---:|---|---|---:|---:|---:|---|---|"
    )
    sections = [("county hierarchy, width 1", False, 1)]
    if not args.quick:
        sections += [
            ("county hierarchy, width 3", False, 3),
            ("linked county + planning region hierarchies, width 1", True, 1),
            ("linked, width 3", True, 3),
        ]
    for title, linked, width in sections:
        print(f"\n{title}\n\n{header}")
        for name, max_n in SDCTABLE_OPT:
            table = bench_table(DATA / name, linked)
            result = run(table, max_n, width, args.time_limit)
            reference = SDCTABLE_OPT[(name, max_n)] if width == 1 and not linked else None
            print(line(f"{name.removesuffix('.csv')}, 1-{max_n}", result, reference), flush=True)
    if not args.quick:
        print(f"\n169 towns x 12 months x 8 categories (county hierarchy), width 1\n\n{header}")
        table = big_table()
        for max_n in (5, 10):
            print(
                line(
                    f"towns x months x categories, 1-{max_n}",
                    run(table, max_n, 1, args.time_limit),
                    None,
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
