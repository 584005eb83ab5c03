"""Portal page benchmark: dataset page and search page render times, Datasette 0.65 alongside.

    .venv/bin/python bench/pages.py                     # demo catalog + 5,000 generated datasets
    .venv/bin/python bench/pages.py --datasets 500 --runs 10 --skip-datasette   # a quick look
    .venv/bin/python bench/pages.py --write-docs        # also write `## Pages` in the docs
    .venv/bin/python bench/pages.py --baseline-src /tmp/before/src   # before/after a change

1. The demo catalog (`steward.demo.loader.load_demo`) in a store under bench/out/pages-demo.
2. A generated catalog of `--datasets` datasets (default 5,000) from ~20 agencies in the ten CT
   categories, each with its own data version (50-500 rows, 5-15 described fields), built
   through the catalog service and `versions.ingest_version` into
   bench/out/pages-<N>-s<seed>-f<files>; the store is kept and reused by later runs with the same
   options (see `ReusedIngest` for how the Parquet conversion of repeated source files is shared).
3. Datasette serving the demo COVID-by-town table from SQLite, built from the same CSV.

Each server runs in its own process (uvicorn, one worker, 127.0.0.1 only) wrapped in a tiny ASGI
timer that logs, per request, the server's own time from receiving the request to sending the last
byte of the body. The script also measures whole-request latency over a keep-alive httpx client.
The cases are interleaved round by round so every page sees the same machine conditions, after
waiting (--quiet-wait) for other CPU load on the shared machine to settle. Last, an in-process
breakdown (TestClient) times the main calls each page makes and Python's garbage collector.

With --baseline-src, a second Steward server runs the package found in that folder (an older
checkout's `src`, put first on PYTHONPATH) on the same generated store, and its rows are timed in
the same rounds, each next to the current code's, so a change is measured before and after under
the same machine conditions.

Results go to bench/out/pages-results.md and stdout; --write-docs also replaces (or appends) the
`## Pages` section of docs/benchmarks.md, leaving the other sections as they are. Servers are
stopped at the end, also on errors and Ctrl-C.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import gc
import importlib
import json
import math
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlencode

import httpx
from fastapi.testclient import TestClient

from steward import __version__ as steward_version
from steward.accounts.policy import SYSTEM
from steward.app import create_app
from steward.catalog import service, versions
from steward.catalog.schemas import AgencyCreate, DatasetCreate, FieldUpdate
from steward.config import Settings
from steward.db import Database
from steward.demo.loader import DATA_DIR as DEMO_DATA_DIR
from steward.demo.loader import load_demo
from steward.store import IngestResult, ingest_file

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOCS = ROOT / "docs" / "benchmarks.md"
RESULTS = OUT / "pages-results.md"
SECTION = "## Pages"
HOST = "127.0.0.1"  # the only address this benchmark talks to
DATASETTE_VENV = OUT / "datasette-venv"
DATASETTE_SPEC = "datasette==0.65.*"
COVID_ID = "28fr-iqnx"
COVID_CSV = DEMO_DATA_DIR / "datasets" / "covid19_tests_cases_deaths_by_town_28fr-iqnx.csv"
TOWNS_CSV = DEMO_DATA_DIR / "geo" / "ct_towns.csv"
TARGET_MS = 100.0  # issue 4: median server time under 100 ms on 2 cores
BUILD_FORMAT = 1  # bump when the generated catalog changes, so old stores are rebuilt

# The server each benchmark process runs: `python -c TIMED_SERVER kind target port timing_log`.
# It is the app that `steward serve` / `datasette serve -i` would run, wrapped in an ASGI timer,
# with uvicorn's defaults except the access log (off for both, so neither pays for console I/O).
TIMED_SERVER = """
import sys, time
import uvicorn

kind, target, port, timing_log = sys.argv[1:5]
if kind == "steward":
    from steward.app import create_app
    inner = create_app()  # settings from STEWARD_* in the environment
    try:  # what `steward serve` does before it listens (warm caches, gc.freeze)
        from steward.cli.main import _preload
    except ImportError:
        _preload = None
    if _preload is not None:
        _preload()
else:
    from datasette.app import Datasette
    inner = Datasette(immutables=[target]).app()
log = open(timing_log, "a", buffering=1)

async def app(scope, receive, send):
    if scope["type"] != "http":
        return await inner(scope, receive, send)
    started = time.perf_counter()
    head = []

    async def timed_send(message):
        if message["type"] == "http.response.start":
            head.append(time.perf_counter())
        await send(message)

    await inner(scope, receive, timed_send)
    ended = time.perf_counter()
    tag = dict(scope["headers"]).get(b"x-bench-tag", b"-").decode()
    first = head[0] if head else ended
    log.write(f"{tag}\\t{(first - started) * 1e3:.3f}\\t{(ended - started) * 1e3:.3f}\\n")

