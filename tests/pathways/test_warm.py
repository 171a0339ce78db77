"""Warm grid points (new carbon price / cap values on the kept model) equal cold runs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from symbio.flows.load import load_scenario
from symbio.flows.magnitudes import magnitude_warnings
from symbio.flows.overrides import apply_overrides
from symbio.pathways.warm import WarmRuns, _Warnings, param_changes
from symbio.run import solve

SCIP = Path(__file__).resolve().parents[2] / "scenarios" / "scip"
PRICE = "policy.carbon_price_cny_t"


def _kpis(result: object) -> pd.DataFrame:
    return result.kpis.set_index("kpi")[["baseline", "optimized", "saving"]]


def _builds(result: object) -> dict:
    b = result.tables["builds"]
    return dict(zip(b["case"] + ":" + b["id"], b["built"], strict=True))


def test_carbon_price_sweep_equals_cold_runs_of_the_scip_files():
    """0/100/200/500 CNY/t on one kept model vs cold runs of carbon-price-*.yaml."""
    base = SCIP / "symbiosis-2025.yaml"
    assert load_scenario(base).policy.carbon_price_cny_t == 0
    warm = WarmRuns()
    kpis = {}
    for price in (0, 100, 200, 500):
        hot = warm(apply_overrides(base, {PRICE: price}))
        kpis[price] = _kpis(hot)
        cold = solve(load_scenario(SCIP / f"carbon-price-{price}.yaml") if price else base)
        assert cold.resolved_yaml() and "carbon_price_cny_t" in hot.resolved_yaml()
        pd.testing.assert_frame_equal(_kpis(hot), _kpis(cold), rtol=1e-7, atol=1e-6)
        assert _builds(hot) == _builds(cold)
        for case in ("baseline", "optimized"):
            assert hot.outcomes[case].objective == pytest.approx(
                cold.outcomes[case].objective, rel=1e-9
            )
    assert (warm.warm, warm.cold) == (3, 1)
    # the price reached the kept model: with the same network and CO2 at every price here,
    # the total cost rises by exactly price x CO2 (the objective's carbon term)
    co2 = kpis[0].loc["co2_t", "optimized"]
    for price in (100, 200, 500):
        assert kpis[price].loc["co2_t", "optimized"] == pytest.approx(co2, rel=1e-9)
        rise = (
            kpis[price].loc["total_cost_cny", "optimized"]
            - kpis[0].loc["total_cost_cny", "optimized"]
        )
        assert rise == pytest.approx(price * co2, rel=1e-6)


def test_a_cap_value_is_warm_and_a_new_cap_is_cold(examples):
    s = load_scenario(examples / "small-park.yaml")
    capped = apply_overrides(examples / "small-park.yaml", {"policy.caps.co2": 5e8})
    looser = apply_overrides(examples / "small-park.yaml", {"policy.caps.co2": 9e8})
    assert param_changes(capped, looser) == {
        "policy_carbon_price": s.policy.carbon_price_cny_t,
        "policy_cap": {"co2": 9e8},
    }
    assert param_changes(s, capped) is None  # a new cap is a new row: cold
    other = apply_overrides(examples / "small-park.yaml", {"policy.discount_rate": 0.05})
    assert param_changes(s, other) is None


def test_warm_cap_points_equal_cold():
    """co2-cap.yaml binds at 6.2 Mt; 6.1 and 6.3 Mt on the kept model vs cold runs."""
    path = SCIP / "co2-cap.yaml"
    warm = WarmRuns()
    warm(load_scenario(path))
    for cap in (6.1e6, 6.3e6):
        point = apply_overrides(path, {"policy.caps.co2": cap})
        hot, cold = warm(point), solve(point)
        pd.testing.assert_frame_equal(_kpis(hot), _kpis(cold), rtol=1e-7, atol=1e-6)
        assert _builds(hot) == _builds(cold)
        assert _kpis(hot).loc["co2_t", "optimized"] <= cap * (1 + 1e-9)
    assert warm.warm == 2


def test_warnings_of_a_point_equal_a_full_check(examples):
    """Only changed sections are rechecked; the list equals magnitude_warnings, in order."""
    f = examples / "small-park.yaml"
    tiny = {"sites[incinerator].supplies[steam_hp].amount": 5e-7}  # a site warning, kept
    base = apply_overrides(f, {**tiny, "policy.caps.co2": 9e8})
    cache = _Warnings(base)
    points = [
        apply_overrides(f, {**tiny, "policy.caps.co2": 4e-7}),  # + a policy warning
        apply_overrides(f, {**tiny, "policy.caps.co2": 8e8, "description": "other"}),
        apply_overrides(f, {"policy.caps.co2": 3e-7}),  # the site warning gone, all rechecked
    ]
    sizes = []
    for point in points:
        assert cache.of(point) == magnitude_warnings(point)
        sizes.append(len(magnitude_warnings(point)))
    assert sizes == [2, 1, 1]
    assert cache.of(points[0])[0].startswith("sites[incinerator]")  # file order kept


def test_grid_points_leave_the_audit_out_and_keep_the_rest():
    """WarmRuns(audit=False), as run --set uses it: KPIs, builds and gap as cold; no audit."""
    base = SCIP / "symbiosis-2025.yaml"
    warm, full = WarmRuns(audit=False), WarmRuns()
    warm(load_scenario(base))
    full(load_scenario(base))
    point = apply_overrides(base, {PRICE: 300})
    hot, audited, cold = warm(point), full(point), solve(point)
    assert hot.provenance["audit"] == {} and "audit" not in hot.provenance["timings"]["steps"]
    assert audited.provenance["audit"] == cold.provenance["audit"] != {}
    for r in (hot, audited):
        pd.testing.assert_frame_equal(_kpis(r), _kpis(cold), rtol=1e-7, atol=1e-6)
        assert _builds(r) == _builds(cold)
        assert r.outcomes["optimized"].gap == pytest.approx(cold.outcomes["optimized"].gap)
        assert r.provenance["notes"] == cold.provenance["notes"]
    opts = warm.state.solver.h.getOptionValue("mip_heuristic_run_feasibility_jump")[1]
    assert opts is False  # the warm points solved as re-solves (resolve_options)


def test_a_warm_grid_row_equals_the_row_of_a_cold_run():
    """run_grid's warm point (kept graph, no audit) gives a cold run's row."""
    from symbio.pathways.grid import grid_row

    base = SCIP / "symbiosis-2025.yaml"
    warm = WarmRuns(audit=False)
    warm(load_scenario(base))
    point = {PRICE: 300}
    scenario = apply_overrides(base, point)
    assert scenario.measures  # the row's measure shares need the graph's members
    hot = grid_row(point, scenario, warm(scenario), warm.graph)
    assert warm.warm == 1 and warm.graph.scenario is scenario
    cold = grid_row(point, scenario, solve(scenario))
    assert list(hot) == list(cold)
    exact = [k for k in cold if k.startswith(("build:", "measure:")) or k in ("status", PRICE)]
    assert {k: hot[k] for k in exact} == {k: cold[k] for k in exact}
    assert len([k for k in exact if k.startswith("measure:")]) == len(scenario.measures)
    for k in set(cold) - set(exact):
        assert hot[k] == pytest.approx(cold[k], rel=1e-7, abs=1e-6, nan_ok=True), k
