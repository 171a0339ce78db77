"""Differential test of the hand-over: symbio's CSR compiler against Pyomo's LP writer.

For each model and each state of it (binaries fixed, unfixed, fixed again, a mutable Param
changed), the same model is solved along two paths and must give the same status and
objective (1e-6 relative):

* **compiled**: one :class:`PersistentHighs` kept across the states (``update()`` sends the
  changes), the path every symbio run takes;
* **LP writer**: ``model.write(.lp)`` + ``Highs.readModel`` afresh in each state, Pyomo's
  own linearisation (fixed variables substituted by their values).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest

from symbio.flows.load import load_scenario
from symbio.model import ModelOptions, build_model
from symbio.model.pareto import add_criteria, set_weights
from symbio.solvers import PersistentHighs, SolverOptions, Status
from symbio.solvers.highs import _new_highs, _set_threads

ROOT = Path(__file__).resolve().parents[2]
EXACT = SolverOptions(mip_gap=0.0)
_MS = highspy.HighsModelStatus


def lp_writer_solve(m: pyo.ConcreteModel, path: Path) -> tuple[str, float | None]:
    """Status and objective through Pyomo's LP writer and ``Highs.readModel``."""
    m.write(str(path), io_options={"symbolic_solver_labels": True})
    h = _new_highs()
    _set_threads(h, None)
    h.setOptionValue("mip_rel_gap", 0.0)
    assert h.readModel(str(path)) != highspy.HighsStatus.kError
    h.run()
    status = h.getModelStatus()
    if status == _MS.kOptimal:
        return "optimal", float(h.getInfo().objective_function_value)
    if status in (_MS.kInfeasible, _MS.kUnboundedOrInfeasible):
        return "infeasible", None  # every test model is bounded
    return h.modelStatusToString(status), None


def assert_same(solver: PersistentHighs, m: pyo.ConcreteModel, path: Path, state: str) -> float:
    """Solve the current state along both paths and compare; return the objective."""
    got = solver.solve(EXACT)
    want_status, want_obj = lp_writer_solve(m, path)
    assert str(got.status) == want_status, (
        f"{state}: compiled {got.status}, LP writer {want_status}"
    )
    if want_obj is None:
        return float("nan")
    assert got.objective == pytest.approx(want_obj, rel=1e-6, abs=1e-6), state
    # The loaded values give the same objective (the solution is the compiled model's).
    assert pyo.value(next(m.component_data_objects(pyo.Objective, active=True))) == (
        pytest.approx(want_obj, rel=1e-6, abs=1e-6)
    ), state
    return want_obj


def _scenario_model(name: str, criteria: bool) -> pyo.ConcreteModel:
    m = build_model(load_scenario(ROOT / name), ModelOptions())
    if criteria:
        add_criteria(m)
        set_weights(m, {"cost": 1.0})
    return m


def _builds(m: pyo.ConcreteModel) -> list:
    return [v for comp in (m.link_build, m.process_build) for v in comp.values()]


@pytest.mark.parametrize(
    ("name", "criteria"),
    [
        ("scenarios/scip/symbiosis-2025.yaml", True),
        ("scenarios/scip/symbiosis-2025.yaml", False),
        ("scenarios/examples/small-park.yaml", True),
        ("scenarios/examples/small-park.yaml", False),
    ],
)
def test_scenarios_fixed_unfixed_refixed(name: str, criteria: bool, tmp_path: Path) -> None:
    """Baseline (builds fixed at 0) -> optimum (unfixed) -> one build forced -> carbon price."""
    m = _scenario_model(name, criteria)
    builds = _builds(m)
    for v in builds:
        v.fix(0)
    solver = PersistentHighs(m)
    lp = tmp_path / "model.lp"
    baseline = assert_same(solver, m, lp, "baseline")
    for v in builds:
        v.unfix()
    optimum = assert_same(solver, m, lp, "unfixed")
    assert optimum <= baseline * (1 + 1e-9)
    builds[0].fix(1)
    assert_same(solver, m, lp, "first build forced")
    builds[0].unfix()
    m.policy_carbon_price = pyo.value(m.policy_carbon_price) + 250.0
    if not criteria:  # the price enters the objective through named Expressions
        assert_same(solver, m, lp, "carbon price changed")