uvicorn.run(app, host="127.0.0.1", port=int(port), access_log=False, log_level="warning")
"""


# ---------------------------------------------------------------------------------- options
@dataclass(frozen=True)
class Options:
    datasets: int
    runs: int
    seed: int
    distinct_files: int
    skip_datasette: bool
    skip_demo: bool
    skip_large: bool
    skip_breakdown: bool
    rebuild: bool
    quiet_wait: int
    write_docs: bool
    baseline_src: Path | None


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=5000, help="datasets in the large catalog")
    parser.add_argument("--runs", type=int, default=40, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=4, help="seed of the generated catalog")
    parser.add_argument("--distinct-files", type=int, default=120,
                        help="distinct data files behind the generated datasets (each "
                        "dataset still gets its own version); >= --datasets ingests each "
                        "afresh")  # fmt: skip
    parser.add_argument("--skip-datasette", action="store_true", help="no Datasette comparison")
    parser.add_argument("--skip-demo", action="store_true", help="no demo-catalog timings")
    parser.add_argument("--skip-large", action="store_true", help="no generated-catalog timings")
    parser.add_argument("--skip-breakdown", action="store_true",
                        help="no in-process breakdown of where a page's time goes")  # fmt: skip
    parser.add_argument("--rebuild", action="store_true", help="regenerate the stores")
    parser.add_argument("--quiet-wait", type=int, default=180,
                        help="seconds to wait, before each timing phase, for the machine's other "
                        "CPU load to drop below 25%% (0: do not wait)")  # fmt: skip
    parser.add_argument("--write-docs", action="store_true",
                        help=f"write the `{SECTION}` section of docs/benchmarks.md")  # fmt: skip
    parser.add_argument("--baseline-src", type=Path, default=None,
                        help="folder holding another version of the `steward` package (e.g. an "
                        "older checkout's src): also time its generated-catalog pages, side by "
                        "side")  # fmt: skip
    args = parser.parse_args(argv)
    if args.datasets < 60 or args.runs < 1 or args.distinct_files < 1:
        parser.error("--datasets must be at least 60, --runs and --distinct-files at least 1")
    return Options(**vars(args))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- machine
@dataclass(frozen=True)
class Machine:
    cpus: int
    cpu_model: str
    memory_gb: float
    python: str
    datasette: str | None
    sqlite: str

    def describe(self) -> str:
        versions = f"Python {self.python}, Steward {steward_version}, SQLite {self.sqlite}"
        if self.datasette:
            versions += f", Datasette {self.datasette}"
        return (
            f"{self.cpus} vCPU ({self.cpu_model}), {self.memory_gb:.0f} GB RAM, "
            f"{platform.system()} {platform.release()}; {versions}"
        )


def machine(datasette: str | None) -> Machine:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = 0.0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / 1024 / 1024
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return Machine(cpus or 1, model, memory, platform.python_version(), datasette,
                   sqlite3.sqlite_version)  # fmt: skip


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def cpu_busy(seconds: float = 5.0) -> float:
    """Share of all CPUs busy over the next `seconds` (from /proc/stat; 0 where there is none)."""
    stat = Path("/proc/stat")
    if not stat.exists():
        return 0.0

    def sample() -> tuple[int, int]:
        values = [int(v) for v in stat.read_text().splitlines()[0].split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values), idle

    total_before, idle_before = sample()
    time.sleep(seconds)
    total_after, idle_after = sample()
    elapsed = max(total_after - total_before, 1)
    return 1 - (idle_after - idle_before) / elapsed


def wait_for_quiet(max_wait_s: int, threshold: float = 0.25) -> str:
    """Wait (at most `max_wait_s`) until the CPUs are mostly idle; say how it went."""
    started = time.monotonic()
    busy = cpu_busy()
    while busy >= threshold and time.monotonic() - started < max_wait_s:
        log(f"  CPUs {busy:.0%} busy with other work; waiting for them to settle")
        busy = cpu_busy()
    waited = time.monotonic() - started
    return f"CPUs {busy:.0%} busy just before timing (after waiting {waited:.0f} s)"


# ---------------------------------------------------------------------------------- demo store
def build_demo(rebuild: bool) -> Path:
    """The demo catalog in bench/out/pages-demo (the loader is idempotent, so it is re-run)."""
    data_dir = OUT / "pages-demo"
    if rebuild:
        shutil.rmtree(data_dir, ignore_errors=True)
    settings = Settings(data_dir=data_dir)
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    try:
        database.migrate()
        started = time.perf_counter()
        outcomes = load_demo(database, data_dir)
        loaded = sum(1 for outcome in outcomes if outcome.action == "loaded")
        log(f"demo store: {len(outcomes)} datasets ({loaded} loaded now) "
            f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    finally:
        database.dispose()
    return data_dir


# ---------------------------------------------------------------------------------- SQLite
def sqlite_columns(header: list[str]) -> list[str]:
    """Snake-case names, as Steward's ingest gives them ("Total cases " -> total_cases)."""
    return [re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_") for name in header]


def _sqlite_value(text: str) -> object:
    if text == "":
        return None
    us_date = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", text)
    if us_date:
        month, day, year = us_date.groups()
        return f"{year}-{month}-{day}"  # ISO, so it sorts as a date
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d*\.\d+", text):
        return float(text)
    return text


def build_sqlite(rebuild: bool) -> Path:
    """The demo COVID-by-town CSV as table `covid` in bench/out/pages-datasette/db.db."""
    target = OUT / "pages-datasette" / "db.db"
    if target.exists() and not rebuild:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with COVID_CSV.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        columns = sqlite_columns(next(reader))
        rows = [[_sqlite_value(value) for value in row] for row in reader]
    kinds = []
    for index, name in enumerate(columns):
        seen = {type(row[index]) for row in rows if row[index] is not None}
        kind = "TEXT" if str in seen else "REAL" if float in seen else "INTEGER"
        kinds.append(f"{name} {kind}")
    con = sqlite3.connect(partial)
    try:
        con.execute(f"CREATE TABLE covid ({', '.join(kinds)})")
        marks = ", ".join("?" for _ in columns)
        con.executemany(f"INSERT INTO covid VALUES ({marks})", rows)
        con.commit()
    finally:
        con.close()
    partial.rename(target)
    log(f"SQLite: {len(rows):,} rows -> {target.relative_to(ROOT)}")
    return target


def ensure_datasette() -> str:
    """Datasette in its own venv (shared with bench/query.py); returns its version."""
    datasette = DATASETTE_VENV / "bin" / "datasette"
    if not datasette.exists():
        log(f"installing {DATASETTE_SPEC} into {DATASETTE_VENV.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        pip = [str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", DATASETTE_SPEC]
        subprocess.run(pip, check=True, timeout=600)
    done = subprocess.run([str(datasette), "--version"], capture_output=True, text=True, check=True)
    return done.stdout.strip().rsplit(" ", 1)[-1]


# ---------------------------------------------------------------------------------- vocabulary
AGENCIES = [  # slug, name, abbreviation, the categories it mostly publishes in
    ("dph", "Department of Public Health", "DPH", ["Health and Human Services"]),
    ("dss", "Department of Social Services", "DSS", ["Health and Human Services"]),
    ("dmhas", "Department of Mental Health and Addiction Services", "DMHAS",
     ["Health and Human Services"]),
    ("sde", "State Department of Education", "SDE", ["Education"]),
    ("oec", "Office of Early Childhood", "OEC", ["Education", "Health and Human Services"]),
    ("deep", "Department of Energy and Environmental Protection", "DEEP",
     ["Environment and Natural Resources"]),
    ("doag", "Department of Agriculture", "DoAg",
     ["Environment and Natural Resources", "Business"]),
    ("opm", "Office of Policy and Management", "OPM", ["Government", "Local Government"]),
    ("osc", "Office of the State Comptroller", "OSC", ["Government"]),
    ("sots", "Secretary of the State", "SOTS", ["Government", "Business", "Local Government"]),
    ("dot", "Department of Transportation", "DOT", ["Transportation"]),
    ("dmv", "Department of Motor Vehicles", "DMV", ["Transportation", "Public Safety"]),
    ("despp", "Department of Emergency Services and Public Protection", "DESPP",
     ["Public Safety"]),
    ("doc", "Department of Correction", "DOC", ["Public Safety"]),
    ("drs", "Department of Revenue Services", "DRS", ["Tax and Revenue"]),
    ("decd", "Department of Economic and Community Development", "DECD",
     ["Business", "Housing and Development"]),
    ("doh", "Department of Housing", "DOH", ["Housing and Development"]),
    ("dol", "Department of Labor", "DOL", ["Business", "Government"]),
    ("dcp", "Department of Consumer Protection", "DCP", ["Business", "Public Safety"]),
    ("cid", "Connecticut Insurance Department", "CID", ["Business", "Tax and Revenue"]),
]  # fmt: skip

SUBJECTS = {
    "Business": ["Business Registrations", "Liquor Permits", "Professional Licenses",
                 "Small Business Loans", "Unemployment Claims", "Wage Statistics",
                 "Insurance Complaints", "Farm Product Sales", "Manufacturing Employment"],
    "Education": ["School Enrollment", "Graduation Rates", "Chronic Absenteeism",
                  "Smarter Balanced Assessment Results", "Teacher Certifications",
                  "Child Care Capacity", "Special Education Placements", "School Meals"],
    "Environment and Natural Resources": ["Air Quality Readings", "Beach Water Testing",
                                          "Hunting and Fishing Licenses", "Open Space Grants",
                                          "Hazardous Waste Sites", "Electric Vehicle Rebates",
                                          "State Park Attendance", "Shellfish Harvest Areas"],
    "Government": ["State Employee Payroll", "Agency Expenditures", "Grants to Municipalities",
                   "Contracts Awarded", "Public Records Requests", "Board and Commission Seats",
                   "Vendor Payments", "Bond Allocations"],
    "Health and Human Services": ["Hospital Discharges", "Overdose Deaths", "Vaccination Rates",
                                  "Lead Poisoning Cases", "SNAP Participation",
                                  "Medicaid Enrollment", "Birth Statistics",
                                  "Emergency Department Visits", "Nursing Home Inspections"],
    "Housing and Development": ["Affordable Housing Appraisal", "Building Permits",
                                "Housing Choice Vouchers", "Brownfield Remediation Grants",
                                "Real Estate Sales", "Homelessness Counts", "Foreclosure Filings"],
    "Local Government": ["Municipal Budgets", "Mill Rates", "Town Clerk Filings",
                         "Election Results", "Municipal Pension Funding", "Grand List Values",
                         "Local Road Mileage"],
    "Public Safety": ["Crashes and Injuries", "Uniform Crime Reports", "Correctional Population",
                      "Traffic Stops", "Fire Incidents", "Firearm Permits",
                      "Emergency Medical Responses", "Parole Releases"],
    "Tax and Revenue": ["Sales Tax Collections", "Personal Income Tax Returns",
                        "Property Tax Credits", "Corporation Business Tax", "Tax Refunds Issued",
                        "Motor Fuels Tax", "Cigarette Tax Stamps"],
    "Transportation": ["Average Daily Traffic", "Bridge Conditions", "Bus Ridership",
                       "Rail Station Boardings", "Vehicle Registrations",
                       "Driver License Issuance", "Pavement Ratings", "Bicycle Counts"],
}  # fmt: skip
GEOGRAPHIES = ["by Town", "by County", "Statewide", "by Planning Region", "by Facility",
               "by Month", "by Age Group", ""]  # fmt: skip
KEYWORDS = {
    "Business": ["business", "licenses", "employment", "economy", "permits", "wages"],
    "Education": ["schools", "students", "education", "districts", "teachers", "early childhood"],
    "Environment and Natural Resources": ["environment", "air", "water", "parks", "energy",
                                          "wildlife", "waste"],
    "Government": ["budget", "spending", "payroll", "contracts", "transparency", "grants"],
    "Health and Human Services": ["health", "public health", "hospitals", "medicaid",
                                  "vital statistics", "opioids", "covid-19"],
    "Housing and Development": ["housing", "development", "permits", "real estate",
                                "homelessness", "affordability"],
    "Local Government": ["municipalities", "towns", "elections", "property tax", "budgets"],
    "Public Safety": ["crime", "police", "corrections", "crashes", "fire", "emergency"],
    "Tax and Revenue": ["tax", "revenue", "collections", "refunds", "income"],
    "Transportation": ["transportation", "traffic", "transit", "roads", "bridges", "vehicles"],
}  # fmt: skip
GENERAL_KEYWORDS = ["connecticut", "annual", "monthly", "statewide", "town data", "trends"]
SENTENCES = [
    "Figures are provisional until the annual reconciliation is complete.",
    "Counts under five are suppressed to protect privacy and appear as blanks.",
    "Earlier years were converted from the agency's legacy reporting system.",
    "Town names follow the 169 Connecticut municipalities.",
    "Amounts are in nominal dollars and are not adjusted for inflation.",
    "Rates use the Department of Public Health's annual population estimates.",
    "Records are added as they are reported and may be revised later.",
    "The dataset replaces a series previously published as a PDF report.",
    "Each row is one reporting period for one reporting unit.",
    "Definitions changed in 2019; compare earlier years with care.",
]
RARE_WORD = "lobster"  # planted in a handful of datasets, for a selective search
RARE_CATEGORY = "Environment and Natural Resources"
FREQUENCIES = ["R/P1D", "R/P1W", "R/P1M", "R/P1M", "R/P3M", "R/P1Y", "R/P1Y", "irregular"]

# Fields: CSV header (label), kind, description. The ingest names them, e.g. "Fiscal Year" ->
# fiscal_year; the kind decides the generated values.
FIELDS = [
    ("Fiscal Year", "year", "State fiscal year, July 1 to June 30, named by its end year."),
    ("Calendar Year", "year", "Calendar year of the activity."),
    ("Report Date", "date", "Date the figures were reported to the agency."),
    ("Period Start", "date", "First day of the reporting period."),
    ("Total Count", "count", "Number of records in the reporting period."),
    ("Number of Applications", "count", "Applications received during the period."),
    ("Number of Permits", "count", "Permits issued during the period."),
    ("Enrollment", "count", "Number of people enrolled on October 1."),
    ("Population", "count", "Estimated population used as the denominator."),
    ("Cases", "count", "Cases reported, by town of residence."),
    ("Inspections", "count", "Inspections completed."),
    ("Violations", "count", "Violations cited during inspections."),
    ("Claims", "count", "Claims filed."),
    ("Vehicles", "count", "Registered vehicles at the end of the period."),
    ("Injuries", "count", "People injured."),
    ("Students", "count", "Students counted in the October collection."),
    ("Households", "count", "Households served."),
    ("Amount", "amount", "Amount in dollars."),
    ("Grant Amount", "amount", "Grant awarded, in dollars."),
    ("Expenditures", "amount", "Expenditures in the period, in dollars."),
    ("Assessed Value", "amount", "Assessed value on the grand list, in dollars."),
    ("Payment Amount", "amount", "Payment issued, in dollars."),
    ("Rate per 100k", "rate", "Rate per 100,000 residents."),
    ("Percent Change", "rate", "Change from the previous period, in percent."),
    ("Graduation Rate", "rate", "Four-year adjusted cohort graduation rate, in percent."),
    ("Facility ID", "code", "Identifier of the facility assigned by the agency."),
    ("District Code", "code", "Seven-digit district code used by the State Department of "
                              "Education."),
    ("ZIP Code", "code", "Five-digit ZIP code of the address."),
    ("Program", "choice", "Program the record belongs to."),
    ("Status", "choice", "Status at the end of the period."),
    ("Facility Type", "choice", "Kind of facility."),
    ("Age Group", "choice", "Age group in years."),
    ("Race/Ethnicity", "choice", "Race and ethnicity as self-reported."),
    ("Fuel Type", "choice", "Fuel type of the vehicle or equipment."),
    ("Active", "flag", "Whether the record was active at the end of the period."),
]  # fmt: skip
CHOICES = ["Active", "Closed", "Pending", "Type A", "Type B", "Other", "Unknown", "Under 18",
           "18-64", "65 and over", "Hispanic", "Non-Hispanic White", "Electric",
           "Gasoline"]  # fmt: skip


def town_names() -> tuple[list[str], list[str]]:
    with TOWNS_CSV.open(encoding="utf-8", newline="") as handle:
        towns = list(csv.DictReader(handle))
    return [t["town_name"] for t in towns], sorted({t["county_name"] for t in towns})


# ---------------------------------------------------------------------------------- generator
@dataclass(frozen=True)
class SourceFile:
    path: Path
    headers: list[str]
    descriptions: list[str]


def write_source(
    path: Path, rng: random.Random, towns: list[str], counties: list[str]
) -> SourceFile:
    """One small CSV: maybe a town (and county) column, a time column, then 3-13 other fields."""
    columns: list[tuple[str, str, str]] = []
    if rng.random() < 0.55:
        columns.append(("Town", "town", "Connecticut town (one of the 169 municipalities)."))
        if rng.random() < 0.3:
            columns.append(("County", "county", "County the town lies in."))
    time_fields = [f for f in FIELDS if f[1] in {"year", "date"}]
    columns.append(rng.choice(time_fields))
    others = [f for f in FIELDS if f[1] not in {"year", "date"}]
    columns += rng.sample(others, rng.randint(5, 15) - len(columns))
    rows = rng.randint(50, 500)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([header for header, _kind, _description in columns])
        for _ in range(rows):
            writer.writerow([_value(kind, rng, towns, counties) for _h, kind, _d in columns])
    return SourceFile(path, [c[0] for c in columns], [c[2] for c in columns])


def _value(kind: str, rng: random.Random, towns: list[str], counties: list[str]) -> str:
    generators: dict[str, Callable[[], str]] = {
        "town": lambda: rng.choice(towns),
        "county": lambda: rng.choice(counties),
        "year": lambda: str(rng.randint(2010, 2024)),
        "date": lambda: (dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3600))).isoformat(),
        "count": lambda: str(int(rng.expovariate(1 / 400))),
        "amount": lambda: f"{rng.expovariate(1 / 250_000):.2f}",
        "rate": lambda: f"{rng.uniform(0, 100):.1f}",
        "code": lambda: f"{rng.randint(0, 99999):05d}",
        "choice": lambda: rng.choice(CHOICES),
        "flag": lambda: rng.choice(["true", "false"]),
    }
    if kind not in {"town", "county"} and rng.random() < 0.03:
        return ""  # the odd blank, as in real files
    return generators[kind]()


