"""A start for a large MIP: RENS (relaxation enforced neighbourhood search) before the solve.

HiGHS runs RENS itself, but only after the root node's cut rounds; on a 5,000-site park
those took ~9 CPU-minutes, and until then the only incumbent was HiGHS's first, ~3.3 % of
the savings worse (``benchmarks/results/savings-stop-2026-12-05-n5000.md``). The savings
stop needs a good incumbent *and* a good bound; this gives the incumbent first:

1. solve the LP relaxation (integer columns made continuous for one run);
2. fix every free integer column whose LP value is integral (0 or 1) at that value and
   solve the much smaller MIP that is left, to :data:`RENS_GAP`, within :data:`RENS_SECONDS`;
3. restore the columns; its solution is offered to the full solve as a start.

The problem is not changed: only the start differs, so the optimum and the stop rules are
the same. A failed or infeasible neighbourhood returns None (the solve then starts as
before).
"""

from __future__ import annotations

from dataclasses import replace

import highspy
import numpy as np

from symbio.solvers.highs import PersistentHighs
from symbio.solvers.options import SolverOptions

__all__ = ["RENS_GAP", "RENS_SECONDS", "rens_start"]

#: Relative gap (of the total) the neighbourhood MIP is solved to.
RENS_GAP = 1e-4
#: Time limit of the neighbourhood MIP, seconds.
RENS_SECONDS = 120.0
#: LP values this close to 0 or 1 count as integral.
INTEGRAL_TOL = 1e-6

_FEASIBLE = 2  # HiGHS's solution status "feasible"


def _relaxation(solver: PersistentHighs, free: np.ndarray, options: SolverOptions) -> np.ndarray:
    """Column values of the LP relaxation (integrality restored afterwards)."""
    h, idx = solver.h, free.astype(np.int32)
    h.changeColsIntegrality(len(idx), idx, np.zeros(len(idx), dtype=np.uint8))
    try:
        solver.apply_options(options)
        h.run()
        ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        return np.asarray(h.getSolution().col_value, dtype=float) if ok else np.array([])
    finally:
        h.changeColsIntegrality(len(idx), idx, np.ones(len(idx), dtype=np.uint8))


def rens_start(
    solver: PersistentHighs, options: SolverOptions, gap: float | None = None
) -> np.ndarray | None:
    """A feasible solution of the model as it stands, from RENS, or None.

    Call it right before the solve it should start (the model's changes are sent first).
    ``gap`` is the neighbourhood MIP's relative gap (default :data:`RENS_GAP`).
    """
    solver.update()
    free = np.flatnonzero(solver.col_integer & (solver.col_lower < solver.col_upper))
    if not len(free):
        return None
    h = solver.h
    h.clearSolver()
    x = _relaxation(solver, free, options)
    if not len(x):
        return None
    v = x[free]
    fixed = free[(v <= INTEGRAL_TOL) | (v >= 1 - INTEGRAL_TOL)].astype(np.int32)
    at = np.round(x[fixed])
    lo, hi = solver.col_lower[fixed], solver.col_upper[fixed]
    h.changeColsBounds(len(fixed), fixed, at, at)
    try:
        limit = min(RENS_SECONDS, options.time_limit or RENS_SECONDS)
        solver.apply_options(
            replace(options, mip_gap=RENS_GAP if gap is None else gap, time_limit=limit)
        )
        h.clearSolver()
        h.run()
        info = h.getInfo()
        ok = int(info.primal_solution_status) == _FEASIBLE
        start = np.asarray(h.getSolution().col_value, dtype=float) if ok else None
    finally:
        h.changeColsBounds(len(fixed), fixed, lo, hi)
        h.clearSolver()
    return start