def test_scip_2025_baseline_with_criteria_is_optimal(tmp_path: Path) -> None:
    """The reported case: criteria added, cost weighted, every build fixed at 0."""
    m = _scenario_model("scenarios/scip/symbiosis-2025.yaml", True)
    for v in _builds(m):
        v.fix(0)
    out = PersistentHighs(m).solve()
    assert out.status == Status.OPTIMAL
    # the objective Pyomo's own LP writer gives for the same model (independent hand-over)
    want_status, want_obj = lp_writer_solve(m, tmp_path / "model.lp")
    assert want_status == "optimal"
    assert out.objective == pytest.approx(want_obj, rel=1e-6)


def random_model(seed: int) -> tuple[pyo.ConcreteModel, Callable[[np.random.Generator], None]]:
    """A tiny bounded MILP with named Expressions, mutable Params and a criterion-like row.

    Returns the model and a function that changes its mutable Params (bounds, objective
    weights, a price inside a named Expression of the objective) the way a sweep does.
    """
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(3, 7)), int(rng.integers(2, 5))
    scale = 10.0 ** int(rng.integers(0, 8))  # up to 1e7: large-magnitude rows as in a park
    m = pyo.ConcreteModel()
    m.I = pyo.RangeSet(0, n - 1)
    m.K = pyo.RangeSet(0, k - 1)
    upper = rng.uniform(1, 20, n)
    m.x = pyo.Var(m.I, bounds=lambda m, i: (0, float(upper[i])))
    m.y = pyo.Var(m.I, within=pyo.Binary)
    m.z = pyo.Var(bounds=(-1e3, 1e3))  # a fixed continuous variable in some rows
    m.z.fix(float(rng.uniform(-5, 5)))
    m.price = pyo.Param(initialize=float(rng.uniform(1, 5)), mutable=True)
    m.cap = pyo.Param(m.K, initialize=lambda m, j: float(rng.uniform(5, 40)), mutable=True)
    m.weight = pyo.Param(initialize=1.0, mutable=True)
    a = rng.uniform(-2, 3, (k, n)) * (rng.random((k, n)) < 0.7)
    cost = rng.uniform(0.5, 3, n) * scale
    fixed = rng.uniform(1, 10, n) * scale
    m.use = pyo.Expression(
        m.K, rule=lambda m, j: sum(float(a[j, i]) * m.x[i] for i in m.I) + 0.5 * m.z
    )
    m.capex = pyo.Expression(expr=sum(float(fixed[i]) * m.y[i] for i in m.I) + 3.0 * scale)
    m.opex = pyo.Expression(expr=sum(float(cost[i]) * m.x[i] for i in m.I))
    m.carbon = pyo.Expression(expr=m.price * sum(m.x[i] for i in m.I))
    m.total = pyo.Expression(expr=m.capex + m.opex + m.carbon)
    m.value = pyo.Var(within=pyo.Reals)  # criterion pattern: free variable == named Expression
    m.definition = pyo.Constraint(expr=m.value == m.capex + m.opex)
    m.limit = pyo.Constraint(m.K, rule=lambda m, j: m.use[j] <= m.cap[j])
    m.link = pyo.Constraint(m.I, rule=lambda m, i: m.x[i] <= float(upper[i]) * m.y[i])
    m.demand = pyo.Constraint(
        expr=pyo.inequality(float(rng.uniform(2, 10)), sum(m.x[i] for i in m.I) + m.z, 1e4)
    )
    # weight * value + carbon, through nested named Expressions holding the price
    m.objective = pyo.Objective(expr=m.weight * m.value + m.total - m.capex - m.opex)

    def change(rng: np.random.Generator) -> None:
        m.price = float(rng.uniform(0, 50)) * scale
        m.weight = float(rng.uniform(0.5, 2))
        for j in m.K:
            m.cap[j] = float(rng.uniform(2, 40))

    return m, change


@pytest.mark.parametrize("seed", range(12))
def test_random_models_fix_unfix_and_params(seed: int, tmp_path: Path) -> None:
    m, change = random_model(seed)
    rng = np.random.default_rng(1000 + seed)
    lp = tmp_path / "model.lp"
    fix_at = rng.integers(0, 2, len(m.y))
    for i, v in m.y.items():
        v.fix(int(fix_at[i]))
    solver = PersistentHighs(m)
    assert_same(solver, m, lp, "fixed")
    m.y.unfix()
    assert_same(solver, m, lp, "unfixed")
    m.y[0].fix(1 - int(fix_at[0]))
    change(rng)
    assert_same(solver, m, lp, "one refixed, Params changed")
    m.y.unfix()
    m.z.unfix()
    m.z.setlb(-5)
    m.z.setub(5)
    assert_same(solver, m, lp, "all unfixed")
    m.z.fix(1.0)
    for v in m.y.values():
        v.fix(0)
    assert_same(solver, m, lp, "fixed again")
