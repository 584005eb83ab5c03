"""Golden files: each SoQL line in tests/fixtures/soql/*.txt is followed by the SQL it must become.

A SoQL line holds URL-style SODA parameters (`$select=town&$limit=5`, `town=Hartford`, or one
`$query=SELECT …`); the next line is the DuckDB SQL, or `ERROR: <message>` for a query that must
be refused. Lines starting with `#` are comments. Pairs are separated by a blank line.

Regenerate the expected lines after an intended change with:
    STEWARD_REGEN_GOLDEN=1 .venv/bin/pytest tests/query/test_soql_golden.py
then read the diff before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pytest
import sqlglot

from steward.errors import QueryError
from steward.query.functions import FUNCTIONS
from steward.query.translate import CompiledQuery, FieldInfo, compile_query, parse_soda_params

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "soql"
GOLDEN_FILES = sorted(GOLDEN_DIR.glob("*.txt"))
REGENERATE = os.environ.get("STEWARD_REGEN_GOLDEN") == "1"
_PARAM_BOUNDARY = re.compile(r"&(?=[$:A-Za-z_][\w$:]*=)")


def split_params(line: str) -> list[tuple[str, str]]:
    """`$select=a&$where=b = 'x&y'` -> pairs; `&` splits only before `name=`."""
    pairs = []
    for part in _PARAM_BOUNDARY.split(line):
        key, _, value = part.partition("=")
        pairs.append((key, value))
    return pairs


def compile_line(line: str, fields: list[FieldInfo], dialect: str = "duckdb") -> CompiledQuery:
    query = parse_soda_params(split_params(line), fields)
    return compile_query(query, fields, dialect=dialect)


def render(line: str, fields: list[FieldInfo]) -> str:
    try:
        return compile_line(line, fields).sql
    except QueryError as error:
        return f"ERROR: {error.message}"


def read_pairs(path: Path) -> list[tuple[int, str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    pairs = []
    for number, block in enumerate(b for b in blocks if b):
        assert len(block) == 2, f"{path.name}: pair {number + 1} has {len(block)} lines: {block}"
        pairs.append((number + 1, block[0], block[1]))
    return pairs


def regenerate(path: Path, fields: list[FieldInfo]) -> None:
    out: list[str] = []
    soql_next = True
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            out.append(line)
            soql_next = soql_next or not line.strip()
            continue
        if soql_next:
            out += [line, render(line, fields)]
            soql_next = False
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def covid_db(covid_store: tuple[Path, Path]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"CREATE VIEW dataset AS SELECT * FROM read_parquet('{covid_store[1]}')")
    return con


def test_golden_files_exist() -> None:
    assert {p.name for p in GOLDEN_FILES} >= {"clauses.txt", "operators.txt", "functions.txt"}


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_golden(
    path: Path, covid_fields: list[FieldInfo], covid_db: duckdb.DuckDBPyConnection
) -> None:
    if REGENERATE:
        regenerate(path, covid_fields)
    failures = []
    for number, soql, expected in read_pairs(path):
        actual = render(soql, covid_fields)
        if actual != expected:
            failures.append(f"pair {number}: {soql}\n  expected: {expected}\n  actual:   {actual}")
        elif not actual.startswith("ERROR: "):
            _check_runs(soql, covid_fields, covid_db)
    assert not failures, "\n".join(failures)


def _check_runs(soql: str, fields: list[FieldInfo], con: duckdb.DuckDBPyConnection) -> None:
    """Golden SQL is not just text: it runs in DuckDB and its PostgreSQL form parses."""
    compiled = compile_line(soql, fields)
    con.sql(compiled.sql, params=compiled.params).fetchall()
    postgres = compile_line(soql, fields, dialect="postgres")
    sqlglot.parse_one(postgres.sql, read="postgres")


def test_every_function_has_a_golden_example() -> None:
    text = (GOLDEN_DIR / "functions.txt").read_text(encoding="utf-8").lower()
    missing = [name for name in FUNCTIONS if f"{name}(" not in text]
    assert not missing, f"add golden examples for: {missing}"
