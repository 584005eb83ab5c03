"""Benchmark: steward's DuckDB profile of a Parquet version against `frictionless validate` of a
CSV export of the same rows.

    .venv/bin/python bench/profile.py --rows 10000000

Generates a store-shaped Parquet version (`__id` then 20 typed columns: 7 text, 9 number,
3 timestamp, 1 checkbox, with blanks, low- and high-cardinality values) and a CSV export of its
rows, then runs, each in its own subprocess so that its peak RSS is its own:

- profile: `steward.quality.profiling.profile_view`, the code the ingest CHECK hook runs
  (nulls, distinct counts, min/max, mean/stddev, quantiles, top values, text lengths,
  patterns, histograms, duplicate rows) on the Parquet file;
- peer:    `frictionless validate data.csv` (schema inference, then every cell of every row
  checked against it), on `--peer-rows` rows of the CSV (default: all of them).

It prints wall and CPU seconds, peak RSS and the wall-time ratio, and the load average, since a
shared machine makes wall times noisy.
"""

from __future__ import annotations

import argparse
import json
import os
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
    i + 1 AS __id,
    lpad(((i * 7919) % 10000000000)::VARCHAR, 10, '0') AS fips,
    lpad(((i * 31) % 100000)::VARCHAR, 5, '0') AS zip,
    ['Andover', 'Ansonia', 'Ashford', 'Avon', 'Barkhamsted', 'New Haven', 'Hartford'][1 + i % 7]
      AS town,
    (i % 100000)::BIGINT AS total_cases,
    (1996 + i % 25)::BIGINT AS year,
    ((i * 13) % 1000003)::BIGINT AS people_tested,
    round((i % 10007) / 7.0, 3)::DOUBLE AS case_rate,
    CASE WHEN i % 11 = 0 THEN NULL ELSE round(((i * 13) % 99991) / 100.0 - 300, 2) END::DOUBLE
      AS change,
    (((i * 17) % 100000000) / 100.0)::DOUBLE AS grant_amount,
    (DATE '2010-01-01' + (i % 4000)::INTEGER)::TIMESTAMP AS report_date,
    TIMESTAMP '2020-01-01' + to_seconds(i % 86400 * 97) AS last_update,
    CASE WHEN i % 13 = 0 THEN NULL ELSE (DATE '2000-01-01' + (i % 9000)::INTEGER)::TIMESTAMP END
      AS opened,
    ['Number', 'Percent'][1 + i % 2] AS measure_type,
    'Note ' || (i % 977)::VARCHAR AS notes,
    i % 3 = 0 AS flag,
    CASE WHEN i % 5 = 0 THEN NULL ELSE 'AB-' || lpad((i % 10000)::VARCHAR, 4, '0') END AS code,
    (i * 2654435761 % 4294967296)::BIGINT AS hashed,
    sqrt(i)::DOUBLE AS root,
    md5(i::VARCHAR) AS uid,
    (i % 1000)::BIGINT AS small
  FROM range({rows}) AS t(i)
) TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 262144)
"""
_TYPES = {
    "BIGINT": "number",
    "DOUBLE": "number",
    "VARCHAR": "text",
    "TIMESTAMP": "floating_timestamp",
    "BOOLEAN": "checkbox",
}

_PROFILE = """
import json, resource, sys, time
from pathlib import Path
import duckdb
from steward.quality.duck import connect
from steward.quality.profiling import Column, profile_view
path = Path(sys.argv[1])
types = json.loads(sys.argv[2])
described = duckdb.connect().execute(
    "DESCRIBE SELECT * FROM read_parquet($p)", {"p": str(path)}).fetchall()
columns = [Column(name, types[kind], kind) for name, kind, *_ in described if name != "__id"]
start = time.perf_counter()
with connect(path.parent, {"version": path}) as con:
    profile = profile_view(con, "version", columns)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rows": profile.row_count, "fields": len(profile.fields),
                  "exact": profile.exact}))
