"""Query benchmark: Steward's SODA API vs direct DuckDB vs Datasette 0.65, on demand.

Builds a seeded table shaped like CT's COVID-by-town dataset (169 real town names, a timestamp,
8 numeric measures), ingests it through Steward's normal ingest path into a bench store under
bench/out/, serves it with `steward serve` (a real uvicorn process) and measures:

1. group-by aggregates over HTTP against the same SQL run in-process by DuckDB on the same
   Parquet file, and against Datasette serving the same rows from SQLite;
2. the first page against a deep `$offset` page;
3. a full `rows.csv` export: the server's peak RSS and the throughput;
4. simple-request throughput with `wrk`, Steward and Datasette side by side.

    .venv/bin/python bench/query.py                       # the full 10,000,000-row run
    .venv/bin/python bench/query.py --rows 1000000 --runs 5 --wrk-seconds 5   # a quick look
    .venv/bin/python bench/query.py --write-docs          # also rewrite `## Query` in the docs

The generated store and SQLite file are kept in bench/out/ and reused by later runs of the same
--rows and --seed (--rebuild makes them again). Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import duckdb
import httpx
import psutil
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from steward.accounts.policy import SYSTEM
from steward.catalog import service, versions
from steward.catalog.schemas import AgencyCreate, DatasetCreate
from steward.config import Settings
from steward.db import Database
from steward.query.engine import EngineLimits, QueryEngine
from steward.query.service import (
    PreparedQuery,
    prepare_export,
    prepare_query,
    run_query,
    stream_query,
)
from steward.web.api import soda_encoding

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOCS = ROOT / "docs" / "benchmarks.md"
TOWNS_CSV = ROOT / "src" / "steward" / "demo" / "data" / "geo" / "ct_towns.csv"
STEWARD_BIN = Path(sys.executable).parent / "steward"
DATASETTE_VENV = OUT / "datasette-venv"
DATASETTE_SPEC = "datasette==0.65.*"
DATASET_ID = "cvid-bnch"
HOST = "127.0.0.1"  # the only address this benchmark talks to
SECTION = "## Query"
MEASURES = [
    "total_cases",
    "confirmed_cases",
    "probable_cases",
    "case_rate",
    "total_deaths",
    "confirmed_deaths",
    "probable_deaths",
    "people_tested",
]

# Row i is town i % 169 at report hour i // 169 (hourly from 2020-03-24, so 10M rows span
# about 6.7 years and 82 months). Measures grow with time at a per-town pace, plus seeded noise
# from hash(i, seed); people_tested is blank for the first 1,000 reports, as early CT data was.
GENERATE_SQL = """
WITH base AS (
    SELECT i // 169 AS step, i % 169 AS k, hash(i, $seed)::UBIGINT AS h
    FROM range($rows) AS r(i)
), cases AS (
    SELECT *,
        (step * (1 + k % 13) // 8 + (h % 25)::BIGINT)::BIGINT AS total_cases,
        ((h >> 8) % 15)::BIGINT AS probable_pct,
        ((h >> 32) % 20)::BIGINT AS probable_death_pct
    FROM base
), deaths AS (
    SELECT *, (total_cases // 40 + ((h >> 16) % 3)::BIGINT)::BIGINT AS total_deaths FROM cases
)
SELECT
    TIMESTAMP '2020-03-24 00:00:00' + to_hours(step) AS last_update_date,
    $numbers[k + 1] AS town_number,
    $names[k + 1] AS town,
    total_cases,
    total_cases - total_cases * probable_pct // 100 AS confirmed_cases,
    total_cases * probable_pct // 100 AS probable_cases,
    round(total_cases * 100000.0 / (2000 + (k * 7919) % 140000), 2) AS case_rate,
    total_deaths,
    total_deaths - total_deaths * probable_death_pct // 100 AS confirmed_deaths,
    total_deaths * probable_death_pct // 100 AS probable_deaths,
    CASE WHEN step < 1000 THEN NULL
         ELSE total_cases * 9 + ((h >> 24) % 500)::BIGINT END AS people_tested
FROM deaths
"""

SQLITE_COLUMNS = [
    ("last_update_date", "TEXT"),
    ("town_number", "INTEGER"),
    ("town", "TEXT"),
    *[(name, "REAL" if name == "case_rate" else "INTEGER") for name in MEASURES],
]


# ---------------------------------------------------------------------------------- options
@dataclass(frozen=True)
class Options:
    rows: int
    runs: int
    seed: int
    source: str
    skip_datasette: bool
    skip_wrk: bool
    wrk_seconds: int
    wrk_connections: int
    rebuild: bool
    quiet_wait: int
    write_docs: bool


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows in the table")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per measurement")
    parser.add_argument("--seed", type=int, default=20200324, help="seed of the generated data")
    parser.add_argument(
        "--source",
        choices=["csv", "parquet"],
        default="csv",
        help="file format handed to Steward's ingest",
    )
    parser.add_argument("--skip-datasette", action="store_true", help="no Datasette comparison")
    parser.add_argument("--skip-wrk", action="store_true", help="no wrk throughput run")
    parser.add_argument("--wrk-seconds", type=int, default=15, help="duration of each wrk run")
    parser.add_argument("--wrk-connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--rebuild", action="store_true", help="regenerate store and SQLite")
    parser.add_argument(
        "--quiet-wait", type=int, default=600, help="seconds to wait for other CPU load to settle"
    )
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help=f"rewrite the `{SECTION}` section of docs/benchmarks.md",
    )
    args = parser.parse_args(argv)
    if args.rows < 169 or args.runs < 1:
        parser.error("--rows must be at least 169 and --runs at least 1")
    return Options(**vars(args))


# ---------------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Store:
    data_dir: Path
    parquet: Path
    generate_s: float | None  # None: reused from an earlier run
    ingest_s: float | None
    source_bytes: int | None


def load_towns() -> tuple[list[str], list[int]]:
    with TOWNS_CSV.open(encoding="utf-8", newline="") as handle:
        towns = list(csv.DictReader(handle))
    return [t["town_name"] for t in towns], [int(t["town_number"]) for t in towns]


def generate_source(target: Path, rows: int, seed: int) -> float:
    """Write the table to `target` (.csv or .parquet) with DuckDB; return the seconds taken."""
    names, numbers = load_towns()
    started = time.perf_counter()
    con = duckdb.connect()
    try:
        params = {"rows": rows, "seed": seed, "names": names, "numbers": numbers}
        relation = con.sql(GENERATE_SQL, params=params)
        if target.suffix == ".csv":
            relation.write_csv(str(target), header=True)
        else:
            relation.write_parquet(str(target), compression="zstd")
    finally:
        con.close()
    return time.perf_counter() - started


def ingest(data_dir: Path, source: Path) -> float:
    """Create the agency and dataset, ingest `source` as v1 and publish; return seconds."""
    settings = Settings(data_dir=data_dir)
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    try:
        database.migrate()
        with database.session() as session:
            service.create_agency(
                session, SYSTEM, AgencyCreate(slug="dph", name="Department of Public Health")
            )
            service.create_dataset(session, SYSTEM, _dataset_create())
        started = time.perf_counter()
        with database.session() as session:
            versions.ingest_version(
                session, SYSTEM, data_dir, DATASET_ID, source, created_by="bench"
            )
        elapsed = time.perf_counter() - started
        with database.session() as session:
            service.set_status(session, SYSTEM, DATASET_ID, "published")
    finally:
        database.dispose()
    return elapsed


def _dataset_create() -> DatasetCreate:
    return DatasetCreate.model_validate(
        {
            "id": DATASET_ID,
            "agency": "dph",
            "title": "COVID-19 Tests, Cases, and Deaths (By Town), generated benchmark table",
            "description": "Seeded synthetic rows shaped like data.ct.gov 28fr-iqnx.",
            "access_level": "public",
            "classification": "public",
        }
    )


def build_store(opts: Options) -> Store:
    """The bench store for these options, reused when a finished one exists."""
    data_dir = OUT / f"store-{opts.rows}-{opts.seed}-{opts.source}"
    parquet = data_dir / "datasets" / DATASET_ID / "v1.parquet"
    done = data_dir / "READY"
    if done.exists() and parquet.exists() and not opts.rebuild:
        return Store(data_dir, parquet, None, None, None)
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    source = OUT / f"covid-{opts.rows}-{opts.seed}.{opts.source}"
    log(f"generating {opts.rows:,} rows -> {source.name}")
    generate_s = generate_source(source, opts.rows, opts.seed)
    size = source.stat().st_size
    log(f"  {generate_s:.1f} s, {size / 1e6:,.0f} MB; ingesting with versions.ingest_version")
    ingest_s = ingest(data_dir, source)
    log(f"  ingest {ingest_s:.1f} s ({opts.rows / ingest_s:,.0f} rows/s)")
    source.unlink()
    done.write_text(json.dumps({"generate_s": generate_s, "ingest_s": ingest_s, "bytes": size}))
    return Store(data_dir, parquet, generate_s, ingest_s, size)


def stored_build_times(store: Store) -> Store:
    """Fill in the generate/ingest times of a reused store from its READY file."""
    if store.ingest_s is not None:
        return store
    saved = json.loads((store.data_dir / "READY").read_text())
    times = (saved["generate_s"], saved["ingest_s"], saved["bytes"])
    return Store(store.data_dir, store.parquet, *times)


def build_sqlite(parquet: Path, target: Path, rebuild: bool) -> float:
    """The same rows in SQLite (timestamps as ISO text, as sqlite-utils would store CSV text).

    Returns the seconds the build took (the first time; a reused file keeps its figure).
    """
    timing = target.with_name("build.json")
    if target.exists() and timing.exists() and not rebuild:
        seconds: float = json.loads(timing.read_text())["seconds"]
        return seconds
    started = time.perf_counter()
    unfinished = target.with_suffix(".partial")
    unfinished.unlink(missing_ok=True)
    con = sqlite3.connect(unfinished)
    try:
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        columns = ", ".join(f"{name} {kind}" for name, kind in SQLITE_COLUMNS)
        con.execute(f"CREATE TABLE covid ({columns})")
        marks = ", ".join("?" for _ in SQLITE_COLUMNS)
        for rows in _parquet_rows(parquet):
            con.executemany(f"INSERT INTO covid VALUES ({marks})", rows)
        con.commit()
    finally:
        con.close()
    unfinished.rename(target)
    seconds = time.perf_counter() - started
    timing.write_text(json.dumps({"seconds": seconds}))
    return seconds


def _parquet_rows(parquet: Path) -> Iterator[list[tuple[Any, ...]]]:
    names = [name for name, _kind in SQLITE_COLUMNS]
    for batch in pq.ParquetFile(parquet).iter_batches(batch_size=100_000, columns=names):
        arrays = list(batch.columns)
        arrays[0] = pc.strftime(arrays[0], format="%Y-%m-%d %H:%M:%S")
        yield list(zip(*(array.to_pylist() for array in arrays), strict=True))


# ---------------------------------------------------------------------------------- servers
@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(name: str, command: list[str], env: dict[str, str], port: int) -> Server:
    log_path = OUT / f"{name}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, env=env, cwd=OUT, stdout=log_file, stderr=subprocess.STDOUT
        )
    return Server(name, process, f"http://{HOST}:{port}", log_path)


def start_steward(data_dir: Path, name: str = "steward", **settings: str) -> Server:
    """`steward serve` on a free port; `settings` are further STEWARD_* variables."""
    port = free_port()
    env = {
        **os.environ,
        "STEWARD_DATA_DIR": str(data_dir),
        "STEWARD_RATE_LIMIT_ANONYMOUS": "1000000000",
        **{f"STEWARD_{key.upper()}": value for key, value in settings.items()},
    }
    command = [str(STEWARD_BIN), "serve", "--host", HOST, "--port", str(port)]
    return start_server(name, command, env, port)


def start_datasette(db_path: Path) -> Server:
    port = free_port()
    command = [
        str(DATASETTE_VENV / "bin" / "datasette"), "serve", "-i", str(db_path),
        "-h", HOST, "-p", str(port),
        "--setting", "sql_time_limit_ms", "600000",
        "--setting", "max_returned_rows", "10000",
    ]  # fmt: skip
    return start_server("datasette", command, dict(os.environ), port)


def wait_ready(server: Server, path: str, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited; see {server.log_path}")
        try:
            if httpx.get(server.base_url + path, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} not ready after {timeout_s:.0f} s; see {server.log_path}")


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=15)


@contextmanager
def running(server: Server, ready_path: str) -> Iterator[Server]:
    try:
        wait_ready(server, ready_path)
        yield server
    finally:
        stop_server(server)


def ensure_datasette() -> str:
    """Datasette in its own venv (so Steward's dependencies are untouched); its version."""
    datasette = DATASETTE_VENV / "bin" / "datasette"
    if not datasette.exists():
        log(f"installing {DATASETTE_SPEC} into {DATASETTE_VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        pip = [str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", DATASETTE_SPEC]
        subprocess.run(pip, check=True, timeout=600)
    done = subprocess.run([str(datasette), "--version"], capture_output=True, text=True, check=True)
    return done.stdout.strip().rsplit(" ", 1)[-1]


# ---------------------------------------------------------------------------------- timing
@dataclass
class Stats:
    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p90(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]


def interleaved(calls: dict[str, Callable[[], object]], runs: int) -> dict[str, Stats]:
    """Time each call `runs` times after one warm-up, alternating between the calls."""
    for call in calls.values():
        call()
    stats = {name: Stats() for name in calls}
    for _ in range(runs):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            stats[name].seconds.append(time.perf_counter() - started)
    return stats


def http_get(client: httpx.Client, url: str) -> Callable[[], bytes]:
    def call() -> bytes:
        response = client.get(url)
        response.raise_for_status()
        return response.content

    return call


class Direct:
    """DuckDB in this process, on the same Parquet file, with Steward's thread count."""

    def __init__(self, parquet: Path, threads: int) -> None:
        self.con = duckdb.connect(config={"threads": threads})
        self.con.execute(f"CREATE VIEW dataset AS SELECT * FROM read_parquet('{parquet}')")

    def call(self, sql: str, params: list[object]) -> Callable[[], list[tuple[Any, ...]]]:
        def run() -> list[tuple[Any, ...]]:
            return self.con.execute(sql, params).fetchall()

        return run

    def close(self) -> None:
        self.con.close()


# ---------------------------------------------------------------------------------- cases
@dataclass(frozen=True)
class QueryCase:
    key: str
    title: str
    soql: dict[str, str]
    sqlite: str | None  # the equivalent query for Datasette


QUERY_CASES = [
    QueryCase(
        "a", "group by town: sum(total_cases)",
        {"$select": "town, sum(total_cases)", "$group": "town"},
        "select town, sum(total_cases) from covid group by town order by town limit 1000",
    ),
    QueryCase(
        "b", "monthly trend: date_trunc_ym, sum",
        {
            "$select": "date_trunc_ym(last_update_date) AS month, sum(total_cases)",
            "$group": "month",
            "$order": "month",
        },
        "select substr(last_update_date, 1, 7) as month, sum(total_cases) from covid "
        "group by month order by month limit 1000",
    ),
    QueryCase(
        "c", "filtered count(*)",
        {"$select": "count(*)", "$where": "town='Hartford' AND total_cases > 100"},
        "select count(*) from covid where town = 'Hartford' and total_cases > 100",
    ),
]  # fmt: skip

FIRST_PAGE = QueryCase("first", "first page: $limit=1000", {"$limit": "1000"}, None)


def deep_page(rows: int) -> QueryCase:
    offset = min(5_000_000, rows // 2)
    return QueryCase(
        "deep", f"deep page: $offset={offset}&$limit=1000",
        {"$offset": str(offset), "$limit": "1000"}, None,
    )  # fmt: skip


def compiled_sql(data_dir: Path, soql: dict[str, str]) -> tuple[str, list[object]]:
    """The SQL and parameters Steward's query service compiles for `soql`."""
    settings = Settings(data_dir=data_dir)
    database = Database(settings.resolved_database_url)
    try:
        with database.session() as session:
            prepared = prepare_query(session, settings, DATASET_ID, list(soql.items()))
    finally:
        database.dispose()
    return prepared.compiled.sql, list(prepared.compiled.params)


def resource_url(server: Server, soql: dict[str, str]) -> str:
    return f"{server.base_url}/resource/{DATASET_ID}.json?{urlencode(soql)}"


def datasette_url(server: Server, sql: str) -> str:
    return f"{server.base_url}/db.json?{urlencode({'sql': sql, '_shape': 'array'})}"


@dataclass
class CaseResult:
    key: str
    title: str
    sql: str
    stats: dict[str, Stats]
    checks: dict[str, str]


def run_case(
    case: QueryCase,
    opts: Options,
    store: Store,
    client: httpx.Client,
    steward: Server,
    direct: Direct,
    datasette: Server | None,
) -> CaseResult:
    sql, params = compiled_sql(store.data_dir, case.soql)
    calls: dict[str, Callable[[], object]] = {
        "steward": http_get(client, resource_url(steward, case.soql)),
        "duckdb": direct.call(sql, params),
    }
    if datasette is not None and case.sqlite is not None:
        calls["datasette"] = http_get(client, datasette_url(datasette, case.sqlite))
    checks = {name: fingerprint(name, call()) for name, call in calls.items()}
    log(f"  [{case.key}] {case.title}: results {checks}")
    stats = interleaved(calls, opts.runs)
    summary = ", ".join(f"{n} {s.median * 1000:.1f} ms" for n, s in stats.items())
    log(f"  [{case.key}] medians: {summary}")
    return CaseResult(case.key, case.title, sql, stats, checks)


def fingerprint(name: str, result: object) -> str:
    """Row count and the sum of the last column: the answers of all engines must agree."""
    if name == "duckdb":
        rows = [list(row) for row in result]  # type: ignore[attr-defined]
    else:
        rows = [list(obj.values()) for obj in json.loads(result)]  # type: ignore[arg-type]
    if not rows or not rows[0] or not _is_number(rows[0][-1]):
        return f"{len(rows)} rows"
    return f"{len(rows)} rows, last column sums to {sum(float(row[-1]) for row in rows):,.0f}"


def _is_number(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


# ---------------------------------------------------------------------------------- export
@dataclass
class ExportResult:
    seconds: float
    rows: int
    bytes: int
    rss_before_mb: float
    peak_rss_mb: float
    vm_hwm_mb: float | None
    server_cpu_s: float  # the server's CPU time (all threads) during the export


class RssPoller:
    """Poll a process's resident set size every few milliseconds in a thread."""

    def __init__(self, pid: int, every_s: float = 0.02) -> None:
        self.process = psutil.Process(pid)
        self.every_s = every_s
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            self._stop.wait(self.every_s)

    def __enter__(self) -> RssPoller:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def reset_peak_rss(pid: int) -> bool:
    """Reset the kernel's VmHWM for `pid` (Linux 4.0+); False where that is not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def vm_hwm_mb(pid: int) -> float | None:
    match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match[1]) / 1024 if match else None


def measure_export(client: httpx.Client, steward: Server) -> ExportResult:
    url = f"{steward.base_url}/api/views/{DATASET_ID}/rows.csv"
    rss_before = psutil.Process(steward.pid).memory_info().rss / 2**20
    hwm_reset = reset_peak_rss(steward.pid)
    size = lines = 0
    cpu_before = sum(psutil.Process(steward.pid).cpu_times()[:2])
    started = time.perf_counter()
    with RssPoller(steward.pid) as poller, client.stream("GET", url) as response:
        response.raise_for_status()
        with open(os.devnull, "wb") as sink:
            for chunk in response.iter_raw(1 << 20):
                size += len(chunk)
                lines += chunk.count(b"\n")
                sink.write(chunk)
    elapsed = time.perf_counter() - started
    cpu_s = sum(psutil.Process(steward.pid).cpu_times()[:2]) - cpu_before
    hwm = vm_hwm_mb(steward.pid) if hwm_reset else None
    peak = max(poller.peak / 2**20, hwm or 0.0)
    return ExportResult(elapsed, lines - 1, size, rss_before, peak, hwm, cpu_s)


# ---------------------------------------------------------------------------------- wrk
@dataclass
class WrkResult:
    label: str
    url: str
    requests_per_s: float
    latency_ms: dict[str, float]
    requests: int
    errors: str
    server_cpu_ms: float  # server CPU time (all threads) per completed request
    alone_ms: float = math.nan  # one request with no other load


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match[1]) * _UNITS[match[2]]


def parse_wrk(label: str, url: str, output: str, server_cpu_s: float) -> WrkResult:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if rps is None or total is None:
        raise RuntimeError(f"cannot read wrk output:\n{output}")
    latency = {f"p{p}": _ms(v) for p, v in re.findall(r"^\s+(\d+)%\s+(\S+)$", output, re.M)}
    avg = re.search(r"Latency\s+(\S+)", output)
    if avg:
        latency["avg"] = _ms(avg[1])
    problems = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: .*)", output)
    requests = int(total[1])
    per_request = server_cpu_s * 1000 / requests if requests else math.nan
    return WrkResult(label, url, float(rps[1]), latency, requests, "; ".join(problems), per_request)


def run_wrk(label: str, url: str, server: Server, opts: Options) -> WrkResult:
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError("wrk only ever targets 127.0.0.1")
    command = [
        "wrk", "-t2", f"-c{opts.wrk_connections}", f"-d{opts.wrk_seconds}s",
        "--timeout", "10s", "--latency", url,
    ]  # fmt: skip
    process = psutil.Process(server.pid)
    cpu_before = sum(process.cpu_times()[:2])
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=opts.wrk_seconds + 60, check=True
    )
    cpu_s = sum(process.cpu_times()[:2]) - cpu_before
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    (OUT / f"wrk-{slug}.txt").write_text(done.stdout, encoding="utf-8")
    result = parse_wrk(label, url, done.stdout, cpu_s)
    log(f"  wrk {label}: {result.requests_per_s:,.0f} req/s, {result.latency_ms}")
    return result


Target = tuple[str, str, Server]


def wrk_targets(steward: Server, one_thread: Server, datasette: Server | None) -> list[Target]:
    soql = {"town": "Hartford", "$limit": "10"}
    targets = [
        ("Steward", resource_url(steward, soql), steward),
        ("Steward, STEWARD_QUERY_THREADS=1", resource_url(one_thread, soql), one_thread),
    ]
    if datasette is not None:
        table = f"{datasette.base_url}/db/covid.json?town=Hartford&_size=10"
        targets.append(("Datasette (_shape=array)", f"{table}&_shape=array", datasette))
        targets.append(("Datasette (default shape)", table, datasette))
    return targets


def single_request_ms(client: httpx.Client, targets: list[Target]) -> dict[str, float]:
    """Each URL once, alone (after one warm-up request): checks it works, and its latency."""
    latency: dict[str, float] = {}
    for label, url, _server in targets:
        client.get(url).raise_for_status()
        started = time.perf_counter()
        response = client.get(url)
        latency[label] = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        log(f"  {label}: {url} -> {len(response.content)} bytes in {latency[label]:.1f} ms")
    return latency


# ---------------------------------------------------------------------------------- breakdown
WRK_SOQL = {"town": "Hartford", "$limit": "10"}
CSV_SAMPLE_ROWS = 1_000_000


@dataclass
class Cost:
    step: str
    cpu_ms: float  # this process's CPU time, all threads (DuckDB's workers included)
    wall_ms: float


def cost(step: str, call: Callable[[], object], runs: int) -> Cost:
    """Average CPU and wall time of `call` over `runs` calls, after one warm-up call."""
    call()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(runs):
        call()
    return Cost(
        step,
        (time.process_time() - cpu) * 1000 / runs,
        (time.perf_counter() - wall) * 1000 / runs,
    )


def breakdown(store: Store, runs: int) -> list[Cost]:
    """Where a request's time goes, measured in this process with Steward's own functions."""
    settings = Settings(data_dir=store.data_dir)
    database = Database(settings.resolved_database_url)
    engines = {n: QueryEngine(settings.datasets_dir, EngineLimits(threads=n)) for n in (2, 1)}

    def prepare(soql: dict[str, str]) -> PreparedQuery:
        with database.session() as session:
            return prepare_query(session, settings, DATASET_ID, list(soql.items()))

    try:
        small, page = prepare(WRK_SOQL), prepare(FIRST_PAGE.soql)
        step = "`prepare_query` (catalog lookup, SoQL compile), `?town=Hartford&$limit=10`"
        costs = [cost(step, lambda: prepare(WRK_SOQL), runs * 10)]
        for label, prepared in (("`?town=Hartford&$limit=10`", small), ("`$limit=1000`", page)):
            for threads, engine in engines.items():
                step = f"`run_query` (DuckDB), {label}, {threads} thread(s)"
                costs.append(cost(step, partial(run_query, engine, prepared), runs * 5))
        batches = run_query(engines[2], page).to_batches()
        encode_page = partial(_drain, lambda: soda_encoding.soda_json(batches, page.columns))
        costs.append(
            cost("`soda_json` encoding of the 1,000-row first page", encode_page, runs * 5)
        )
        with database.session() as session:
            export = prepare_export(session, settings, DATASET_ID)
        costs.append(csv_cost(engines[2], export))
        return costs
    finally:
        for engine in engines.values():
            engine.close()
        database.dispose()


def _drain(chunks: Callable[[], Iterator[bytes]]) -> int:
    return sum(len(chunk) for chunk in chunks())


def csv_cost(engine: QueryEngine, export: PreparedQuery) -> Cost:
    """`soda_csv` alone over the export's first CSV_SAMPLE_ROWS rows, already in memory."""
    batches: list[pa.RecordBatch] = []
    for batch in stream_query(engine, export):
        batches.append(batch)
        if sum(b.num_rows for b in batches) >= CSV_SAMPLE_ROWS:
            break
    rows = sum(b.num_rows for b in batches)
    encode = partial(_drain, lambda: soda_encoding.soda_csv(batches, export.columns))
    result = cost(f"`soda_csv` encoding of {rows:,} export rows", encode, 1)
    result.step += f" ({rows / result.wall_ms * 1000:,.0f} rows/s)"
    return result


# ---------------------------------------------------------------------------------- report
NOTES = [
    "- **Method.** DuckDB direct is the floor for Steward: the exact SQL Steward compiles, on the "
    "same Parquet file, with the same thread count, in the benchmark's process. What Steward "
    "adds on top is its per-request work: the catalog lookup and SoQL compile, FastAPI and "
    "uvicorn, and encoding the rows as Socrata JSON in Python (section 5 splits it).",
    "- **Datasette** serves a plain SQLite table without indexes, as `sqlite-utils insert` or "
    "`csvs-to-sqlite` would leave it. SQLite scans rows on one thread, so full-table "
    "aggregates (a, b) are where Steward's columnar scans win most. The filtered count (c) is "
    "SQLite's cheapest case (two columns, no grouping) and DuckDB cannot skip any row group "
    "(every row group holds every town), which is why (c) is the query furthest from the 20x "
    "target; an index on `town` would make SQLite faster still.",
    "- **Simple requests** (`?town=Hartford&$limit=10`): SQLite stops after reading the few "
    "4 KB pages that hold the first ten Hartford rows. DuckDB decompresses whole Parquet column "
    "chunks (262,144-row row groups, zstd) before the limit is met, and with Steward's default "
    "of 2 DuckDB threads per query each thread starts on its own row group, so a query that "
    "needs ten rows decodes two row groups. Section 5 gives the DuckDB CPU per request with 2 "
    "and with 1 thread; the `STEWARD_QUERY_THREADS=1` row shows the setting end to end.",
    "- **Export.** `rows.csv` streams DuckDB's result in 65,536-row batches, so the server's "
    "memory stays flat whatever the table size. The throughput is bound by `soda_csv`, which "
    "formats every cell of every row in Python on one core (section 5 times it alone).",
    "- **Deep pages** are cheap because the store keeps rows in `:id` order and Steward leaves "
    "the ORDER BY out, so DuckDB only counts its way to the offset instead of sorting "
    "every row.",
    "- **Datasette (default shape)**: without `_shape=array`, Datasette's table JSON also runs "
    "`count(*)` over the filtered table and facet suggestions for each column; with "
    "`sql_time_limit_ms` raised they run to completion and take seconds per request, so under "
    "wrk few or no requests finish. The like-for-like row is `_shape=array`, which skips both.",
    "- **Shared machine.** Other work (test suites, another benchmark) may run on the same 2 "
    "cores; the machine line gives how many cores other processes used on average during the "
    "run. Each comparison interleaves its runs so both sides see the same conditions, but the "
    "absolute figures move from run to run, and wrk shares the 2 cores with the server.",
    "- **Data.** Row i is town i % 169 at hour i // 169 after 2020-03-24 00:00, so 10M rows "
    "cover about 6.75 years (82 months); measures grow with time at a per-town pace plus "
    "noise from DuckDB's `hash(i, seed)`, so the same seed gives the same rows. "
    "`people_tested` is blank for the first 1,000 report hours. The file goes through the "
    "normal ingest (CSV sniffing, type inference, Parquet with `__id`).",
]


@dataclass
class Report:
    opts: Options
    when: str
    machine: dict[str, str]
    store: Store
    sqlite_build_s: float | None
    queries: list[CaseResult]
    pages: list[CaseResult]
    export: ExportResult
    wrk: list[WrkResult]
    costs: list[Cost]


def machine_info(datasette_version: str | None) -> dict[str, str]:
    memory = psutil.virtual_memory().total / 2**30
    cpu = cpu_model()
    info = {
        "cpu": f"{os.cpu_count()} x {cpu} (nproc {len(os.sched_getaffinity(0))})",
        "memory": f"{memory:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "sqlite": sqlite3.sqlite_version,
    }
    if datasette_version:
        info["datasette"] = datasette_version
    info["steward"] = steward_revision()
    return info


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def steward_revision() -> str:
    """The checked-out commit, and whether src/ has uncommitted changes (read-only git)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "src")
    return f"{head}{' + uncommitted changes in src/' if dirty else ''}"


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def verdict(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def command_line(opts: Options) -> str:
    parts = [".venv/bin/python bench/query.py"]
    defaults = parse_args([])
    for name, value in asdict(opts).items():
        if name == "write_docs" or value == getattr(defaults, name):
            continue
        flag = "--" + name.replace("_", "-")
        parts.append(flag if value is True else f"{flag} {value}")
    return " ".join(parts)


def query_table(cases: list[CaseResult]) -> list[str]:
    lines = [
        "| query | Steward median / p90 ms | DuckDB direct median / p90 ms | Steward / DuckDB "
        "(target ≤ 1.5x) | Datasette median / p90 ms | Datasette / Steward (target ≥ 20x) |",
        "| --- | ---: | ---: | --- | ---: | --- |",
    ]
    for case in cases:
        steward, direct = case.stats["steward"], case.stats["duckdb"]
        ratio = steward.median / direct.median
        row = (
            f"| ({case.key}) {case.title} | {ms(steward.median)} / {ms(steward.p90)} "
            f"| {ms(direct.median)} / {ms(direct.p90)} | {ratio:.2f}x {verdict(ratio <= 1.5)} "
        )
        datasette = case.stats.get("datasette")
        if datasette is None:
            row += "| not run | not run |"
        else:
            speedup = datasette.median / steward.median
            row += (
                f"| {ms(datasette.median)} / {ms(datasette.p90)} "
                f"| {speedup:,.1f}x {verdict(speedup >= 20)} |"
            )
        lines.append(row)
    return lines


def page_table(pages: list[CaseResult]) -> list[str]:
    first, deep = pages
    ratio = deep.stats["steward"].median / first.stats["steward"].median
    lines = [
        "| request | Steward median / p90 ms | DuckDB direct median / p90 ms |",
        "| --- | ---: | ---: |",
    ]
    for page in pages:
        steward, direct = page.stats["steward"], page.stats["duckdb"]
        lines.append(
            f"| {page.title} | {ms(steward.median)} / {ms(steward.p90)} "
            f"| {ms(direct.median)} / {ms(direct.p90)} |"
        )
    lines += ["", f"Deep page / first page: **{ratio:.2f}x** (target ≤ 3x: {verdict(ratio <= 3)})"]
    return lines


def export_table(export: ExportResult) -> list[str]:
    hwm = f"{export.vm_hwm_mb:,.0f} MB" if export.vm_hwm_mb is not None else "unavailable"
    return [
        "| figure | value | target |",
        "| --- | ---: | --- |",
        f"| rows / bytes streamed | {export.rows:,} / {export.bytes / 1e6:,.0f} MB | |",
        f"| wall time | {export.seconds:,.1f} s | |",
        f"| throughput | {export.rows / export.seconds:,.0f} rows/s, "
        f"{export.bytes / 1e6 / export.seconds:,.1f} MB/s | |",
        f"| server CPU during the export | {export.server_cpu_s:,.1f} s "
        f"({export.server_cpu_s / export.seconds:.2f} cores on average) | |",
        f"| server RSS before | {export.rss_before_mb:,.0f} MB | |",
        f"| server peak RSS during export (psutil 20 ms polling; VmHWM {hwm}) "
        f"| {export.peak_rss_mb:,.0f} MB | < 500 MB: {verdict(export.peak_rss_mb < 500)} |",
    ]


def wrk_table(results: list[WrkResult], opts: Options) -> list[str]:
    lines = [
        f"`wrk -t2 -c{opts.wrk_connections} -d{opts.wrk_seconds}s --latency`, "
        "client and server sharing the machine's 2 cores:",
        "",
        "| server | requests/s | latency avg / p50 / p90 / p99 ms | requests | server CPU ms "
        "per request | one request alone, ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        lat, cpu = "none completed", "-"
        if r.requests:
            lat = " / ".join(
                f"{r.latency_ms.get(k, math.nan):,.1f}" for k in ("avg", "p50", "p90", "p99")
            )
            cpu = f"{r.server_cpu_ms:,.1f}"
        lines.append(
            f"| {r.label} | {r.requests_per_s:,.1f} | {lat} | {r.requests:,} "
            f"| {cpu} | {r.alone_ms:,.1f} | {r.errors or '-'} |"
        )
    lines += ["", "URLs:", ""] + [f"- {r.label}: `{_path(r.url)}`" for r in results]
    return lines


def cost_table(costs: list[Cost]) -> list[str]:
    lines = ["| step | CPU ms (all threads) | wall ms |", "| --- | ---: | ---: |"]
    lines += [f"| {c.step} | {c.cpu_ms:,.2f} | {c.wall_ms:,.2f} |" for c in costs]
    return lines


def _path(url: str) -> str:
    return re.sub(r"^http://[^/]+", "", url)


def render(report: Report, notes: list[str]) -> str:
    opts, store = report.opts, stored_build_times(report.store)
    lines = [
        SECTION,
        "",
        f"Run on {report.when} with `{command_line(opts)}` (bench/query.py; run it by hand, it "
        "is not part of the test suite).",
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in report.machine.items()) + ".",
        "",
        f"Data: {opts.rows:,} generated rows (seed {opts.seed}) shaped like CT's COVID-by-town "
        "dataset: `last_update_date` (hourly timestamps), `town_number`, `town` (the 169 CT "
        f"towns), {', '.join(f'`{m}`' for m in MEASURES)}. Generated by DuckDB as "
        f"{opts.source.upper()} ({(store.source_bytes or 0) / 1e6:,.0f} MB) in "
        f"{store.generate_s or 0:,.1f} s and ingested through `versions.ingest_version` in "
        f"{store.ingest_s or 0:,.1f} s ({opts.rows / (store.ingest_s or 1):,.0f} rows/s); "
        f"the version file is {store.parquet.stat().st_size / 1e6:,.0f} MB of Parquet."
        + sqlite_sentence(report),
        "",
        f"Each timing is the median and p90 of {opts.runs} runs after one warm-up; Steward, direct "
        "DuckDB and Datasette take turns run by run. Steward is timed as whole HTTP requests "
        "(httpx, keep-alive) to `steward serve` (one uvicorn process, default settings but the "
        "anonymous rate limit); DuckDB direct runs the SQL Steward compiles, in the benchmark's "
        "process, on the same Parquet file with Steward's thread count (2).",
        "",
        "### 1. Group-by aggregates: `/resource/{id}.json`",
        "",
        *query_table(report.queries),
        "",
        "### 2. First page vs deep page",
        "",
        *page_table(report.pages),
    ]
    lines += ["", "### 3. Full export `/api/views/{id}/rows.csv`", ""]
    lines += export_table(report.export)
    if report.wrk:
        lines += ["", "### 4. Simple requests under load: `?town=Hartford&$limit=10`", ""]
        lines += wrk_table(report.wrk, opts)
    lines += ["", "### 5. Where the time goes (in the benchmark process, Steward's functions)", ""]
    lines += cost_table(report.costs)
    lines += ["", "### SQL", ""] + [
        f"- ({case.key}) `{case.sql}`" for case in [*report.queries, *report.pages]
    ]
    if notes:
        lines += ["", "### Notes", "", *notes]
    return "\n".join(lines) + "\n"


def sqlite_sentence(report: Report) -> str:
    if report.sqlite_build_s is None:
        return ""
    return (
        " Datasette serves the same rows from a SQLite file (table `covid`, no indexes, timestamps "
        "as ISO text) built from that Parquet file with Python's sqlite3 in "
        f"{report.sqlite_build_s:,.1f} s, opened immutable (`-i`) with `sql_time_limit_ms` "
        "600000 and `max_returned_rows` 10000."
    )


def write_docs(section: str) -> None:
    """Replace (or add) the `## Query` section of docs/benchmarks.md, leaving the rest."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\s*$.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------- main
def prepare_sqlite(opts: Options, store: Store) -> tuple[Path, float]:
    db_path = OUT / f"sqlite-{opts.rows}-{opts.seed}" / "db.db"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    log(f"SQLite for Datasette: {db_path}")
    built_s = build_sqlite(store.parquet, db_path, opts.rebuild)
    log(f"  built from the store's Parquet in {built_s:.1f} s")
    return db_path, built_s


def measure(
    opts: Options, store: Store, db_path: Path | None, stack: ExitStack
) -> tuple[list[CaseResult], list[CaseResult], ExportResult, list[WrkResult]]:
    """Start the servers (stopped when `stack` closes) and take every measurement."""
    client = stack.enter_context(httpx.Client(timeout=900))
    steward = stack.enter_context(running(start_steward(store.data_dir), "/healthz"))
    datasette = None
    if db_path is not None:
        datasette = stack.enter_context(running(start_datasette(db_path), "/-/versions.json"))
    direct = Direct(store.parquet, Settings().query_threads)
    stack.callback(direct.close)
    wait_for_quiet(opts.quiet_wait)
    log("1. group-by aggregates")
    queries = [run_case(c, opts, store, client, steward, direct, datasette) for c in QUERY_CASES]
    log("2. first vs deep page")
    pages = [
        run_case(c, opts, store, client, steward, direct, None)
        for c in (FIRST_PAGE, deep_page(opts.rows))
    ]
    log("3. full CSV export")
    export = measure_export(client, steward)
    log(f"  {export}")
    wrk: list[WrkResult] = []
    if not opts.skip_wrk:
        log("4. wrk")
        one_thread = start_steward(store.data_dir, "steward-1-thread", query_threads="1")
        stack.enter_context(running(one_thread, "/healthz"))
        targets = wrk_targets(steward, one_thread, datasette)
        alone = single_request_ms(client, targets)
        wrk = [run_wrk(label, url, server, opts) for label, url, server in targets]
        for result in wrk:
            result.alone_ms = alone[result.label]
    return queries, pages, export, wrk


def wait_for_quiet(max_wait_s: int) -> None:
    """Wait (at most `max_wait_s`) for a 5-second window in which the CPUs are mostly idle."""
    deadline = time.monotonic() + max_wait_s
    while True:
        busy = psutil.cpu_percent(interval=5)
        if busy < 25 or time.monotonic() >= deadline:
            note = "" if busy < 25 else " (gave up waiting; figures may be disturbed)"
            log(f"CPU {busy:.0f}% busy before measuring{note}")
            return
        log(f"CPU {busy:.0f}% busy with other work; waiting for it to settle")


class CpuAccount:
    """CPU time used on the machine during the run by processes other than this one's tree."""

    def __init__(self) -> None:
        self.busy_start = self._busy()
        self.own_start = self._own()

    @staticmethod
    def _busy() -> float:
        times = psutil.cpu_times()
        return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))

    @staticmethod
    def _own() -> float:
        mine = os.times()  # children count once waited for: servers and wrk are, at the end
        return mine.user + mine.system + mine.children_user + mine.children_system

    def others_s(self) -> float:
        return max(self._busy() - self.busy_start - (self._own() - self.own_start), 0.0)


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse_args(argv)
    # A plain `kill` unwinds like Ctrl-C, so the servers' finally blocks stop them.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT.mkdir(parents=True, exist_ok=True)
    if not opts.skip_wrk and shutil.which("wrk") is None:
        log("wrk is missing: apt-get install -y wrk (or pass --skip-wrk)")
        return 2
    datasette_version = None if opts.skip_datasette else ensure_datasette()
    store = build_store(opts)
    db_path: Path | None = None
    sqlite_s: float | None = None
    if not opts.skip_datasette:
        db_path, sqlite_s = prepare_sqlite(opts, store)
    started, load_before, cpu = time.monotonic(), load_average(), CpuAccount()
    with ExitStack() as stack:
        queries, pages, export, wrk = measure(opts, store, db_path, stack)
    log("5. breakdown, in this process")
    costs = breakdown(store, opts.runs)
    others = cpu.others_s() / (time.monotonic() - started)
    info = machine_info(datasette_version)
    info["load average at start / end"] = f"{load_before} / {load_average()}"
    info["CPU used by other processes during the run"] = f"{others:.2f} cores on average"
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = Report(opts, when, info, store, sqlite_s, queries, pages, export, wrk, costs)
    section = render(report, NOTES)
    (OUT / "query-results.md").write_text(section, encoding="utf-8")
    raw = json.dumps(asdict(report), indent=2, default=str)
    (OUT / "query-results.json").write_text(raw, encoding="utf-8")
    print(section)
    if opts.write_docs:
        write_docs(section)
        log(f"wrote {SECTION} in {DOCS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
