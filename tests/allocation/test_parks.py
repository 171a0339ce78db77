"""Allocation of small parks solved end to end; expected numbers derived by hand.

See ``tests/allocation_parks.py`` for the parks and their coalition values on paper.
"""

from __future__ import annotations

import pytest
from allocation_parks import EMPTY_CORE, THREE, scale_park
from hand_case_helpers import CRF_8_20, scenario

from symbio.allocation import Allocation, allocate
from symbio.allocation.coalitions import CoalitionSolver
from symbio.flows.load import load_scenario
from symbio.paths import scenarios_dir

M = 1e6


def _values(a: Allocation) -> dict[str, float]:
    return dict(zip(a.values["coalition"], a.values["value_cny"] / M, strict=True))


@pytest.fixture(scope="module")
def three() -> Allocation:
    return allocate(scenario(THREE))


def test_three_enterprise_coalition_values(three) -> None:
    assert _values(three) == pytest.approx(
        {"a": 0, "b": 0, "c": 0, "a b": 119, "a c": 89, "b c": 0, "a b c": 178}, abs=1e-6
    )


def test_three_enterprise_shapley_nucleolus_core(three) -> None:
    # Shapley by hand: A (0+0+119+178+89+178)/6 = 94, B (119+89+0+0+89+0)/6 = 49.5, C 34.5
    # Nucleolus: -x_C = x_C - 59 -> x_C = 29.5 (least core -29.5); then -x_B = x_B - 89
    # -> x_B = 44.5; x_A = 178 - 74 = 104. Core: x_B <= 89, x_C <= 59 -> Shapley inside.
    x = three.allocation.set_index("player")
    assert (x["shapley_cny"] / M).to_dict() == pytest.approx({"a": 94, "b": 49.5, "c": 34.5})
    assert (x["nucleolus_cny"] / M).to_dict() == pytest.approx({"a": 104, "b": 44.5, "c": 29.5})
    s = three.summary
    assert s["least_core_cny"] / M == pytest.approx(-29.5)
    assert not s["core_empty"]
    assert s["core"]["shapley"]["in_core"]
    assert s["coalitions"] == 7 and 1 <= s["coalitions_solved"] <= 7


def test_three_enterprise_market_settlement_and_rational_prices(three) -> None:
    # market prices are the buyers' alternatives (20,000 and 15,000 CNY/t); the buyer pays
    # its pipe (1 M CNY/a): A gains 6,000 x 20,000 + 4,000 x 15,000 = 180 M, B and C lose 1 M.
    acc = three.accounts.set_index("account")
    assert (acc["gain_market_cny"] / M).to_dict() == pytest.approx(
        {"a": 180, "b": -1, "c": -1}, abs=1e-6
    )
    # individually rational prices closest to market: B pays 20,000 - 1e6 / 6,000,
    # C 15,000 - 1e6 / 4,000 (its 2,000 t bought at 15,000 are unchanged)
    rp = three.rational
    assert rp.feasible
    assert rp.prices[("h2", "a", "b", "year")] == pytest.approx(20000 - 1e6 / 6000)
    assert rp.prices[("h2", "a", "c", "year")] == pytest.approx(15000 - 1e6 / 4000)
    assert three.accounts["gain_cny"].sum() / M == pytest.approx(178)


def test_empty_core_park() -> None:
    a = allocate(scenario(EMPTY_CORE))
    assert _values(a) == pytest.approx(
        {"e1": 0, "e2": 0, "e3": 0, "e1 e2": 0.5, "e1 e3": 0.5, "e2 e3": 0.5, "e1 e2 e3": 0.5},
        abs=1e-6,
    )
    s = a.summary
    assert s["core_empty"]
    assert s["least_core_cny"] / M == pytest.approx(1 / 6)
    assert (a.allocation["nucleolus_cny"] / M).tolist() == pytest.approx([1 / 6] * 3)
    assert not s["core"]["shapley"]["in_core"]
    assert s["core"]["shapley"]["max_excess_cny"] / M == pytest.approx(1 / 6)
    assert len(s["core"]["shapley"]["blocking"]) == 2


def test_rational_prices_fix_what_market_prices_break() -> None:
    # hydrogen pair, pipe split 50/50: at the market price (20,000 CNY/t, the refinery's
    # alternative) the refinery pays 120 M for hydrogen and half the pipe, 458,335 CNY/a
    # more than today; the rational price keeps it whole: 20,000 - 458,335 / 6,000.
    half_pipe = 3 * 3.0e6 * CRF_8_20 / 2
    a = allocate(load_scenario(scenarios_dir() / "examples" / "hydrogen-pair.yaml"))
    acc = a.accounts.set_index("account")
    assert acc.at["refinery", "gain_market_cny"] == pytest.approx(-half_pipe, rel=1e-6)
    assert a.rational.feasible
    p = a.rational.prices[("h2", "cracker", "refinery", "year")]
    assert p == pytest.approx(20000 - half_pipe / 6000, rel=1e-9)