"""


def generate(folder: Path, rows: int) -> tuple[Path, Path]:
    """The Parquet version and its CSV export (without `__id`), made once per row count."""
    parquet = folder / "datasets" / "prof-bnch" / f"v{rows}.parquet"
    csv = folder / f"export-{rows}.csv"
    parquet.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        if not parquet.exists():
            partial = parquet.with_suffix(".tmp")
            con.execute(_GENERATE.format(rows=int(rows), path=str(partial).replace("'", "''")))
            os.replace(partial, parquet)
        if not csv.exists():
            partial = csv.with_suffix(".tmp")
            con.execute(
                "COPY (SELECT * EXCLUDE (__id) FROM read_parquet($p)) TO '"
                + str(partial).replace("'", "''")
                + "' (HEADER, DELIMITER ',')",
                {"p": str(parquet)},
            )
            os.replace(partial, csv)
    return parquet, csv


def measured(command: list[str], cwd: Path | None = None) -> dict[str, Any]:
    """Run a command; its wall seconds, CPU seconds and peak RSS (its own, by wait4), output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problem = out.read(), err.read()
    if child.returncode != 0:
        trace = (problem or text).strip()[-400:]
        raise SystemExit(f"{command[0]} failed ({child.returncode}): {trace}")
    lines = text.strip().splitlines()
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_rss": usage.ru_maxrss * 1024,
        "last": lines[-1] if lines else "",
        "output": text,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument(
        "--peer-rows", type=int, default=None, help="rows given to frictionless (default: all)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(__file__).parent / "out" / "profile",
        help="where the generated files are kept (reused by later runs)",
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    parquet, csv = generate(args.workdir, args.rows)
    peer_rows = args.peer_rows or args.rows
    peer_csv = csv if peer_rows >= args.rows else head(csv, peer_rows)
    print(
        f"data: {args.rows:,} rows x 20 columns; Parquet {parquet.stat().st_size / 1e6:,.0f} MB, "
        f"CSV {csv.stat().st_size / 1e6:,.0f} MB (ready in {time.perf_counter() - started:.0f} s)"
    )
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    frictionless = str(Path(sys.executable).with_name("frictionless"))
    # frictionless reads only paths under its working directory unless told to trust them
    peer = measured([frictionless, "validate", "--json", peer_csv.name], cwd=peer_csv.parent)
    verdict = json.loads(peer["output"])
    peer["valid"] = verdict.get("valid")
    print(f"frictionless: {peer['wall']:.1f} s wall, {peer['cpu']:.1f} s CPU", flush=True)
    ours = measured([sys.executable, "-c", _PROFILE, str(parquet), json.dumps(_TYPES)])
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    report(args.rows, peer_rows, ours, peer)


def head(csv: Path, rows: int) -> Path:
    """The header and the first `rows` rows of the CSV."""
    target = csv.with_name(f"{csv.stem}-head-{rows}.csv")
    if not target.exists():
        with csv.open(encoding="utf-8") as source, target.open("w", encoding="utf-8") as out:
            for number, line in enumerate(source):
                if number > rows:
                    break
                out.write(line)
    return target


def report(rows: int, peer_rows: int, ours: dict[str, Any], peer: dict[str, Any]) -> None:
    inner = json.loads(ours["last"][ours["last"].index("{") :])
    print("| run | rows | wall s | CPU s | peak RSS MB | rows/s |")
    print("|---|---|---|---|---|---|")
    for name, run, count in (
        ("steward profile (DuckDB)", ours, rows),
        ("frictionless validate (CSV)", peer, peer_rows),
    ):
        print(
            f"| {name} | {count:,} | {run['wall']:.1f} | {run['cpu']:.1f} | "
            f"{run['peak_rss'] / 2**20:,.0f} | {count / run['wall']:,.0f} |"
        )
    per_row = (peer["wall"] / peer_rows) / (ours["wall"] / rows)
    print(
        f"profile inside its process: {inner['seconds']:.1f} s, exact={inner['exact']}; "
        f"frictionless valid={peer['valid']}"
    )
    print(f"time per row, frictionless / steward: {per_row:.1f}x")


if __name__ == "__main__":
    main()
