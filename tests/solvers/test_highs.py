"""The HiGHS hand-over: compiled rows and columns, status mapping, persistent re-solves."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest

from symbio.solvers import PersistentHighs, SolveOutcome, SolverOptions, Status, solve_model
from symbio.solvers.matrix import Compiler, active_constraints, to_csr


def lp() -> pyo.ConcreteModel:
    """min x + 2y  s.t.  x + y >= 4,  x <= 3,  0 <= y <= 10  ->  x = 3, y = 1, objective 5."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, None))
    m.y = pyo.Var(bounds=(0, 10))
    m.cap = pyo.Param(initialize=3.0, mutable=True)
    m.cover = pyo.Constraint(expr=m.x + m.y >= 4)
    m.limit = pyo.Constraint(expr=m.x <= m.cap)
    m.objective = pyo.Objective(expr=m.x + 2 * m.y)
    return m


def test_compiled_rows_keep_components_and_fixed_columns() -> None:
    m = lp()
    m.z = pyo.Var(bounds=(0, 1))
    m.z.fix(0.5)
    m.both = pyo.Constraint(expr=pyo.inequality(1, m.x - 2 * m.z + 3, 8))
    c = Compiler(m)
    rows = c.rows(active_constraints(m))
    assert [r.local_name for r in rows.constraints] == ["cover", "limit", "both"]
    a = to_csr(rows, len(c.columns)).toarray()
    # columns x, y, z (z fixed: a column with lower = upper = 0.5)
    assert a.tolist() == [[1, 1, 0], [1, 0, 0], [1, 0, -2]]
    assert rows.lower.tolist() == [4, -np.inf, -2]  # 1 - 3
    assert rows.upper.tolist() == [np.inf, 3, 5]  # 8 - 3
    assert rows.parametric == [1]  # limit's bound is a mutable Param
    lower, upper, integer = c.column_bounds()
    assert lower.tolist() == [0, 0, 0.5] and upper.tolist() == [np.inf, 10, 0.5]
    assert not integer.any()


def test_optimal_lp_values_loaded() -> None:
    m = lp()
    out = solve_model(m)
    assert out.status == Status.OPTIMAL and out.has_solution
    assert out.objective == pytest.approx(5) and out.bound == pytest.approx(5) and out.gap == 0
    assert (m.x.value, m.y.value) == pytest.approx((3, 1))
    assert set(out.timings) == {"build", "handover", "solve", "load"}
    assert out.solver == "highs" and out.solver_version


def test_infeasible_and_unbounded() -> None:
    m = lp()
    m.y.setub(0.5)  # x <= 3, y <= 0.5 cannot cover 4
    assert solve_model(m).status == Status.INFEASIBLE
    u = pyo.ConcreteModel()
    u.x = pyo.Var(bounds=(0, None))
    u.c = pyo.Constraint(expr=u.x >= 1)
    u.objective = pyo.Objective(expr=-u.x)
    out = solve_model(u)
    assert out.status == Status.UNBOUNDED and out.objective is None


