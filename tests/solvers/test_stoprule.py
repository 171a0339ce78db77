"""The optimized case stops at a share of the savings, not of the total cost."""

from __future__ import annotations

import math

import pytest

import symbio
from benchmarks.parks import generate_park
from symbio.solvers.options import SolverOptions
from symbio.solvers.outcome import SolveOutcome, Status
from symbio.solvers.stoprule import SavingsStop, savings_stop


def test_rule_by_hand():
    rule = SavingsStop(baseline=100.0, tolerance=0.01, floor=1e-6)
    # bound 50: up to 1 % of (100 - 50) = 0.5 may stay unproven
    assert rule.threshold(50.0) == pytest.approx(0.5)
    assert rule.met(50.5, 50.0) and not rule.met(50.6, 50.0)
    assert rule.share(50.5, 50.0) == pytest.approx(0.01)
    # nothing to save: only the floor (a proven optimum) stops it
    assert rule.threshold(100.0) == 1e-6 and not rule.met(100.1, 100.0)
    assert not rule.met(60.0, -math.inf) and rule.share(60.0, -math.inf) is None


def test_rule_off_without_baseline_or_tolerance():
    base = SolveOutcome(Status.OPTIMAL, objective=100.0, bound=100.0)
    assert savings_stop(base, SolverOptions(savings_gap=0.0)) is None
    assert savings_stop(None, SolverOptions()) is None
    assert savings_stop(SolveOutcome(Status.INFEASIBLE), SolverOptions()) is None
    rule = savings_stop(base, SolverOptions(mip_abs_gap=2.0))
    assert (rule.baseline, rule.tolerance, rule.floor) == (100.0, 0.01, 2.0)


def _run(savings_gap: float, mip_gap: float = 0.0) -> object:
    s = generate_park(50, seed=0)
    # mip_gap 0: only the savings rule (or a proof) can stop the optimized case
    return symbio.solve(
        s, "cost", options=SolverOptions(mip_gap=mip_gap, savings_gap=savings_gap, threads=1)
    )


def test_a_50_site_park_stops_within_its_share_of_the_savings():
    r = _run(0.05)
    g = r.provenance["savings_gap"]
    opt, base = r.outcomes["optimized"], r.outcomes["baseline"]
    assert g["stop_rule"] == "savings" and g["stop_tolerance"] == 0.05
    # the rule as stated: incumbent - bound <= 5 % of (baseline - bound)
    assert opt.objective - opt.bound <= 0.05 * (base.objective - opt.bound) * (1 + 1e-9)
    assert g["unproven_share"] == pytest.approx(
        (opt.objective - opt.bound) / (base.objective - opt.bound)
    )
    assert opt.status == Status.OPTIMAL
    if opt.objective - opt.bound > 1e-6:  # stopped by the rule, not by a proof
        assert "of the savings" in opt.message


def test_old_rule_is_kept():
    r = _run(0.0, mip_gap=0.01)
    g = r.provenance["savings_gap"]
    assert g["stop_rule"] == "objective" and g["stop_tolerance"] is None
    assert "of the savings" not in r.outcomes["optimized"].message