def test_sampled_shapley_converges_to_exact() -> None:
    # eight enterprises share a 4,000 t/a unit: 255 coalitions exactly, fewer sampled
    text = scenario(scale_park([1000, 1500, 2000, 2500, 800, 1200, 600, 1800], 4000))
    exact = allocate(text, pairs=False).allocation.set_index("player")["shapley_cny"]
    sampled = allocate(text, max_exact=3, samples=40, seed=3, pairs=False)
    got = sampled.allocation.set_index("player")
    assert not sampled.summary["exact"]
    assert sampled.summary["coalitions"] < 255
    for p, x in exact.items():
        assert abs(got.at[p, "shapley_cny"] - x) <= 3 * got.at[p, "shapley_se_cny"] + 1.0


def test_coalitions_reuse_one_instance_and_match_a_cold_build() -> None:
    s = scenario(THREE)
    solver = CoalitionSolver(s)
    h, cols = solver.solver.h, solver.solver.h.getNumCol()
    warm = solver.solve(frozenset({"a", "c"})).cost
    assert solver.solver.h is h and h.getNumCol() == cols
    cold = CoalitionSolver(s).solve(frozenset({"a", "c"})).cost
    assert warm == pytest.approx(cold) == pytest.approx(210e6 - 89e6)


def test_sites_with_one_owner_are_one_player() -> None:
    # B and C belong to one owner: two players, v(A) = v(BC) = 0, v(N) = 178 -> 89 each
    text = THREE.replace("{id: b, name: {en: B}", "{id: b, owner: bc, name: {en: B}")
    text = text.replace("{id: c, name: {en: C}", "{id: c, owner: bc, name: {en: C}")
    a = allocate(scenario(text), pairs=False)
    x = a.allocation.set_index("player")["shapley_cny"] / M
    assert x.to_dict() == pytest.approx({"a": 89, "bc": 89})
    assert set(a.accounts["account"]) == {"a", "bc"}


def test_an_exactly_one_group_binds_only_coalitions_that_may_choose() -> None:
    # THREE with "one of the two pipes must be built": {B, C} may build neither, so it keeps
    # the status quo (v = 0) instead of being infeasible; the grand coalition builds only
    # A->B: v(N) = 119 (A->C alone: 89)
    text = THREE + "build_groups:\n  - {id: one_pipe, kind: exactly_one, members: [ab, ac]}\n"
    v = _values(allocate(scenario(text), pairs=False))
    assert v["b c"] == pytest.approx(0, abs=1e-6)
    assert v["a b c"] == pytest.approx(119)
    assert v["a c"] == pytest.approx(89)


@pytest.mark.parametrize(
    ("rule", "gains"),
    [
        # seller's marginal value 0 (surplus hydrogen is flared), buyers' 20,000 and 15,000:
        # split 50/50 -> 10,000 and 7,500 CNY/t: A 60 + 30, B 120 - 60 - 1, C 90 - 30 - 30 - 1
        ("split_savings", {"a": 90, "b": 59, "c": 29}),
        # cost plus 10% of 0 -> free hydrogen: B and C keep the savings less their pipes
        ("cost_plus", {"a": 0, "b": 119, "c": 59}),
        # rational prices closest to market keep B and C exactly whole
        ("rational", {"a": 178, "b": 0, "c": 0}),
    ],
)
def test_settlement_rules_by_hand(rule, gains) -> None:
    text = THREE.replace(
        "allocation: {shared_assets: buyer}",
        f"allocation: {{shared_assets: buyer, settlement: {rule}}}",
    )
    a = allocate(scenario(text), pairs=False)
    got = (a.accounts.set_index("account")["gain_cny"] / M).to_dict()
    assert got == pytest.approx(gains, abs=1e-4)


def test_coalitions_on_a_process_pool_match_the_serial_values() -> None:
    s = scenario(scale_park([1000, 1500, 2000, 2500], 4000))
    serial = _values(allocate(s, pairs=False))
    pooled = _values(allocate(s, pairs=False, workers=2))
    assert len(pooled) == 15
    assert pooled == pytest.approx(serial, abs=1e-6)


def test_reused_optima_equal_solving_every_coalition() -> None:
    # the scale-economies park (8 enterprises, a shared unit that is worth building only for
    # some coalitions) and the exactly_one variant of THREE: every coalition value taken over
    # from a larger coalition equals the value of solving that coalition on its own
    from symbio.allocation.coalitions import solve_each
    from symbio.allocation.game import all_coalitions

    group = "build_groups:\n  - {id: one_pipe, kind: exactly_one, members: [ab, ac]}\n"
    texts = [scale_park([1000, 1500, 2000, 2500, 800, 1200], 4000), THREE, THREE + group]
    n_reused = 0
    for text in texts:
        solver = CoalitionSolver(scenario(text))
        coalitions = all_coalitions(solver.players.active)
        reused = solve_each(solver, coalitions)
        tol = 2 * solver.options.mip_abs_gap
        for r in reused:
            own = solver.solve(r.coalition)
            assert r.cost == pytest.approx(own.cost, abs=tol), sorted(r.coalition)
            n_reused += r.same_as is not None
    assert n_reused > 0
