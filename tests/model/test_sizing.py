"""Continuous capacity sizing of candidates (``sizing:``), against hand-derived optima.

CRF(r, n) = r / (1 - (1 + r)^-n):  CRF(0.08, 20) = 0.1018522,  CRF(0.08, 10) = 0.1490295.
"""

from __future__ import annotations

import pytest
import yaml
from hand_case_helpers import CRF_8_10, CRF_8_20, scenario, table
from pydantic import ValidationError

import symbio
from symbio.flows.load import scenario_from_data
from symbio.flows.schema import Process

# A by-product source (1,000 t/a h2, flared for free) and a user demanding 600 t/a, which
# can buy h2 at PRICE or get it over one candidate link of the given kind.
PAIR = """
name: {{en: sized pipe}}
resources:
  - {{id: h2, unit: t, name: {{en: hydrogen}}, category: byproduct}}
sites:
  - id: src
    name: {{en: source}}
    supplies: [{{resource: h2, amount: 1000}}]
  - id: dst
    name: {{en: user}}
    demands: [{{resource: h2, amount: 600}}]
links:
  - {{id: pipe, resource: h2, from: src, to: dst, candidate: true, length_km: 1,
      lifetime_y: 20, {link}}}
markets:
  - {{id: h2_buy, resource: h2, site: dst, buy_cny: {price}}}
disposal:
  - {{id: flare, resource: h2, site: src, cost_cny: 0}}
"""
SIZED = "capex_cny: 1.0e6, sizing: {max_capacity: 2000, capex_cny_per_unit: 5000}"
# the same pipe at a fixed size of 2,000 t/a: capex 1e6 + 5,000 x 2,000 = 1.1e7 CNY
FIXED = "capex_cny: 1.1e7, capacity: 2000"


def test_sized_link_is_built_at_the_demand_it_serves() -> None:
    # Cost with the pipe: CRF20 * (1e6 * build + 5,000 * s) + 10,000 * (600 - s) for s <= 600.
    # Per unit of size: 5,000 * CRF20 = 509.26 < 10,000 CNY/t bought, so s = 600 (more size
    # carries nothing: the demand is 600). Cost = CRF20 * (1e6 + 5,000 * 600)
    #   = 0.1018522 * 4.0e6 = 407,408.88 CNY/a   (baseline: 600 x 10,000 = 6.0e6 CNY/a)
    r = symbio.solve(scenario(PAIR.format(link=SIZED, price=10_000)))
    assert r.status == "optimal"
    b = table(r, "builds").set_index("id").loc["pipe"]
    assert bool(b["built"])
    assert b["size"] == pytest.approx(600, rel=1e-6)
    assert b["capacity"] == 2000  # max_capacity
    assert b["capex_cny"] == pytest.approx(4.0e6, rel=1e-6)
    assert b["annualised_capex_cny_a"] == pytest.approx(CRF_8_20 * 4.0e6, rel=1e-6)
    assert r.kpi("total_cost_cny") == pytest.approx(CRF_8_20 * 4.0e6, rel=1e-6)
    assert r.kpi("total_cost_cny") == pytest.approx(407_408.88, abs=0.5)
    assert r.kpi("total_cost_cny", "baseline") == pytest.approx(6.0e6)
    assert table(r, "flows")["amount"].tolist() == pytest.approx([600])
    assert table(r, "flows")["utilisation"].tolist() == pytest.approx([1.0])
    base = table(r, "builds", "baseline").set_index("id").loc["pipe"]
    assert not bool(base["built"]) and base["size"] == 0


@pytest.mark.parametrize(
    ("price", "sized_built", "fixed_built"),
    [
        (1_000, True, False),  # sizing makes the pipe worthwhile, the fixed size does not
        (650, False, False),  # below the sized break-even 679.01
        (2_000, True, True),  # above the fixed break-even 1,867.29
    ],
)
def test_sizing_break_even(price: float, sized_built: bool, fixed_built: bool) -> None:
    # Serving demand D = 600 t/a over the pipe instead of buying at price p:
    #   sized: build iff CRF20 * (1e6 + 5,000 * 600) < 600 p  <=>  p > 407,408.88 / 600 = 679.01
    #   fixed (2,000 t/a): CRF20 * 1.1e7 < 600 p              <=>  p > 1,120,374.4 / 600 = 1,867.29
    # so at p = 1,000 the sized pipe costs 407,408.88 < 600,000 (buy) < 1,120,374.4 (fixed).
    assert 400_000 / 600 < CRF_8_20 * 4.0e6 / 600 < 680
    assert 1_867 < CRF_8_20 * 1.1e7 / 600 < 1_868
    sized = symbio.solve(scenario(PAIR.format(link=SIZED, price=price)))
    fixed = symbio.solve(scenario(PAIR.format(link=FIXED, price=price)))
    for r, built, annual in (
        (sized, sized_built, CRF_8_20 * 4.0e6),
        (fixed, fixed_built, CRF_8_20 * 1.1e7),
    ):
        assert bool(table(r, "builds")["built"].iloc[0]) is built
        expected = annual if built else 600 * price
        assert r.kpi("total_cost_cny") == pytest.approx(expected, rel=1e-6)