def dataset_id(rng: random.Random, taken: set[str]) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    while True:
        candidate = "".join(rng.choice(alphabet) for _ in range(4)) + "-"
        candidate += "".join(rng.choice(alphabet) for _ in range(4))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def dataset_metadata(
    rng: random.Random, number: int, taken: set[str], rare: bool
) -> dict[str, Any]:
    slug, name, abbreviation, categories = rng.choice(AGENCIES)
    category = RARE_CATEGORY if rare else rng.choice(categories)
    subject = "Lobster Landings" if rare else rng.choice(SUBJECTS[category])
    start = rng.randint(2005, 2020)
    end = rng.randint(start, 2024)
    geography = rng.choice(GEOGRAPHIES)
    title = " ".join(part for part in [subject, geography] if part) + f", {start}-{end}"
    if rng.random() < 0.3:
        title = f"{abbreviation} {title}"
    frequency = rng.choice(FREQUENCIES)
    keywords = rng.sample(KEYWORDS[category], rng.randint(2, 4))
    keywords += rng.sample(GENERAL_KEYWORDS, rng.randint(0, 2))
    if rare:
        keywords.append(RARE_WORD)
    description = (
        f"{subject} reported by the {name} "
        f"{'for each town' if 'Town' in geography else geography.lower() or 'statewide'}, "
        f"{start} to {end}. "
        + " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
        + f" Series {number:05d}."
    )
    access = rng.choices(["public", "restricted public", "non-public"], [94, 4, 2])[0]
    return {
        "id": dataset_id(rng, taken),
        "agency": slug,
        "title": title,
        "description": description,
        "category": category,
        "keywords": keywords,
        "license": rng.choice(["Public Domain", "CC BY 4.0", "Not specified"]),
        "access_level": access,
        "classification": "public" if access == "public" else "protected",
        "update_frequency": frequency,
        "temporal_coverage": f"{start}/{end}",
        "spatial_coverage": "Connecticut" + (f", {geography.lower()}" if geography else ""),
        "contact_name": f"{abbreviation} Data Team",
        "contact_email": f"{slug}.data@ct.gov",
    }


