"""RENS start and the loose-then-tightened baseline: faster, and the same problem."""

from __future__ import annotations

import numpy as np
import pytest

import symbio
from benchmarks.parks import generate_park
from symbio.run import prepare
from symbio.run.cases import FIRST_BASELINE_GAP, solve_baseline
from symbio.run.state import configure
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome, Status
from symbio.solvers.rens import rens_start
from symbio.solvers.stoprule import savings_stop


def _columns(h) -> tuple:
    lp = h.getLp()
    return (
        np.array(lp.col_lower_),
        np.array(lp.col_upper_),
        np.array([int(v) for v in lp.integrality_]),
    )


def _optimized_state(n: int, seed: int):
    st = prepare(generate_park(n, seed), options=SolverOptions(mip_gap=0.0, threads=1))
    solve_baseline(st)
    configure(st, "optimized")
    return st


@pytest.mark.parametrize("n, seed", [(60, 0), (80, 3)])
def test_rens_start_is_feasible_and_leaves_the_problem_as_it_was(n: int, seed: int):
    st = _optimized_state(n, seed)
    st.solver.update()
    before = _columns(st.solver.h)
    start = rens_start(st.solver, st.sopts)
    after = _columns(st.solver.h)
    for a, b in zip(before, after, strict=True):
        assert np.array_equal(a, b)  # bounds and integrality restored
    assert start is not None
    cost, offset = st.solver._cost, st.solver._offset  # noqa: SLF001
    start_obj = float(cost @ start[: len(cost)] + offset)
    # the start solves the full problem: fixing its builds gives its objective again
    lo, hi, integer = after
    ints = integer.astype(bool)
    x = np.asarray(start)
    assert np.all(x >= lo - 1e-6) and np.all(x <= hi + 1e-6)
    assert np.allclose(x[ints], np.round(x[ints]), atol=1e-6)
    with_start = st.solver.solve(st.sopts, start=start)
    plain = _optimized_state(n, seed).solver.solve(st.sopts, warm_start=True)
    # same optimum with and without the start (both proven: mip_gap 0)
    assert with_start.objective == pytest.approx(plain.objective, rel=1e-9)
    assert plain.objective <= start_obj * (1 + 1e-9)
    assert start_obj < st.outcomes["baseline"].objective  # better than the baseline start


def test_rule_measures_the_room_from_the_baseline_bound():
    # baseline found 100, proved >= 90: the true baseline is in [90, 100]; with the bound the
    # room to save at a dual bound of 40 is 50, never more than the truth
    rule = savings_stop(SolveOutcome(Status.FEASIBLE, objective=100.0, bound=90.0), SolverOptions())
    assert rule.baseline == 90.0 and rule.threshold(40.0) == pytest.approx(0.5)


def test_large_park_baseline_first_loose_then_as_tight_as_the_savings_rule_needs():
    r = symbio.solve(generate_park(100, seed=0), "cost", options=SolverOptions(threads=1))
    assert r.extra.get("baseline_first_gap") == FIRST_BASELINE_GAP
    g = r.provenance["savings_gap"]
    base, opt = r.outcomes["baseline"], r.outcomes["optimized"]
    # the baseline's gap overstates the saving by at most savings_gap (1 %) of it
    assert base.objective - base.bound <= 0.01 * (base.objective - opt.objective) * (1 + 1e-9)
    assert g["baseline_gap"] == pytest.approx(base.objective - base.bound)
    # the optimized case stopped by the rule measured from the baseline's bound
    assert opt.objective - opt.bound <= 0.01 * (base.bound - opt.bound) * (1 + 1e-9)


def test_small_model_baseline_as_before():
    # the SCIP scenarios have fewer build decisions than a small MIP: no first pass
    st = prepare(symbio.load_scenario("scenarios/scip/symbiosis-2025.yaml"))
    solve_baseline(st)
    assert "baseline_first_gap" not in st.extra


def _outcome(objective: float, bound: float) -> SolveOutcome:
    return SolveOutcome(Status.OPTIMAL, objective=objective, bound=bound, gap=0.0)


def test_tightening_target_after_a_first_pass():
    from types import SimpleNamespace

    from symbio.run.cases import _target

    loose = SimpleNamespace(extra={"baseline_first_gap": 1e-3}, sopts=SolverOptions())
    # saving 100 - 50 = 50; the rule allows 1 % of it, 0.5; the baseline's gap is 10
    assert _target(loose, _outcome(100, 90), _outcome(50, 49)) == pytest.approx(0.5)
    assert _target(loose, _outcome(100, 99.6), _outcome(50, 49)) is None
    # without a first pass, as before: max(1e-4 x 50, 1e-4 x 100, 1e-6) = 0.01
    plain = SimpleNamespace(extra={}, sopts=SolverOptions())
    assert _target(plain, _outcome(100, 90), _outcome(50, 49)) == pytest.approx(0.01)


def test_cpu_budget_interrupts_the_neighbourhood_mip_at_its_budget():
    """A budget of 0 CPU-s stops the MIP at HiGHS's first interrupt check; a large one never."""
    import highspy

    from symbio.solvers.rens import CpuBudget

    st = _optimized_state(80, 3)
    st.solver.update()
    st.solver.apply_options(st.sopts)
    h = st.solver.h
    spent = CpuBudget(0.0)
    h.clearSolver()
    spent.solve(h)
    assert spent.spent
    assert h.getModelStatus() == highspy.HighsModelStatus.kInterrupt
    ample = CpuBudget(1e6)
    h.clearSolver()
    ample.solve(h)
    assert not ample.spent
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal


def test_cpu_budget_counts_process_time_not_wall_time(monkeypatch):
    """Over once the process's CPU clock, not the wall clock, has moved by the budget."""
    from symbio.solvers import rens

    clock = iter([10.0, 10.5, 12.0])
    monkeypatch.setattr(rens.time, "process_time", lambda: next(clock))
    budget = rens.CpuBudget(2.0)
    budget.start()  # 10.0
    assert not budget.over()  # 0.5 CPU-s used
    assert budget.over()  # 2.0 CPU-s used
