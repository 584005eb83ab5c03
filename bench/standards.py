"""Standards benchmark: normalize a 5,000,000-value town column.

The column is drawn (seeded) from every spelling of a place in the medical examiner's file
(residence and death cities: upper and mixed case, villages, ZIP codes, typos, other states),
weighted by how often each occurs there, plus every town name in four letter cases. Steward's
`normalize_column` finds the distinct values in Arrow, normalizes each once (exact, variants,
fuzzy), and spreads the companion columns (`_town`, `_town_fips`, status) back to every row.

    .venv/bin/python bench/standards.py                  # 5,000,000 values, 5 timed runs
    .venv/bin/python bench/standards.py --write-docs     # also rewrite `## Standards`

Figures: the first run in a fresh process (it builds the matcher and loads the ZIP data) and
the median of the warm runs, as values per second; and, for scale, matching row by row.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
ADRD = (
    ROOT / "src/steward/demo/data/datasets/accidental_drug_related_deaths_2012-2017_rybz-nyjw.csv"
)
DOCS = ROOT / "docs" / "benchmarks.md"
COMMAND = ".venv/bin/python bench/standards.py --rows 5000000 --runs 5"


def build_column(rows: int, seed: int) -> pa.ChunkedArray:
    from steward.standards.profile import default_profile

    counts: Counter[str] = Counter()
    with ADRD.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            counts.update([row["Residence City"], row["Death City"]])
    for town in default_profile().towns:
        for spelling in (town.name, town.name.upper(), town.name.lower(), f"Town of {town.name}"):
            counts[spelling] += 5
    values = list(counts)
    picks = random.Random(seed).choices(range(len(values)), weights=list(counts.values()), k=rows)
    dictionary = pa.array([value or None for value in values], pa.string())
    return pa.chunked_array([pc.take(dictionary, pa.array(picks, pa.int32()))])


def run(rows: int, runs: int, seed: int) -> dict[str, float]:
    from steward.standards.columns import normalize_column
    from steward.standards.registry import get_element
    from steward.standards.towns import town_matcher

    column = build_column(rows, seed)
    element = get_element("ct_town")
    start = time.perf_counter()
    first = normalize_column(column, element)
    cold = time.perf_counter() - start
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        result = normalize_column(column, element)
        warm.append(time.perf_counter() - start)
    assert result.rows == first.rows and sum(result.rows.values()) == rows
    sample = column.slice(0, 100_000).to_pylist()
    matcher = town_matcher()
    start = time.perf_counter()
    for value in sample:
        matcher.match(value)
    per_row = len(sample) / (time.perf_counter() - start)
    return {
        "rows": rows,
        "distinct": len(first.outcomes),
        "cold_s": cold,
        "warm_s": statistics.median(warm),
        "per_row": per_row,
        **{f"rows_{status}": count for status, count in first.rows.items()},
    }


def section(figures: dict[str, float], runs: int) -> str:
    rows = int(figures["rows"])
    cold = f"{figures['cold_s']:.2f} | {rows / figures['cold_s']:,.0f}"
    warm = f"{figures['warm_s']:.2f} | {rows / figures['warm_s']:,.0f}"
    statuses = ", ".join(
        f"{int(figures[key]):,} {key.removeprefix('rows_').replace('_', ' ')}"
        for key in sorted(figures)
        if key.startswith("rows_")
    )
    return f"""## Standards

What it measures: `steward.standards.columns.normalize_column` on a {rows:,}-value town column
under `ct_town` (the work the ingest hook does per opted-in field, before writing): find the
distinct values (Arrow), normalize each once, and build the `_town`, `_town_fips` and status
columns for every row. The column is drawn (seed 7) from every residence and death city
spelling in the medical examiner's file, weighted by frequency, plus every town name in four
letter cases: {int(figures["distinct"]):,} distinct values.

```
{COMMAND}
```

Machine: {platform.machine()}, Python {platform.python_version()}, pyarrow {pa.__version__}; the
machine is shared with other sessions, so wall times are noisy.

| run | seconds | values/s |
|---|---|---|
| first in a fresh process (builds the matcher, loads the ZIP data) | {cold} |
| warm (median of {runs}) | {warm} |
| row by row, no reuse (100,000-value sample) | - | {figures["per_row"]:,.0f} |

Target: at least 1,000,000 values/s by matching distinct values once. Outcome per row:
{statuses}.
"""


def write_docs(text: str) -> None:
    """Replace the `## Standards` section (or append it), leaving every other section alone."""
    current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Standards\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(current):
        updated = pattern.sub(lambda _match: text.rstrip() + "\n\n", current)
    else:
        updated = current.rstrip() + "\n\n" + text
    DOCS.write_text(updated.rstrip() + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    figures = run(args.rows, args.runs, args.seed)
    text = section(figures, args.runs)
    print(text)
    if args.write_docs:
        write_docs(text)


if __name__ == "__main__":
    main(sys.argv[1:])