class ReusedIngest:
    """Stands in for `versions.ingest_file` while the catalog is generated.

    The first dataset that uses a source file gets the real `ingest_file` (CSV -> typed Parquet);
    later datasets with the same source get a copy of the Parquet file that ingest wrote and the
    same `IngestResult`. Everything else in `ingest_version` (the version row, making it current,
    the data dictionary, the search index) runs as normal, and each dataset has its own file.
    """

    def __init__(self, real: Callable[..., IngestResult]) -> None:
        self.real = real
        self.first: dict[Path, tuple[Path, IngestResult]] = {}
        self.real_s: list[float] = []

    def __call__(self, source: Path, destination: Path, **kwargs: Any) -> IngestResult:
        key = Path(source).resolve()
        if key in self.first:
            written, result = self.first[key]
            partial = destination.with_name(f".{destination.name}.tmp-bench")
            shutil.copyfile(written, partial)
            os.replace(partial, destination)
            return result
        started = time.perf_counter()
        result = self.real(source, destination, **kwargs)
        self.real_s.append(time.perf_counter() - started)
        self.first[key] = (destination, result)
        return result


@dataclass
class Catalog:
    data_dir: Path
    ids: list[str]  # published datasets, in creation order
    largest: str  # the published dataset with the most fields x rows
    build: dict[str, Any]


def build_catalog(opts: Options) -> Catalog:
    """The generated catalog, reused when a complete one with the same options exists."""
    name = f"pages-{opts.datasets}-s{opts.seed}-f{opts.distinct_files}"
    data_dir = OUT / name
    ready = data_dir / "READY.json"
    if ready.exists() and not opts.rebuild:
        saved = json.loads(ready.read_text())
        if saved.get("format") == BUILD_FORMAT:
            log(f"reusing {data_dir.relative_to(ROOT)}")
            return Catalog(data_dir, saved["ids"], saved["largest"], saved["build"])
    shutil.rmtree(data_dir, ignore_errors=True)
    sources_dir = OUT / f"{name}-sources"
    shutil.rmtree(sources_dir, ignore_errors=True)
    sources_dir.mkdir(parents=True)
    settings = Settings(data_dir=data_dir)
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    try:
        database.migrate()
        catalog = _generate(opts, data_dir, sources_dir, database)
    finally:
        database.dispose()
    shutil.rmtree(sources_dir, ignore_errors=True)
    ready.write_text(json.dumps({"format": BUILD_FORMAT, "ids": catalog.ids,
                                 "largest": catalog.largest, "build": catalog.build}))  # fmt: skip
    return catalog


