"""The size rule for HiGHS's sub-MIP heuristics (symbio.solvers.tuning)."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from symbio.solvers.highs import PersistentHighs
from symbio.solvers.options import SolverOptions
from symbio.solvers.tuning import SMALL_MIP_INTEGERS, SUB_MIP_HEURISTICS, size_options


def _knapsack(n: int) -> pyo.ConcreteModel:
    # max sum (k+1) y_k  s.t. sum (k+2) y_k <= n: optimum by hand below
    m = pyo.ConcreteModel()
    m.y = pyo.Var(range(n), domain=pyo.Binary)
    m.cap = pyo.Constraint(expr=sum((k + 2) * m.y[k] for k in range(n)) <= n)
    m.obj = pyo.Objective(expr=-sum((k + 1) * m.y[k] for k in range(n)))
    return m


def _heuristics(solver: PersistentHighs) -> dict[str, bool]:
    return {k: solver.h.getOptionValue(k)[1] for k in SUB_MIP_HEURISTICS}


def test_size_rule_switches_at_the_threshold() -> None:
    assert size_options(SMALL_MIP_INTEGERS) == dict.fromkeys(SUB_MIP_HEURISTICS, False)
    assert size_options(SMALL_MIP_INTEGERS + 1) == dict.fromkeys(SUB_MIP_HEURISTICS, True)


@pytest.mark.parametrize("n", [6, SMALL_MIP_INTEGERS + 10])
def test_a_solve_applies_the_rule_by_free_integers(n: int) -> None:
    solver = PersistentHighs(_knapsack(n))
    out = solver.solve(SolverOptions(mip_gap=0.0))
    assert _heuristics(solver) == size_options(n)
    if n == 6:
        # weights 2..7, values 1..6, capacity 6: {2, 4} (values 1 + 3 = 4) or {6} (value 5)
        assert out.objective == pytest.approx(-5)
    # fixing all but three integers makes the same model small
    for k in range(3, n):
        solver.model.y[k].fix(0)
    solver.solve(SolverOptions(mip_gap=0.0))
    assert _heuristics(solver) == dict.fromkeys(SUB_MIP_HEURISTICS, False)


def test_the_users_highs_options_win() -> None:
    solver = PersistentHighs(_knapsack(6))
    solver.solve(SolverOptions(highs={"mip_heuristic_run_rins": True}))
    assert solver.h.getOptionValue("mip_heuristic_run_rins")[1] is True
    assert solver.h.getOptionValue("mip_heuristic_run_rens")[1] is False