STEAM = """
name: {en: sized recovery boiler}
time_slices:
  - {id: s1, hours: 4380}
  - {id: s2, hours: 4380}
resources:
  - {id: heat, unit: MWh, name: {en: waste heat}, category: heat}
  - {id: steam, unit: MWh, name: {en: steam}}
sites:
  - id: plant
    name: {en: plant}
    supplies: [{resource: heat, amount: 800}]
    demands: [{resource: steam, amount: 500, by_slice: {s1: 300, s2: 200}}]
processes:
  - id: boiler
    site: plant
    candidate: true
    inputs: {heat: 1}
    outputs: {steam: 1}
    lifetime_y: 10
    fixed_om_cny_a: 10000
    sizing: {max_capacity: 2000, capex_cny_per_unit: 1000, min_capacity: 100}
markets:
  - {id: steam_buy, resource: steam, site: plant, buy_cny: 400}
disposal:
  - {id: vent, resource: heat, site: plant, cost_cny: 0}
"""


def test_sized_process_sizes_to_the_peak_slice() -> None:
    # Two half-year slices (share 0.5 each), steam demand 300 and 200 MWh, waste heat 400 per
    # slice. Activity per slice <= 0.5 * size, so serving the peak (300 MWh in s1) takes
    # size 600 MWh/a. A unit of size saves 0.5 x 400 = 200 CNY/a of steam in s1 (and, below
    # 400, as much again in s2) and costs 1,000 x CRF10 = 149.03 CNY/a: size = 600.
    # Cost = CRF10 * 1,000 * 600 + 10,000 = 89,417.72 + 10,000 = 99,417.72 CNY/a
    # (baseline: buy 500 x 400 = 200,000 CNY/a).
    r = symbio.solve(scenario(STEAM))
    b = table(r, "builds").set_index("id").loc["boiler"]
    assert b["size"] == pytest.approx(600, rel=1e-6)
    assert r.kpi("total_cost_cny") == pytest.approx(CRF_8_10 * 600_000 + 10_000, rel=1e-6)
    assert r.kpi("total_cost_cny") == pytest.approx(99_417.72, abs=0.5)
    assert r.kpi("total_cost_cny", "baseline") == pytest.approx(200_000)
    act = table(r, "process_activity").set_index("slice")
    assert act["activity"].to_dict() == pytest.approx({"s1": 300, "s2": 200})
    assert act["capacity"].to_dict() == pytest.approx({"s1": 300, "s2": 300})  # size share
    assert act["load_factor"].to_dict() == pytest.approx({"s1": 1.0, "s2": 200 / 300})
    assert table(r, "purchases").empty


def test_min_capacity_forces_a_larger_size() -> None:
    # With min_capacity 1,200 the size must be >= 1,200 if built: CRF10 * 1.2e6 + 10,000
    # = 188,835.4 < 200,000 (buy): still built, at size 1,200.
    r = symbio.solve(scenario(STEAM.replace("min_capacity: 100", "min_capacity: 1200")))
    b = table(r, "builds").set_index("id").loc["boiler"]
    assert b["size"] == pytest.approx(1200, rel=1e-6)
    assert r.kpi("total_cost_cny") == pytest.approx(CRF_8_10 * 1.2e6 + 10_000, rel=1e-6)


def test_sized_min_load_is_a_share_of_the_chosen_size() -> None:
    # min_load 0.5 of the chosen size 600 (300 MWh/a, 150 per slice) binds in neither slice:
    # same optimum as without a minimum load.
    r = symbio.solve(scenario(STEAM.replace("lifetime_y: 10", "lifetime_y: 10\n    min_load: 0.5")))
    assert table(r, "builds").set_index("id").loc["boiler"]["size"] == pytest.approx(600)
    assert r.kpi("total_cost_cny") == pytest.approx(CRF_8_10 * 600_000 + 10_000, rel=1e-6)


def test_sizing_schema_rules() -> None:
    base = {"id": "p", "site": "s", "inputs": {"x": 1}}
    sizing = {"max_capacity": 10, "capex_cny_per_unit": 1}
    assert Process(**base, candidate=True, sizing=sizing).capacity == 10
    with pytest.raises(ValidationError, match="for candidates"):
        Process(**base, sizing=sizing)
    with pytest.raises(ValidationError, match="leave capacity out"):
        Process(**base, candidate=True, capacity=5, sizing=sizing)
    with pytest.raises(ValidationError, match="must not exceed"):
        Process(**base, candidate=True, sizing={**sizing, "min_capacity": 11})


def test_candidate_generator_passes_sizing_through() -> None:
    data = yaml.safe_load(PAIR.format(link=SIZED, price=10_000))
    del data["links"]
    data["sites"][0]["xy_km"] = [0, 0]
    data["sites"][1]["xy_km"] = [1, 0]
    data["candidate_links"] = [
        {
            "id": "gen",
            "resource": "h2",
            "max_km": 5,
            "capex_cny": 1.0e6,
            "lifetime_y": 20,
            "sizing": {"max_capacity": 2000, "capex_cny_per_unit": 5000},
        }
    ]
    r = symbio.solve(scenario_from_data(data, None, "<test>"))
    b = table(r, "builds").set_index("id").loc["gen.src.dst"]
    assert b["capacity"] == 2000
    assert b["size"] == pytest.approx(600, rel=1e-6)
    assert r.kpi("total_cost_cny") == pytest.approx(CRF_8_20 * 4.0e6, rel=1e-6)
