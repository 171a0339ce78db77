"""Solving: options, outcomes, HiGHS (persistent or one-shot) and infeasibility diagnosis."""

from symbio.solvers.highs import PersistentHighs, solve_model, solver_version
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome, Status

__all__ = [
    "PersistentHighs",
    "SolveOutcome",
    "SolverOptions",
    "Status",
    "solve_model",
    "solver_version",
]