def _generate(opts: Options, data_dir: Path, sources_dir: Path, database: Database) -> Catalog:
    rng = random.Random(opts.seed)
    towns, counties = town_names()
    started = time.perf_counter()
    files = [
        write_source(sources_dir / f"source-{i:04d}.csv", rng, towns, counties)
        for i in range(min(opts.distinct_files, opts.datasets))
    ]
    generate_s = time.perf_counter() - started
    with database.session() as session:
        for slug, agency_name, abbreviation, _categories in AGENCIES:
            service.create_agency(session, SYSTEM, AgencyCreate(
                slug=slug, name=agency_name, abbreviation=abbreviation,
                website=f"https://portal.ct.gov/{slug}",
                description=f"The {agency_name} of the State of Connecticut."))  # fmt: skip
    rare_every = max(opts.datasets // 8, 1)  # ~8 datasets carry the rare word
    taken: set[str] = set()
    published: list[str] = []
    sizes: dict[str, int] = {}
    reused = ReusedIngest(ingest_file)
    per_dataset: list[float] = []
    started = time.perf_counter()
    with mock.patch.object(versions, "ingest_file", reused):
        for number in range(opts.datasets):
            meta = dataset_metadata(rng, number, taken, rare=number % rare_every == 3)
            source = files[number % len(files)]
            publish = rng.random() >= 0.02  # a few stay drafts, as in a real catalog
            begun = time.perf_counter()
            with database.session() as session:
                _add_dataset(session, data_dir, meta, source, publish)
            per_dataset.append(time.perf_counter() - begun)
            if publish:
                published.append(meta["id"])
                sizes[meta["id"]] = len(source.headers) * _rows_in(source.path)
            if (number + 1) % 500 == 0:
                log(f"  {number + 1:,} datasets, {time.perf_counter() - started:.0f} s")
    build_s = time.perf_counter() - started
    real_ingests = len(reused.real_s)
    build = {
        "datasets": opts.datasets,
        "published": len(published),
        "distinct_files": len(files),
        "generate_sources_s": round(generate_s, 2),
        "build_s": round(build_s, 1),
        "per_dataset_ms": round(statistics.mean(per_dataset) * 1e3, 1),
        "real_ingest_file_ms": round(statistics.median(reused.real_s) * 1e3, 1)
        if real_ingests
        else None,
        "full_ingest_dataset_ms": round(statistics.median(per_dataset[:real_ingests]) * 1e3, 1)
        if real_ingests
        else None,
        "reused_dataset_ms": round(statistics.median(per_dataset[real_ingests:]) * 1e3, 1)
        if len(per_dataset) > real_ingests
        else None,
        "rare_word": RARE_WORD,
    }
    log(f"built {opts.datasets:,} datasets in {build_s:.0f} s: {json.dumps(build)}")
    largest = max(sizes, key=lambda key: sizes[key])
    return Catalog(data_dir, published, largest, build)


def _rows_in(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def _add_dataset(
    session: Any, data_dir: Path, meta: dict[str, Any], source: SourceFile, publish: bool
) -> None:
    created = service.create_dataset(session, SYSTEM, DatasetCreate.model_validate(meta))
    versions.ingest_version(session, SYSTEM, data_dir, created.id, source.path, created_by="bench",
                            notes="Generated for bench/pages.py")  # fmt: skip
    agency = meta["contact_name"].removesuffix(" Data Team")
    for item, description in zip(service.list_fields(session, created.id), source.descriptions,
                                 strict=True):  # fmt: skip
        text = f"{description} Reported by {agency}."
        service.update_field(session, SYSTEM, created.id, item.name, FieldUpdate(description=text))
    if publish:
        service.set_status(session, SYSTEM, created.id, "published")


# ---------------------------------------------------------------------------------- servers
@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    timing_log: Path
    log_path: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(name: str, python: Path, kind: str, target: str, env: dict[str, str]) -> Server:
    port = free_port()
    timing_log = OUT / f"pages-{name}-timing.tsv"
    timing_log.unlink(missing_ok=True)
    log_path = OUT / f"pages-{name}.log"
    command = [str(python), "-c", TIMED_SERVER, kind, target, str(port), str(timing_log)]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, env=env, cwd=OUT, stdout=log_file, stderr=subprocess.STDOUT
        )
    return Server(name, process, f"http://{HOST}:{port}", timing_log, log_path)


def start_steward(name: str, data_dir: Path, src: Path | None = None) -> Server:
    """Steward on `data_dir`; with `src`, the `steward` package in that folder instead."""
    env = {
        **os.environ,
        "STEWARD_DATA_DIR": str(data_dir),
        "STEWARD_RATE_LIMIT_ANONYMOUS": "1000000000",
    }
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve())
    return start_server(name, Path(sys.executable), "steward", str(data_dir), env)


def start_datasette(db_path: Path) -> Server:
    python = DATASETTE_VENV / "bin" / "python"
    return start_server("datasette", python, "datasette", str(db_path), dict(os.environ))


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


# ---------------------------------------------------------------------------------- timing
@dataclass(frozen=True)
class Case:
    key: str
    label: str
    server: str  # name of the server it runs on
    path: str
    target: bool = True  # counts against the 100 ms target


@dataclass
class Result:
    case: Case
    client_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    first_ms: float = math.nan  # server time of the first request (caches cold)
    size: int = 0


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def p90(values: list[float]) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]


def measure(cases: list[Case], servers: dict[str, Server], runs: int) -> list[Result]:
    """First request, one more warm-up, then `runs` rounds with the cases interleaved."""
    results = {case.key: Result(case) for case in cases}
    with ExitStack() as stack:
        clients = {
            name: stack.enter_context(httpx.Client(base_url=server.base_url, timeout=120))
            for name, server in servers.items()
        }

        def get(case: Case, tag: str) -> float:
            started = time.perf_counter()
            response = clients[case.server].get(case.path, headers={"x-bench-tag": tag})
            elapsed = (time.perf_counter() - started) * 1e3
            if response.status_code != 200:
                raise RuntimeError(f"{case.server} {case.path}: HTTP {response.status_code}")
            results[case.key].size = len(response.content)
            return elapsed

        for round_tag in ["first", "warm"]:
            for case in cases:
                get(case, f"{case.key}|{round_tag}")
        for run in range(runs):
            for case in cases:
                results[case.key].client_ms.append(get(case, f"{case.key}|r{run}"))
    for name, server in servers.items():
        expected = (runs + 2) * sum(1 for case in cases if case.server == name)
        wait_for_lines(server.timing_log, expected)
        read_server_times(server.timing_log, name, results)
    return [results[case.key] for case in cases]


