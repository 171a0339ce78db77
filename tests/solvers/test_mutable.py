"""A mutable Param inside a compiled row reaches HiGHS without a rebuild."""

from __future__ import annotations

from pathlib import Path

import pyomo.environ as pyo
import pytest

from symbio.errors import SolverError
from symbio.flows.load import load_scenario
from symbio.model.pareto import set_weights
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.mutable import set_params
from symbio.solvers.session import open_session

SCIP = Path(__file__).resolve().parents[2] / "scenarios" / "scip"


def _toy() -> pyo.ConcreteModel:
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 5))
    m.y = pyo.Var(bounds=(0, 5))
    m.p = pyo.Param(initialize=1.0, mutable=True)
    m.limit = pyo.Constraint(expr=m.x + m.p * m.y <= 10)
    m.obj = pyo.Objective(expr=-m.x - m.y)
    return m


def test_coefficient_change_reaches_the_solver():
    m = _toy()
    solver = PersistentHighs(m)
    assert solver.solve().objective == pytest.approx(-10)  # x = y = 5
    m.p = 3.0
    # without the refresh the row keeps p = 1 (PersistentHighs re-reads bounds, not coefficients)
    assert solver.solve().objective == pytest.approx(-10)
    assert set_params(solver, {"p": 3.0}, families=("limit",)) == 1
    # x + 3y <= 10 with x <= 5: y = 5/3, objective -(5 + 5/3)
    assert solver.solve().objective == pytest.approx(-(5 + 5 / 3))
    assert pyo.value(m.y) == pytest.approx(5 / 3)
    assert set_params(solver, {"p": 3.0}, families=("limit",)) == 0  # nothing changed


def test_unknown_or_fixed_param_is_refused():
    m = _toy()
    m.q = pyo.Param(initialize=1.0)
    solver = PersistentHighs(m)
    with pytest.raises(SolverError, match="not a mutable parameter"):
        set_params(solver, {"q": 2.0})
    with pytest.raises(SolverError, match="not a mutable parameter"):
        set_params(solver, {"nope": 2.0})
    with pytest.raises(SolverError, match="finite"):
        set_params(solver, {"p": float("nan")})


def test_session_carbon_price_equals_a_cold_session():
    """The carbon price sits in the cost criterion's definition row of a session."""
    s0 = load_scenario(SCIP / "symbiosis-2025.yaml")
    warm = open_session(s0)
    set_weights(warm.model, {"cost": 1.0})
    assert warm.solve().ok
    for price in (100, 500):
        assert warm.set_params({"policy_carbon_price": price}) > 0
        assert warm.solve().ok
        cold = open_session(load_scenario(SCIP / f"carbon-price-{price}.yaml"))
        set_weights(cold.model, {"cost": 1.0})
        assert cold.solve().ok
        for k, v in cold.values().items():
            assert warm.values()[k] == pytest.approx(v, rel=1e-7, abs=1e-6), k
