"""SoQL, the Socrata Query Language: parse SODA parameters, translate to SQL, run on Parquet.

Pipeline: `parse_soda_params` (text -> `SoqlQuery`, Steward's own AST) -> `compile_query`
(AST -> `CompiledQuery`: one SELECT built as a sqlglot tree, values bound as `$n` parameters,
names resolved only against the caller's visible fields) -> `QueryEngine.execute` / `.stream`
(DuckDB, locked down to the dataset store, with a memory limit and a timeout).

Modules: `soql.lark` + `parser` (grammar, limits), `ast`, `params` (SODA parameters),
`translate` (clauses, ordering, grouping rules), `expressions` (typed expression translation),
`functions` (the function allowlist), `naming` (result column names), `search` (`$q`),
`datatypes` (SoQL types and literal conversion), `engine` (execution).
"""

from steward.query.ast import SoqlQuery
from steward.query.engine import EngineLimits, QueryEngine
from steward.query.params import parse_soda_params
from steward.query.schema import CompiledQuery, FieldInfo, OutputColumn
from steward.query.translate import compile_query

__all__ = [
    "CompiledQuery",
    "EngineLimits",
    "FieldInfo",
    "OutputColumn",
    "QueryEngine",
    "SoqlQuery",
    "compile_query",
    "parse_soda_params",
]
