"""A start for a large MIP: RENS (relaxation enforced neighbourhood search) before the solve.

HiGHS runs RENS itself, but only after the root node's cut rounds; on a 5,000-site park
those took ~9 CPU-minutes, and until then the only incumbent was HiGHS's first, ~3.3 % of
the savings worse (``benchmarks/results/savings-stop-2026-12-05-n5000.md``). The savings
stop needs a good incumbent *and* a good bound; this gives the incumbent first:

1. solve the LP relaxation (integer columns made continuous for one run);
2. fix every free integer column whose LP value is integral (0 or 1) at that value and
   solve the much smaller MIP that is left, to :data:`RENS_GAP`, within
   :data:`RENS_CPU_SECONDS` of this process's CPU time (:class:`CpuBudget`);
3. restore the columns; its solution is offered to the full solve as a start.

The limit is CPU time, not wall time: with a wall limit a loaded machine gave the
neighbourhood a fraction of the work (a fifth of a core at load 10), so the start, and with
it the time to the savings stop, measured the load instead of the method. HiGHS's own
``time_limit`` is wall time, so the budget is kept by a ``kCallbackMipInterrupt`` callback
reading :func:`time.process_time` (which counts every thread of the process: with
``threads > 1`` the budget is spent sooner, never later). The run's ``time_limit`` still
caps the neighbourhood's wall time.

The problem is not changed: only the start differs, so the optimum and the stop rules are
the same. A failed or infeasible neighbourhood returns None (the solve then starts as
before).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import highspy
import numpy as np

from symbio.solvers.highs import PersistentHighs
from symbio.solvers.options import SolverOptions
from symbio.solvers.stoprule import mip_interrupt

__all__ = ["RENS_CPU_SECONDS", "RENS_GAP", "CpuBudget", "rens_start"]

#: Relative gap (of the total) the neighbourhood MIP is solved to.
RENS_GAP = 1e-4
#: CPU seconds (of this process) the neighbourhood MIP may use.
RENS_CPU_SECONDS = 120.0
#: LP values this close to 0 or 1 count as integral.
INTEGRAL_TOL = 1e-6

_FEASIBLE = 2  # HiGHS's solution status "feasible"


@dataclass
class CpuBudget:
    """A limit on the CPU seconds of a HiGHS MIP solve, kept by an interrupt callback.

    Attributes
    ----------
    seconds : float
        CPU seconds of this process the solve may use from :meth:`start`.
    started : float
        :func:`time.process_time` when the solve started.
    spent : bool
        True once the callback interrupted the solve.
    """

    seconds: float
    started: float = field(default=0.0)
    spent: bool = field(default=False)

    def start(self) -> None:
        """Start counting now."""
        self.started, self.spent = time.process_time(), False

    def over(self) -> bool:
        """True when the budget is used up."""
        return time.process_time() - self.started >= self.seconds

    def solve(self, h: highspy.Highs) -> None:
        """``h.run()`` interrupted once the budget is used up (HiGHS's MIP callback)."""
        self.start()
        with mip_interrupt(h, _stop_when_spent, self):
            h.run()


def _stop_when_spent(_type: object, _msg: str, _out: object, into: object, budget: CpuBudget):
    """HiGHS callback: interrupt the MIP once its CPU budget is used up."""
    if into is not None and budget.over():
        budget.spent = True
        into.user_interrupt = True


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
    solver: PersistentHighs,
    options: SolverOptions,
    gap: float | None = None,
    cpu_seconds: float = RENS_CPU_SECONDS,
) -> np.ndarray | None:
    """A feasible solution of the model as it stands, from RENS, or None.

    Call it right before the solve it should start (the model's changes are sent first).
    ``gap`` is the neighbourhood MIP's relative gap (default :data:`RENS_GAP`);
    ``cpu_seconds`` its CPU-time budget (the run's ``time_limit``, wall time, still applies).
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
        solver.apply_options(replace(options, mip_gap=RENS_GAP if gap is None else gap))
        h.clearSolver()
        CpuBudget(cpu_seconds).solve(h)
        info = h.getInfo()
        ok = int(info.primal_solution_status) == _FEASIBLE
        start = np.asarray(h.getSolution().col_value, dtype=float) if ok else None
    finally:
        h.changeColsBounds(len(fixed), fixed, lo, hi)
        h.clearSolver()
    return start
