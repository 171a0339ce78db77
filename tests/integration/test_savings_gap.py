"""Savings and MIP gaps: the baseline's gap must not overstate the savings unnoticed."""

from __future__ import annotations

from pathlib import Path

import pytest

import symbio
from benchmarks.parks import generate_park
from symbio.model import ModelOptions, build_model
from symbio.results import read_result
from symbio.savings import baseline_target as _baseline_target
from symbio.savings import savings_gap
from symbio.solvers import SolveOutcome, SolverOptions, Status, solve_model

ROOT = Path(__file__).resolve().parents[2]


def outcome(objective: float, bound: float) -> SolveOutcome:
    return SolveOutcome(Status.OPTIMAL, objective=objective, bound=bound, gap=0.0)


def test_baseline_target_is_the_run_gap_of_the_savings() -> None:
    opts = SolverOptions(mip_gap=0.01)
    # saving 50, 1 % of it = 0.5; the baseline's gap of 10 overstates it by up to 20 %
    assert _baseline_target(outcome(100, 90), outcome(50, 49), opts) == pytest.approx(0.5)
    assert _baseline_target(outcome(100, 99.8), outcome(50, 49), opts) is None
    # never below HiGHS's default precision of the baseline (1e-4 of it)
    assert _baseline_target(outcome(1e6, 9e5), outcome(1e6 - 1, 0), opts) == pytest.approx(100)
    assert _baseline_target(outcome(1e6, 1e6), outcome(1, 0), opts) is None


def test_savings_gap_bounds() -> None:
    g = savings_gap("cost", "CNY/a", outcome(100, 90), outcome(50, 47))
    assert g["saving"] == 50 and g["lower"] == 40 and g["upper"] == 53
    assert g["baseline_gap"] == 10 and g["optimized_gap"] == 3 and g["gap"] == 13
    assert g["relative"] == pytest.approx(13 / 50) and g["kpi"] == "total_cost_cny"
    assert savings_gap("cost", "CNY/a", None, outcome(50, 47)) is None


def test_savings_honest_on_a_200_site_park() -> None:
    """At a 1 % gap the baseline overstated the savings by 52 M CNY/a (2.3 % of them)."""
    s = generate_park(200, seed=0)
    r = symbio.solve(s, "cost", mip_gap=0.01)
    g = r.provenance["savings_gap"]
    saving = float(r.kpis.set_index("kpi").loc["total_cost_cny", "saving"])
    optimized = r.outcomes["optimized"].objective
    assert g["saving"] == pytest.approx(saving, rel=1e-9)
    assert g["lower"] <= saving <= g["upper"]
    assert g["baseline_gap"] <= 0.01 * abs(saving) * (1 + 1e-9)
    # the truth: the status quo operated (almost) optimally
    m = build_model(s, ModelOptions(objective="cost", candidates=False, policy_caps=False))
    best = solve_model(m, SolverOptions(mip_gap=1e-6))
    overstated = saving - (best.bound - optimized)  # at most this much above the true saving
    assert overstated <= 0.01 * saving
    assert g["lower"] <= best.objective - optimized + 1e-6 * abs(best.objective)
    # one model serves both cases: the optimized case reports its real build time
    timings = r.provenance["timings"]
    assert timings["optimized"]["build"] == timings["baseline"]["build"] > 0


def test_savings_gap_in_summary_json(tmp_path: Path) -> None:
    r = symbio.solve(ROOT / "scenarios/examples/hydrogen-pair.yaml")
    g = r.provenance["savings_gap"]
    assert g["objective"] == "cost" and g["unit"] == "CNY/a"
    assert g["saving"] == pytest.approx(120_000_000 - 916_670, abs=1)
    assert g["lower"] <= g["saving"] <= g["upper"]
    back = read_result(r.write(tmp_path / "h2"))
    assert back.summary()["savings_gap"] == pytest.approx(r.summary()["savings_gap"])
    assert back.provenance["savings_gap"]["unit"] == "CNY/a"
