"""Benchmark: steward's ingest_file against a bare DuckDB CSV -> Parquet COPY of the same file.

    .venv/bin/python bench/ingest.py --rows 5000000

Generates a CSV of `--rows` rows and 15 columns (IDs with leading zeros, integers, decimals,
money strings, three date formats, checkboxes, text with quoted commas, quotes and newlines),
then times, each in its own subprocess so that peak RSS is that run's own:

- bare:   COPY (SELECT * FROM read_csv('x.csv')) TO 'x.parquet'  (DuckDB's defaults)
- ingest: steward.store.ingest_file (hashing, strict type inference over every value, __id)

and prints rows/s, peak RSS and the ingest/bare time ratio (median of --repeat runs).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

_GENERATE = """
COPY (
  SELECT
    lpad(((i * 7919) % 10000000000)::VARCHAR, 10, '0') AS "FIPS",
    lpad(((i * 31) % 100000)::VARCHAR, 5, '0') AS "ZIP",
    ['Andover', 'Ansonia', 'Ashford', 'Avon', 'Barkhamsted', 'New Haven', 'Hartford'][1 + i % 7]
      AS "Town",
    (i % 100000)::VARCHAR AS "Total cases ",
    (1996 + i % 25)::VARCHAR AS "Year",
    ((i * 13) % 1000003)::VARCHAR AS "People tested",
    round((i % 10007) / 7.0, 3)::VARCHAR AS "Case rate",
    round(((i * 13) % 99991) / 100.0 - 300, 2)::VARCHAR AS "Change",
    '$' || format('{{:,.2f}}', ((i * 17) % 100000000) / 100.0) AS "Grant Amount",
    strftime(DATE '2010-01-01' + (i % 4000)::INTEGER, '%m/%d/%Y') AS "Date",
    strftime(TIMESTAMP '2020-01-01' + to_seconds(i % 86400 * 97), '%m/%d/%Y %I:%M:%S %p')
      AS "Last update date",
    strftime(DATE '2000-01-01' + (i % 9000)::INTEGER, '%Y-%m-%d') AS "Report date",
    ['Number', 'Percent'][1 + i % 2] AS "Measure Type",
    'Note ' || (i % 977)::VARCHAR || ', see '
      || ['"appendix"', 'table', 'line' || chr(10) || 'two'][1 + i % 3] AS "Notes",
    CASE WHEN i % 3 = 0 THEN 'true' ELSE 'false' END AS "Flag"
  FROM range({rows}) AS t(i)
) TO '{path}' (HEADER, DELIMITER ',')
"""

_BARE = """
import duckdb, json, resource, sys, time
before = resource.getrusage(resource.RUSAGE_SELF)
start = time.perf_counter()
duckdb.connect().execute(
    "COPY (SELECT * FROM read_csv($source)) TO '" + sys.argv[2].replace("'", "''") + "'",
    {"source": sys.argv[1]},
)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_rss": usage.ru_maxrss * 1024}))
"""

_INGEST = """
import json, resource, sys, time
from pathlib import Path
from steward.store import ingest_file
before = resource.getrusage(resource.RUSAGE_SELF)
start = time.perf_counter()
result = ingest_file(Path(sys.argv[1]), Path(sys.argv[2]))
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
types = [column.physical for column in result.columns]
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_rss": usage.ru_maxrss * 1024,
                  "rows": result.row_count, "types": types}))
"""


def generate(path: Path, rows: int) -> None:
    with duckdb.connect() as con:
        con.execute(_GENERATE.format(rows=int(rows), path=str(path).replace("'", "''")))


def run_child(script: str, source: Path, target: Path) -> dict[str, Any]:
    target.unlink(missing_ok=True)
    output = subprocess.run(
        [sys.executable, "-c", script, str(source), str(target)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the median counts")
    parser.add_argument("--workdir", type=Path, help="where to put the files (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as scratch:
        work = Path(scratch)
        source = work / "x.csv"
        started = time.perf_counter()
        generate(source, args.rows)
        size = source.stat().st_size
        elapsed = time.perf_counter() - started
        print(f"generated {args.rows:,} rows, {size / 1e6:,.0f} MB in {elapsed:.1f} s")
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        bare, ingest = [], []
        for _ in range(args.repeat):  # alternate, so both see the same machine conditions
            bare.append(run_child(_BARE, source, work / "bare.parquet"))
            ingest.append(run_child(_INGEST, source, work / "v1.parquet"))
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        report(args.rows, size, bare, ingest)


def report(rows: int, size: int, bare: list[dict[str, Any]], ingest: list[dict[str, Any]]) -> None:
    print(f"column types: {', '.join(ingest[-1]['types'])}")
    print("| run | wall s (median) | CPU s (median) | rows/s | MB/s | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    medians = {}
    for name, runs in (("bare DuckDB COPY", bare), ("steward ingest_file", ingest)):
        wall = statistics.median(run["seconds"] for run in runs)
        cpu = statistics.median(run["cpu"] for run in runs)
        peak = max(run["peak_rss"] for run in runs) / 2**20
        medians[name] = (wall, cpu)
        speed = f"{rows / wall:,.0f} | {size / wall / 1e6:,.0f}"
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {speed} | {peak:,.0f} |")
    (bare_wall, bare_cpu), (wall, cpu) = medians.values()
    print(f"ratio ingest/bare: wall {wall / bare_wall:.2f}x, CPU {cpu / bare_cpu:.2f}x")
    for name, runs in (("bare", bare), ("ingest", ingest)):
        print(f"{name} runs (wall s): " + ", ".join(f"{run['seconds']:.2f}" for run in runs))


if __name__ == "__main__":
    main()
