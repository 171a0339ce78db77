"""A mutable Param inside a compiled row reaches HiGHS without a rebuild."""

from __future__ import annotations

from pathlib import Path

import pyomo.environ as pyo
import pytest

from symbio.errors import SolverError
from symbio.flows.load import load_scenario
from symbio.flows.overrides import apply_overrides
from symbio.model.pareto import set_weights
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.mutable import PARAM_ROWS, param_rows, set_params
from symbio.solvers.options import SolverOptions
from symbio.solvers.session import open_session
from symbio.solvers.tuning import RESOLVE_OPTIONS, resolve_options

SCIP = Path(__file__).resolve().parents[2] / "scenarios" / "scip"
PRICE = "policy.carbon_price_cny_t"
FJ = "mip_heuristic_run_feasibility_jump"


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


def _fj(session: object) -> bool:
    return session.solve_fn.state["highs"].h.getOptionValue(FJ)[1]


def test_session_carbon_price_equals_a_cold_session():
    """The carbon price sits in the cost criterion's definition row of a session.

    A re-solve runs without the feasibility jump (``resolve_options``), a cold session's
    first solve with it: same optimum, build decisions and proven gap at every price.
    """
    base = SCIP / "symbiosis-2025.yaml"
    warm = open_session(load_scenario(base))
    set_weights(warm.model, {"cost": 1.0})
    assert warm.solve().ok and _fj(warm)
    for price in (100, 500, 1000):
        assert warm.set_params({"policy_carbon_price": price}) > 0
        step = warm.solve()
        assert step.ok and not _fj(warm)
        point = SCIP / f"carbon-price-{price}.yaml"
        cold = open_session(
            load_scenario(point) if point.exists() else apply_overrides(base, {PRICE: price})
        )
        set_weights(cold.model, {"cost": 1.0})
        cold_step = cold.solve()
        assert cold_step.ok and _fj(cold)
        for k, v in cold.values().items():
            assert warm.values()[k] == pytest.approx(v, rel=1e-7, abs=1e-6), k
        assert warm.build_values() == cold.build_values()
        assert step.gap == pytest.approx(cold_step.gap, rel=1e-9, abs=1e-12)


def test_resolve_options_leave_the_users_own_setting():
    assert resolve_options(None).highs == RESOLVE_OPTIONS
    mine = SolverOptions(mip_gap=0.01, highs={FJ: True, "presolve": "off"})
    again = resolve_options(mine)
    assert again.highs == {FJ: True, "presolve": "off"} and again.mip_gap == 0.01


def test_only_rows_that_hold_the_price_are_recompiled():
    """A carbon price is in the cost criterion's row, in no other criterion's row."""
    sess = open_session(load_scenario(SCIP / "symbiosis-2025.yaml"))
    set_weights(sess.model, {"cost": 1.0})
    assert sess.solve().ok
    solver = sess.solve_fn.state["highs"]
    rows = param_rows(solver, PARAM_ROWS, ["policy_carbon_price"])
    definitions = sess.model.criterion_definition
    assert [con for _, con in rows] == [definitions["cost"]]
    assert param_rows(solver, PARAM_ROWS, ["policy_cap"]) == []  # no cap in these rows
    # the toy: the row with p is found, a row without it is not
    m = _toy()
    m.other = pyo.Constraint(expr=m.x - m.y <= 3)
    toy = PersistentHighs(m)
    assert [con for _, con in param_rows(toy, ("limit", "other"), ["p"])] == [m.limit]
    # families as a one-pass iterable: read for the cache key and for the rows alike
    assert [con for _, con in param_rows(toy, iter(["limit"]), ["p"])] == [m.limit]