def wait_for_lines(timing_log: Path, expected: int, timeout_s: float = 10.0) -> None:
    """The server logs a request just after sending its last byte: let the last lines land."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        lines = timing_log.read_text().splitlines()
        if sum(1 for line in lines if not line.startswith("-\t")) >= expected:
            return
        time.sleep(0.05)
    raise RuntimeError(f"{timing_log} has fewer than {expected} requests")


def read_server_times(timing_log: Path, server: str, results: dict[str, Result]) -> None:
    """Add the server's own times (logged by TIMED_SERVER against each request's tag)."""
    for line in timing_log.read_text().splitlines():
        tag, _head, total = line.split("\t")
        key, _, which = tag.partition("|")
        if key not in results or results[key].case.server != server:
            continue
        if which == "first":
            results[key].first_ms = float(total)
        elif which.startswith("r"):
            results[key].server_ms.append(float(total))


def demo_cases(with_datasette: bool) -> list[Case]:
    covid = f"/d/{COVID_ID}"
    filtered = f"{covid}?eq.town=Hartford&sort=last_update_date&desc=1"
    cases = [
        Case("demo-d", f"`{covid}`", "steward", covid),
        Case("demo-d-filter", f"`{filtered}`", "steward", filtered),
        Case("demo-browse", "`/browse`", "steward", "/browse"),
        Case("demo-browse-covid", "`/browse?q=covid`", "steward", "/browse?q=covid"),
        Case("demo-browse-town-dph", "`/browse?q=town&agency=dph`", "steward",
             "/browse?q=town&agency=dph"),
    ]  # fmt: skip
    if with_datasette:
        table = "/db/covid"
        ds_filtered = f"{table}?town=Hartford&_sort_desc=last_update_date"
        cases += [
            Case("ds-table", f"Datasette `{table}` (100 rows)", "datasette", table, False),
            Case("ds-filter", f"Datasette `{ds_filtered}`", "datasette", ds_filtered, False),
            Case("ds-table-25", f"Datasette `{table}?_size=25` (Steward's page size)",
                 "datasette", f"{table}?_size=25", False),
            Case("ds-filter-25", f"Datasette `{ds_filtered}&_size=25`", "datasette",
                 f"{ds_filtered}&_size=25", False),
        ]  # fmt: skip
    return cases


def large_cases(catalog: Catalog) -> list[Case]:
    category = urlencode({"category": RARE_CATEGORY})
    ids = catalog.ids
    pages = max(1, math.ceil(len(ids) / 20))
    deep = min(50, pages)
    picks = [ids[0], ids[len(ids) // 2], ids[-1]]
    cases = [
        Case("big-browse", "`/browse`", "big", "/browse"),
        Case("big-browse-town", "`/browse?q=town` (common word)", "big", "/browse?q=town"),
        Case("big-browse-rare", f"`/browse?q={RARE_WORD}&{category}` (rare word)", "big",
             f"/browse?q={RARE_WORD}&{category}"),
        Case("big-browse-page", f"`/browse?page={deep}`", "big", f"/browse?page={deep}"),
        Case("big-browse-updated", "`/browse?q=health&sort=updated&page=3`", "big",
             "/browse?q=health&sort=updated&page=3"),
    ]  # fmt: skip
    for index, dataset in enumerate([*picks, catalog.largest]):
        note = " (most fields x rows)" if dataset == catalog.largest else ""
        cases.append(Case(f"big-d{index}", f"`/d/{dataset}`{note}", "big", f"/d/{dataset}"))
    cases.append(Case("big-home", "`/` (home, for reference)", "big", "/", False))
    return cases


def with_baseline(cases: list[Case]) -> list[Case]:
    """Each case, then the same page from the baseline server (not counted for the target)."""
    paired = []
    for case in cases:
        paired += [case, Case(f"base-{case.key}", f"{case.label}, *baseline*", "baseline",
                              case.path, False)]  # fmt: skip
    return paired


# ---------------------------------------------------------------------------------- breakdown
# Call sites the pages make, timed in-process (TestClient) to show where a page's time goes.
# Each is patched where the page looks it up; one missing in the current tree is left out.
BREAKDOWN = [
    ("steward.web.pages.dataset_page", "conformance_context", "standards conformance section"),
    ("steward.web.pages.dataset_page", "_rows_context", "preview rows, chart and map context"),
    ("steward.web.pages.dataset_page", "render", "template (dataset page)"),
    ("steward.catalog.service", "get_dataset", "service.get_dataset"),
    ("steward.catalog.versions", "list_versions", "versions.list_versions"),
    ("steward.catalog.service", "list_datasets", "service.list_datasets"),
    ("steward.catalog.service", "facet_counts", "service.facet_counts"),
    ("steward.catalog.listing", "matching_ids", "listing.matching_ids"),
    ("steward.catalog.search", "ranked_ids", "search.ranked_ids (FTS5)"),
    ("steward.catalog.listing", "_facet_entries", "facet index build (once per catalog version)"),
    ("steward.web.pages.catalog_pages", "render", "template (catalog pages)"),
]


@dataclass
class Breakdown:
    data_dir: Path
    path: str
    total_ms: float = 0.0  # mean in-process time per request
    parts: dict[str, tuple[float, float]] = field(default_factory=dict)  # ms and calls / request
    gc_ms: float = 0.0  # mean time per request in Python's cyclic garbage collector
    full_collections: int = 0  # generation-2 collections during the timed requests
    tracked: int = 0  # objects the collector tracks, after this page has been served
    full_collect_ms: float = 0.0  # one forced full collection at that point


class GcTimer:
    """Times the cyclic garbage collector's passes (it stops every thread while it runs)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        self.seconds += time.perf_counter() - self._started
        self.full += info["generation"] == 2


def full_collection() -> tuple[int, float]:
    """Tracked objects, and the ms a full collection of them takes (best of three)."""
    gc.collect()
    times = []
    for _ in range(3):
        started = time.perf_counter()
        gc.collect()
        times.append((time.perf_counter() - started) * 1e3)
    return len(gc.get_objects()), min(times)