def knapsack(n: int = 60, seed: int = 1) -> pyo.ConcreteModel:
    """A 0-1 knapsack that HiGHS does not close at once."""
    rng = np.random.default_rng(seed)
    w = rng.integers(20, 60, n)
    v = w + rng.integers(0, 10, n)
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(n), within=pyo.Binary)
    m.cap = pyo.Constraint(
        expr=sum(int(w[i]) * m.x[i] for i in range(n)) <= int(w.sum() // 2) + 0.5
    )
    m.objective = pyo.Objective(expr=sum(int(v[i]) * m.x[i] for i in range(n)), sense=pyo.maximize)
    return m


def test_limit_with_incumbent_is_feasible_with_gap() -> None:
    # Stop at the first improving solution: an incumbent with a gap, labelled feasible.
    out = solve_model(
        knapsack(), SolverOptions(highs={"mip_max_improving_sols": 1, "presolve": "off"})
    )
    assert out.status == Status.FEASIBLE
    assert out.has_solution and out.gap is not None and out.gap > 0
    assert "feasible solution" in out.message


def test_time_limit_without_solution() -> None:
    out = solve_model(knapsack(), SolverOptions(time_limit=1e-9))
    assert out.status == Status.NO_SOLUTION
    assert not out.has_solution and out.objective is None


def test_persistent_resolve_follows_params_bounds_fixing_and_new_rows() -> None:
    m = lp()
    s = PersistentHighs(m)
    assert s.solve().objective == pytest.approx(5)
    m.cap = 1.0  # x <= 1 -> y = 3, objective 1 + 6 = 7
    assert s.solve().objective == pytest.approx(7)
    m.limit.deactivate()  # x free again -> 4
    assert s.solve().objective == pytest.approx(4)
    m.limit.activate()
    m.y.fix(2.0)  # y = 2, x >= 2 but x <= 1 -> infeasible
    assert s.solve().status == Status.INFEASIBLE
    m.y.unfix()
    m.w = pyo.Var(bounds=(0, 5))  # a new variable in a new row: x + w >= 4 with w costing nothing
    m.extra = pyo.Constraint(expr=m.y + m.w >= 1)
    m.objective.deactivate()
    m.objective2 = pyo.Objective(expr=m.x + 2 * m.y + 0.1 * m.w)
    # x = 1, y + ... : cover x + y >= 4 -> y = 3 (y >= 1 - w satisfied) -> 1 + 6 = 7
    assert s.solve().objective == pytest.approx(7)
    fresh = solve_model(m)
    assert fresh.objective == pytest.approx(7)


def test_fixed_integer_columns_are_continuous_until_unfixed() -> None:
    """A fixed binary is a continuous column with lower = upper (as the LP writer drops it)."""
    m = knapsack(8)
    m.x.fix(0)
    m.x[3].fix(1)
    c = Compiler(m)
    lower, upper, integer = c.column_bounds()
    assert not integer.any() and lower[3] == upper[3] == 1
    s = PersistentHighs(m)
    out = s.solve()
    assert out.status == Status.OPTIMAL and out.gap == 0 and out.bound == out.objective
    m.x.unfix()
    out = s.solve(SolverOptions(mip_gap=0))
    assert s.col_integer.all()
    assert [int(v) for v in s.h.getLp().integrality_] == [1] * 8  # integrality restored
    assert all(v.value in (0, 1) for v in m.x.values())
    assert out.objective == pytest.approx(
        solve_model(knapsack(8), SolverOptions(mip_gap=0)).objective
    )


def test_named_expressions_follow_params_on_every_compile() -> None:
    """A mutable Param inside a named Expression of the objective is read at each re-solve."""
    m = lp()
    m.price = pyo.Param(initialize=1.0, mutable=True)
    m.charge = pyo.Expression(expr=m.price * m.y)
    m.objective.deactivate()
    m.total = pyo.Objective(expr=m.x + m.charge)  # x <= 3: x = 3, y = 1 while price >= 1
    s = PersistentHighs(m)
    assert s.solve().objective == pytest.approx(4)
    m.price = 0.5  # y is cheaper than x now: x = 0, y = 4
    assert s.solve().objective == pytest.approx(2)
    assert (m.x.value, m.y.value) == pytest.approx((0, 4))


def test_explicit_start_and_absolute_gap_option() -> None:
    m = knapsack(30)
    s = PersistentHighs(m)
    first = s.solve(SolverOptions(mip_gap=0))
    x = s.last_solution
    out = s.solve(SolverOptions(mip_gap=0, mip_abs_gap=1e9), start=x)  # any incumbent will do
    assert out.has_solution and out.objective <= first.objective + 1e-9
    assert s.h.getOptionValue("mip_abs_gap")[1] == 1e9
    s.solve(SolverOptions())
    assert s.h.getOptionValue("mip_abs_gap")[1] == pytest.approx(1e-6)  # back to the default


def test_outcome_round_trip() -> None:
    out = solve_model(lp())
    back = SolveOutcome.from_dict(out.as_dict())
    assert back.status == Status.OPTIMAL and back.objective == pytest.approx(out.objective)
    assert str(back.status) == "optimal"


def test_options_from_scenario_settings() -> None:
    from symbio.flows.schema import SolverSettings

    o = SolverOptions.from_settings(
        SolverSettings(time_limit_s=60, mip_gap=0.01), mip_gap=0.05, threads=None
    )
    assert (o.time_limit, o.mip_gap, o.threads) == (60, 0.05, 1)


def test_coefficient_range_skips_nan_and_zeros_but_keeps_the_largest_size():
    """A NaN coefficient is no size: the range is that of the other non-zero values."""
    import numpy as np

    from symbio.solvers.matrix import coefficient_range

    assert coefficient_range(np.array([1e20, np.nan, 0.0]), np.array([-1.0])) == (1.0, 1e20)
    assert coefficient_range(np.array([0.0]), np.array([])) == (0.0, 0.0)
    assert coefficient_range(np.array([-3e-4, 2.0])) == (3e-4, 2.0)
