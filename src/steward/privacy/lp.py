"""HiGHS plumbing shared by the suppression and the audit: one quiet solver, problems passed as
sparse rows, re-solves with a changed objective.

>>> solver = new_solver()
>>> rows = SparseRows.from_lists([[0, 1]], [[1.0, 1.0]])
>>> load(solver, np.array([-1.0, 0.0]), np.zeros(2), np.full(2, INF), rows, [3.0], [3.0])
>>> solve(solver)
-3.0
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np

from steward.errors import StewardError
from steward.privacy.table import FloatArray, IntArray

INF = float(highspy.kHighsInf)
_banner_lock = threading.Lock()
_banner_done = False


class SolverFailed(StewardError):
    """HiGHS stopped without an answer (time limit with no solution, numerical trouble)."""

    code = "solver_failed"
    status = 500


def new_solver(time_limit: float | None = None) -> Any:
    """A HiGHS instance that prints nothing (HiGHS writes a banner to the process's stdout the
    first time one is made, which would corrupt CLI output, so that one is made with stdout
    pointed at /dev/null)."""
    global _banner_done
    with _banner_lock:
        if not _banner_done:
            _silently(highspy.Highs)
            _banner_done = True
    solver: Any = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", 1)
    if time_limit is not None:
        solver.setOptionValue("time_limit", max(float(time_limit), 0.01))
    return solver


def _silently(make: Any) -> None:
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), 1)
            make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


@dataclass(frozen=True)
class SparseRows:
    """Constraint rows in compressed sparse row form."""

    ptr: IntArray
    index: IntArray
    value: FloatArray

    @property
    def count(self) -> int:
        return int(self.ptr.size - 1)

    @classmethod
    def from_lists(cls, index: Sequence[Sequence[int]], value: Sequence[Sequence[float]]) -> Any:
        lengths = [len(row) for row in index]
        ptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        flat_index = np.array([i for row in index for i in row], dtype=np.int64)
        flat_value = np.array([v for row in value for v in row], dtype=np.float64)
        return cls(ptr, flat_index, flat_value)


def load(
    solver: Any,
    cost: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    rows: SparseRows,
    row_lower: Sequence[float] | FloatArray,
    row_upper: Sequence[float] | FloatArray,
    *,
    integer: bool = False,
) -> None:
    lp = highspy.HighsLp()
    lp.num_col_ = int(cost.size)
    lp.num_row_ = rows.count
    lp.col_cost_ = np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(upper, dtype=np.float64)
    lp.row_lower_ = np.asarray(row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(row_upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = int(cost.size)
    lp.a_matrix_.num_row_ = rows.count
    lp.a_matrix_.start_ = rows.ptr.astype(np.int32)
    lp.a_matrix_.index_ = rows.index.astype(np.int32)
    lp.a_matrix_.value_ = rows.value
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * int(cost.size)
    solver.passModel(lp)


def add_rows(solver: Any, rows: SparseRows, lower: Sequence[float], upper: Sequence[float]) -> None:
    if rows.count:
        solver.addRows(
            rows.count,
            np.asarray(lower, dtype=np.float64),
            np.asarray(upper, dtype=np.float64),
            int(rows.index.size),
            rows.ptr[:-1].astype(np.int32),
            rows.index.astype(np.int32),
            rows.value,
        )


def solve(solver: Any) -> float:
    """Run and return the objective; raise SolverFailed unless HiGHS found an optimum."""
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return float(solver.getInfo().objective_function_value)
    if status == highspy.HighsModelStatus.kUnbounded:
        return -INF
    raise SolverFailed(f"the solver stopped: {solver.modelStatusToString(status)}")


def mip_status(solver: Any) -> str:
    """After a MIP run: `optimal`, `feasible` (time limit with a solution) or `none`."""
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return "optimal"
    info = solver.getInfo()
    if info.primal_solution_status == 2:  # a feasible point exists
        return "feasible"
    return "none"


def primal(solver: Any) -> FloatArray:
    return np.asarray(solver.getSolution().col_value, dtype=np.float64)


def row_duals(solver: Any) -> FloatArray:
    return np.asarray(solver.getSolution().row_dual, dtype=np.float64)
