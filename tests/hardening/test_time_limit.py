"""Issue 13, defect 10: one ``--time-limit`` bounds every solve of a run together."""

from __future__ import annotations

import time

import pytest

from benchmarks.parks import generate_park
from symbio.errors import SolverError
from symbio.run import solve
from symbio.solvers.options import MIN_SOLVE_SECONDS, SolverOptions


def test_the_clock_is_shared_by_every_solve() -> None:
    opts = SolverOptions(time_limit=2.0).started()
    assert opts.seconds_left() == pytest.approx(2.0, abs=0.1)
    later = opts.__class__(**{**opts.__dict__, "mip_gap": 0.0})  # a derived option set
    time.sleep(0.5)
    assert later.seconds_left() == pytest.approx(1.5, abs=0.2)
    assert opts.started() is opts  # starting again does not reset the clock
    unlimited = SolverOptions().started()
    assert unlimited.seconds_left() is None and not unlimited.expired()


def test_after_the_deadline_a_solve_gets_no_time() -> None:
    opts = SolverOptions(time_limit=0.05).started()
    time.sleep(0.1)
    assert opts.expired()
    assert opts.seconds_left() == MIN_SOLVE_SECONDS


def test_highs_is_given_what_is_left() -> None:
    import pyomo.environ as pyo

    from symbio.solvers.highs import PersistentHighs

    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 1))
    m.o = pyo.Objective(expr=m.x)
    solver = PersistentHighs(m)
    opts = SolverOptions(time_limit=3.0).started()
    time.sleep(1.0)
    solver.apply_options(opts)
    assert solver.h.getOptionValue("time_limit")[1] == pytest.approx(2.0, abs=0.2)


def test_later_solves_of_a_run_get_what_earlier_ones_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every solve of ``symbio run`` (baseline, optimized) draws on one clock."""
    from symbio.flows.load import load_scenario
    from symbio.solvers.highs import PersistentHighs

    given: list[float] = []
    real = PersistentHighs.apply_options

    def slow_apply(self: PersistentHighs, options: SolverOptions) -> None:
        real(self, options)
        given.append(self.h.getOptionValue("time_limit")[1])
        time.sleep(0.4)  # as if this solve took 0.4 s

    monkeypatch.setattr(PersistentHighs, "apply_options", slow_apply)
    scenario = load_scenario("scenarios/examples/hydrogen-pair.yaml")
    solve(scenario, options=SolverOptions(time_limit=2.0))
    assert len(given) >= 2
    assert given[0] <= 2.0
    assert given[1] <= 2.0 - 0.4 + 0.05, given  # not a fresh 2 s


def test_a_run_stops_within_its_limit() -> None:
    """200 sites, 1 s: baseline, optimized and any re-solve share the one second."""
    park = generate_park(200)
    limit = 1.0
    start = time.perf_counter()
    try:
        result = solve(park, options=SolverOptions(time_limit=limit))
    except SolverError as exc:  # stopped before a feasible solution: also within the limit
        assert "time limit" in str(exc).lower()
        solve_s = None
    else:
        solve_s = sum(result.outcomes[c].timings.get("solve", 0.0) for c in result.outcomes)
    wall = time.perf_counter() - start
    if solve_s is not None:
        assert solve_s <= limit + 0.5, f"solves took {solve_s:.2f} s in all"
    assert wall < 120