def breakdown(data_dir: Path, paths: list[str], runs: int) -> list[Breakdown]:
    """Mean in-process time of each page, and of the BREAKDOWN calls it makes."""
    spent: dict[str, list[float]] = {}

    def timed(label: str, original: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent.setdefault(label, []).append(time.perf_counter() - started)

        return call

    found: list[Breakdown] = []
    with ExitStack() as stack:
        for module_name, name, label in BREAKDOWN:
            module = importlib.import_module(module_name)
            if hasattr(module, name):
                patched = timed(label, getattr(module, name))
                stack.enter_context(mock.patch.object(module, name, patched))
        settings = Settings(data_dir=data_dir, rate_limit_anonymous=1_000_000_000)
        client = stack.enter_context(TestClient(create_app(settings)))
        for path in paths:
            for _ in range(2):
                client.get(path).raise_for_status()
            tracked, full_ms = full_collection()
            spent.clear()
            collector = GcTimer()
            gc.callbacks.append(collector)
            started = time.perf_counter()
            try:
                for _ in range(runs):
                    client.get(path).raise_for_status()
            finally:
                gc.callbacks.remove(collector)
            total = (time.perf_counter() - started) / runs * 1e3
            parts = {label: (sum(times) / runs * 1e3, len(times) / runs)
                     for label, times in spent.items()}  # fmt: skip
            gc_ms = collector.seconds / runs * 1e3
            found.append(Breakdown(data_dir, path, total, parts, gc_ms, collector.full,
                                   tracked, full_ms))  # fmt: skip
    return found


def breakdown_table(rows: list[Breakdown]) -> list[str]:
    lines = [
        "| store | page | in-process mean ms | where it goes: mean ms per request (calls) "
        "| garbage collector: mean ms per request (full passes) | tracked objects; one full "
        "pass ms |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        ordered = sorted(row.parts.items(), key=lambda item: -item[1][0])
        parts = "; ".join(
            f"{label} {ms:.1f}" + (f" ({calls:g}x)" if calls != 1 else "")
            for label, (ms, calls) in ordered
            if ms >= 0.5
        )
        store = row.data_dir.name
        lines.append(
            f"| {store} | `{row.path}` | {row.total_ms:.1f} | {parts} "
            f"| {row.gc_ms:.1f} ({row.full_collections}) "
            f"| {row.tracked:,}; {row.full_collect_ms:.0f} |"
        )
    return lines


# ---------------------------------------------------------------------------------- report
def wrap(paragraph: str) -> str:
    return textwrap.fill(paragraph, width=100, break_on_hyphens=False, break_long_words=False)


def fmt(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.1f}"


def table(results: list[Result]) -> list[str]:
    lines = [
        "| page | server median ms | server p90 ms | request median ms | request p90 ms "
        "| first request ms | KB | target < 100 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        verdict = "-"
        if result.case.target:
            verdict = "**pass**" if median(result.server_ms) < TARGET_MS else "**FAIL**"
        lines.append(
            f"| {result.case.label} | {fmt(median(result.server_ms))} "
            f"| {fmt(p90(result.server_ms))} | {fmt(median(result.client_ms))} "
            f"| {fmt(p90(result.client_ms))} | {fmt(result.first_ms)} "
            f"| {result.size / 1024:.0f} | {verdict} |"
        )
    return lines


def side_by_side(results: list[Result]) -> list[str]:
    by_key = {result.case.key: result for result in results}
    pairs = [
        ("whole table, first page", "demo-d", "ds-table", "ds-table-25"),
        ("town = Hartford, newest first", "demo-d-filter", "ds-filter", "ds-filter-25"),
    ]
    lines = [
        "| view | Steward `/d/` server median ms | Datasette server median ms (100 rows) "
        "| Datasette (25 rows) | Steward request median | Datasette request median (100 / 25) |",
        "|---|---|---|---|---|---|",
    ]
    for label, steward_key, ds_key, ds25_key in pairs:
        if ds_key not in by_key:
            return []
        st, ds, ds25 = by_key[steward_key], by_key[ds_key], by_key[ds25_key]
        lines.append(
            f"| {label} | {fmt(median(st.server_ms))} | {fmt(median(ds.server_ms))} "
            f"| {fmt(median(ds25.server_ms))} | {fmt(median(st.client_ms))} "
            f"| {fmt(median(ds.client_ms))} / {fmt(median(ds25.client_ms))} |"
        )
    return lines


@dataclass
class Report:
    command: str
    machine: Machine
    runs: int
    load_start: str
    load_end: str = ""
    quiet: list[str] = field(default_factory=list)
    demo: list[Result] = field(default_factory=list)
    large: list[Result] = field(default_factory=list)
    catalog: Catalog | None = None
    breakdowns: list[Breakdown] = field(default_factory=list)
    breakdown_runs: int = 0
    seconds: float = 0.0
    baseline_src: str | None = None

    def verdicts(self, prefix: str) -> tuple[int, int]:
        counted = [
            r for r in [*self.demo, *self.large] if r.case.target and r.case.path.startswith(prefix)
        ]
        return sum(median(r.server_ms) < TARGET_MS for r in counted), len(counted)

    def result_line(self) -> str:
        dataset_pass, dataset_count = self.verdicts("/d/")
        search_pass, search_count = self.verdicts("/browse")
        return (
            f"Result: **dataset pages {dataset_pass} of {dataset_count} and search pages "
            f"{search_pass} of {search_count} meet the target**."
        )

    def markdown(self) -> str:
        lines = [
            SECTION,
            "",
            wrap(
                "What it measures: the server time of the portal's dataset page (`/d/{id}`) and "
                "search page (`/browse`), on the demo catalog and on a generated catalog, against "
                "issue 4's target: **median server time under 100 ms on 2 cores**; and, for the "
                "same COVID-by-town rows, Datasette 0.65's table page. Each server is its own "
                "process (uvicorn, one worker, access log off, 127.0.0.1) running the app that "
                "`steward serve` runs (with its start-up warm-up and `gc.freeze()`), wrapped in a "
                "small ASGI timer: *server* time runs from the "
                "request reaching the app to the last byte of the body (Steward's middleware, the "
                "handler, the template); *request* time is the whole round trip from the "
                "benchmark's keep-alive httpx client. Pages are requested one at a time with the "
                f"cases interleaved round by round: a first request (caches cold; shown), one "
                f"warm-up, then {self.runs} timed requests per page."
            ),
            "",
            "```",
            self.command,
            "```",
            "",
            wrap(
                f"Machine: {self.machine.describe()}. Load average (1/5/15 min) {self.load_start} "
                f"at the start and {self.load_end} at the end. The machine is shared with other "
                "sessions' tests and benchmarks, so the figures come from a busy machine and "
                "the p90s especially are noisy"
                + (f"; {'; '.join(self.quiet)}" if self.quiet else "")
                + f". Run time {self.seconds / 60:.1f} min."
            ),
            "",
            self.result_line(),
        ]
        if self.demo:
            lines += ["", "### Demo catalog (5 datasets; COVID by town has 39,884 rows)", ""]
            lines += table(self.demo)
            pairs = side_by_side(self.demo)
            if pairs:
                lines += ["", wrap(
                    "Side by side with Datasette: the same rows in SQLite (built from the demo "
                    "CSV, dates as ISO text, no indexes), Datasette's default settings. Its table "
                    "page counts the matching rows and tries facet suggestions on each request; "
                    "Steward's dataset page also renders metadata, dictionary, versions, chart and "
                    "map forms and the API panel."
                ), ""]  # fmt: skip
                lines += pairs
        if self.large and self.catalog:
            build = self.catalog.build
            lines += [
                "",
                f"### Generated catalog ({build['datasets']:,} datasets, "
                f"{build['published']:,} published)",
                "",
            ]
            lines += table(self.large)
            if self.baseline_src:
                lines += ["", wrap(
                    "Rows marked *baseline* come from a second server running the `steward` "
                    f"package in `{self.baseline_src}` (first on PYTHONPATH) on the same store, "
                    "timed in the same rounds right after the current code's row; they do not "
                    "count toward the result."
                )]  # fmt: skip
            lines += ["", *self.build_notes()]
        if self.breakdowns:
            lines += [
                "",
                "### Where the time goes",
                "",
                wrap(
                    "In-process (FastAPI's TestClient, no network, the same app and stores), "
                    f"{self.breakdown_runs} requests per page, with the main calls the pages make "
                    "wrapped in timers; nested calls count in their callers too, so the parts do "
                    "not add up to the total. The garbage-collector columns time Python's cyclic "
                    "collector during those requests (it pauses every thread; a full pass walks "
                    "every tracked object, so it grows with what the process keeps loaded), and "
                    "one forced full pass after the page has been served."
                ),
                "",
                *breakdown_table(self.breakdowns),
                "",
                *self.findings(),
            ]
        return "\n".join(lines).rstrip("\n") + "\n"

    def findings(self) -> list[str]:
        """For each page over the target in-process, the call that takes most of its time."""
        where = {label: f"{module}.{name}" for module, name, label in BREAKDOWN}
        lines = []
        for row in self.breakdowns:
            if row.total_ms < TARGET_MS or not row.parts:
                continue
            label, (ms, calls) = max(row.parts.items(), key=lambda item: item[1][0])
            repeat = f", called {calls:g} times a request" if calls != 1 else ""
            lines.append(
                f"- `{row.path}` ({row.data_dir.name}): {ms:.0f} of {row.total_ms:.0f} ms "
                f"({ms / row.total_ms:.0%}) in {label} (`{where[label]}`{repeat})."
            )
        slowest = max(self.breakdowns, key=lambda row: row.full_collect_ms, default=None)
        if slowest is not None and slowest.full_collect_ms >= 50:
            lines.append(
                f"- Python's garbage collector: after `{slowest.path}` "
                f"({slowest.data_dir.name}) the process tracks {slowest.tracked:,} objects and "
                f"one full pass over them takes {slowest.full_collect_ms:.0f} ms, a pause that "
                "lands on whichever request is running (see the p90s)."
            )
        if lines:
            lines.insert(0, "Findings (from the table above):")
            lines.insert(1, "")
        return lines

    def build_notes(self) -> list[str]:
        assert self.catalog is not None
        b = self.catalog.build
        full_min = b["datasets"] * (b["full_ingest_dataset_ms"] or 0) / 60000
        rare = math.ceil(b["datasets"] / max(b["datasets"] // 8, 1))
        return [
            wrap(
                f"The catalog: {len(AGENCIES)} agencies, the ten CT categories, titles, "
                "descriptions, keywords and field descriptions from a fixed vocabulary (seeded), "
                f"5-15 fields and 50-500 rows per dataset, the word `{RARE_WORD}` in {rare} "
                "datasets. Every dataset is created through `catalog.service` and gets its own "
                "version through `versions.ingest_version` (its own Parquet file, version row, "
                "ingest hooks, data dictionary with descriptions via `update_field`, search "
                "index); 98% are then published. A full ingest took "
                f"{b['full_ingest_dataset_ms']} ms a dataset (`ingest_file` "
                f"{b['real_ingest_file_ms']} ms of it, mostly fixed DuckDB set-up), so "
                f"{b['datasets']:,} would take ~{full_min:.0f} min. Instead the datasets share "
                f"{b['distinct_files']} distinct source files: the first dataset of each runs the "
                "real `ingest_file`, later ones get a copy of the Parquet file it wrote and the "
                "same result (`ReusedIngest` in the script); everything else runs as normal, at "
                f"{b['reused_dataset_ms']} ms a dataset. The build took {b['build_s']:.0f} s, "
                "once: the store stays in bench/out/ and is reused."
            )
        ]


def write_docs(section: str) -> None:
    """Replace our `## Pages` section in the docs, or append it; other sections stay as they are."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    start = text.find(f"\n{SECTION}\n")
    if start == -1:
        DOCS.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
        return
    following = text.find("\n## ", start + len(SECTION) + 2)
    rest = text[following:] if following != -1 else ""
    DOCS.write_text(text[: start + 1] + section + rest, encoding="utf-8")


# ---------------------------------------------------------------------------------- main
def run(opts: Options, command: str) -> Report:
    datasette = None if opts.skip_datasette else ensure_datasette()
    report = Report(command, machine(datasette), opts.runs, load_average())
    report.baseline_src = str(opts.baseline_src) if opts.baseline_src else None
    started = time.perf_counter()
    if not opts.skip_demo:
        demo_dir = build_demo(opts.rebuild)
        db_path = None if opts.skip_datasette else build_sqlite(opts.rebuild)
        with ExitStack() as stack:
            servers = {"steward": stack.enter_context(
                running(start_steward("steward-demo", demo_dir), "/healthz"))}  # fmt: skip
            if db_path is not None:
                servers["datasette"] = stack.enter_context(
                    running(start_datasette(db_path), "/-/versions.json")
                )
            if opts.quiet_wait:
                report.quiet.append("demo: " + wait_for_quiet(opts.quiet_wait))
            log(f"timing the demo catalog ({opts.runs} runs)")
            report.demo = measure(demo_cases(db_path is not None), servers, opts.runs)
    if not opts.skip_large:
        time_large(opts, report)
    if not opts.skip_breakdown:
        if opts.quiet_wait:
            report.quiet.append("breakdown: " + wait_for_quiet(opts.quiet_wait))
        log("in-process breakdown")
        runs = report.breakdown_runs = min(opts.runs, 20)
        if not opts.skip_demo:
            demo_paths = [f"/d/{COVID_ID}", "/browse?q=town&agency=dph"]
            report.breakdowns += breakdown(OUT / "pages-demo", demo_paths, runs)
        if report.catalog is not None:
            large_paths = ["/browse", "/browse?q=town", "/", f"/d/{report.catalog.largest}"]
            report.breakdowns += breakdown(report.catalog.data_dir, large_paths, runs)
    report.seconds = time.perf_counter() - started
    report.load_end = load_average()
    return report


def time_large(opts: Options, report: Report) -> None:
    """The generated catalog's pages (and the baseline server's, with --baseline-src)."""
    catalog = report.catalog = build_catalog(opts)
    with ExitStack() as stack:
        servers = {"big": stack.enter_context(
            running(start_steward("steward-large", catalog.data_dir), "/healthz"))}  # fmt: skip
        cases = large_cases(catalog)
        if opts.baseline_src is not None:
            baseline = start_steward("steward-baseline", catalog.data_dir, opts.baseline_src)
            servers["baseline"] = stack.enter_context(running(baseline, "/healthz"))
            cases = with_baseline(cases)
        if opts.quiet_wait:
            report.quiet.append("generated: " + wait_for_quiet(opts.quiet_wait))
        log(f"timing the generated catalog ({opts.runs} runs)")
        report.large = measure(cases, servers, opts.runs)


def main(argv: Sequence[str] | None = None) -> None:
    opts = parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    given = list(sys.argv[1:] if argv is None else argv)
    command = " ".join([".venv/bin/python bench/pages.py", *given])
    report = run(opts, command)
    section = report.markdown()
    RESULTS.write_text(section, encoding="utf-8")
    print(section)
    if opts.write_docs:
        write_docs(section)
        log(f"wrote {SECTION} in {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
