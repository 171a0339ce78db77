"""End-to-end cases whose optimum is derived by hand (the derivation is in each test).

CRF(r, n) = r / (1 - (1 + r)^-n):  CRF(0.08, 20) = 0.1018522,  CRF(0.08, 10) = 0.1490295.
"""

from __future__ import annotations

import math

import pytest
from hand_case_helpers import CRF_8_10, CRF_8_20, SHORTFALL, scenario, table

import symbio
from symbio.errors import InfeasibleError

# -- 1. by-product hydrogen vs purchased hydrogen ------------------------------------------


def test_hydrogen_pair_matches_header_derivation() -> None:
    # scenarios/examples/hydrogen-pair.yaml, header:
    #   pipeline 3 km x 3.0e6 CNY/km x CRF(0.08, 20) = 916,669.88 CNY/a
    #   baseline: buy 6,000 t x 20,000 CNY/t = 120,000,000 CNY/a, CO2 6,000 x 9 = 54,000 t
    #   optimized: build, send 6,000 t, flare 4,000 t; CO2 0
    r = symbio.solve("scenarios/examples/hydrogen-pair.yaml")
    assert r.status == "optimal"
    assert r.kpi("total_cost_cny") == pytest.approx(3 * 3.0e6 * CRF_8_20, rel=1e-9)
    assert r.kpi("total_cost_cny") == pytest.approx(916_670, abs=1)
    assert r.kpi("total_cost_cny", "baseline") == pytest.approx(120_000_000)
    assert r.kpi("co2_t", "baseline") == pytest.approx(54_000)
    assert r.kpi("co2_t") == pytest.approx(0, abs=1e-6)
    assert r.kpi("byproduct_utilisation_h2") == pytest.approx(0.6)  # 6,000 of 10,000 t used
    assert r.kpi("symbiosis_links") == 1
    saving = r.kpis.set_index("kpi").loc["total_cost_cny"]
    assert saving["saving"] == pytest.approx(120_000_000 - 916_669.88, abs=1)
    assert saving["saving_pct"] == pytest.approx(100 * (1 - 916_669.88 / 120e6), abs=1e-4)
    flows = table(r, "flows")
    assert flows["amount"].tolist() == pytest.approx([6000])
    assert table(r, "disposal")["amount"].tolist() == pytest.approx([4000])


# -- 2. waste-heat steam vs a gas boiler: the pipe pays off above a carbon price -----------

STEAM = """
name: {en: waste heat vs boiler}
resources:
  - {id: steam, unit: t, name: {en: steam}, category: heat, tce_per_unit: 0.1}
  - {id: gas, unit: GJ, name: {en: natural gas}, category: fuel, tce_per_unit: 0.03412}
sites:
  - id: incinerator
    name: {en: incinerator}
    xy_km: [0, 0]
    supplies: [{resource: steam, amount: 100000}]
  - id: plant
    name: {en: plant}
    xy_km: [2, 0]
    demands: [{resource: steam, amount: 100000}]
processes:
  - {id: boiler, site: plant, inputs: {gas: 3.0}, outputs: {steam: 1.0}, capacity: 200000}
links:
  - {id: pipe, resource: steam, from: incinerator, to: plant, candidate: true, capex_cny: 2.0e8,
     lifetime_y: 20}
markets:
  - {id: gas_grid, resource: gas, site: plant, buy_cny: 60, emissions: {co2: 0.056}}
disposal:
  - {id: vent, resource: steam, site: incinerator, cost_cny: 0}
policy: {carbon_price_cny_t: PRICE, discount_rate: 0.08}
"""
# Boiler: 3 GJ/t x 60 CNY/GJ = 180 CNY/t steam and 3 x 0.056 = 0.168 t CO2/t steam.
# Pipe:   2.0e8 x CRF(0.08, 20) = 20,370,443 CNY/a for 100,000 t = 203.704 CNY/t.
# Boiler cost at carbon price c: 100,000 x (180 + 0.168 c); equal to the pipe at
#   c* = (203.704 - 180) / 0.168 = 141.10 CNY/t CO2.
PIPE_A = 2.0e8 * CRF_8_20
C_STAR = (PIPE_A / 100_000 - 180) / 0.168


def test_flip_price_derivation() -> None:
    assert pytest.approx(141.10, abs=0.01) == C_STAR


@pytest.mark.parametrize("price", [0.0, 100.0, math.floor(C_STAR), math.ceil(C_STAR), 200.0])
def test_waste_heat_pipe_flips_at_derived_carbon_price(price: float) -> None:
    r = symbio.solve(scenario(STEAM.replace("PRICE", str(price))))
    boiler_cost = 100_000 * (180 + 0.168 * price)
    built = bool(table(r, "builds").set_index("id").loc["pipe", "built"])
    assert built == (price > C_STAR)
    assert r.kpi("total_cost_cny") == pytest.approx(min(boiler_cost, PIPE_A), rel=1e-9)
    assert r.kpi("total_cost_cny", "baseline") == pytest.approx(boiler_cost, rel=1e-9)
    # baseline: 300,000 GJ gas = 10,236 tce and 16,800 t CO2; all 100,000 t waste heat vented
    assert r.kpi("energy_tce", "baseline") == pytest.approx(300_000 * 0.03412)
    assert r.kpi("co2_t", "baseline") == pytest.approx(16_800)
    assert r.kpi("waste_heat_available_tce") == pytest.approx(10_000)
    assert r.kpi("waste_heat_recovered_tce", "baseline") == pytest.approx(0)
    assert r.kpi("waste_heat_recovered_tce") == pytest.approx(10_000 if built else 0)
    assert r.kpi("co2_t") == pytest.approx(0 if built else 16_800)


# -- 3. steam pressure let-down ------------------------------------------------------------

LETDOWN = """
name: {en: let-down}
resources:
  - {id: hp, unit: t, name: {en: HP steam}, category: heat}
  - {id: lp, unit: t, name: {en: LP steam}, category: heat}
  - {id: gas, unit: GJ, name: {en: gas}, category: fuel}
  - {id: water, unit: t, name: {en: boiler feed water}, category: water}
sites:
  - {id: utility, name: {en: utility}}
  - id: user
    name: {en: user}
    demands: [{resource: hp, amount: 20000}, {resource: lp, amount: 50000}]
processes:
  - {id: hp_boiler, site: utility, inputs: {gas: 3.0}, outputs: {hp: 1.0}, capacity: 500000}
  - {id: letdown, site: user, inputs: {hp: 0.92, water: 0.08}, outputs: {lp: 1.0}, capacity: 100000}
links:
  - {id: hp_main, resource: hp, from: utility, to: user, loss: 0.02}
markets:
  - {id: gas_grid, resource: gas, site: utility, buy_cny: 60}
  - {id: water_grid, resource: water, site: user, buy_cny: 5}
"""


def test_steam_letdown_balances() -> None:
    # LP 50,000 t needs 0.92 x 50,000 = 46,000 t HP and 0.08 x 50,000 = 4,000 t water at the user;
    # HP at the user: 20,000 + 46,000 = 66,000 t delivered = 66,000 / 0.98 = 67,346.94 t sent;
    # gas 3 x 67,346.94 = 202,040.82 GJ x 60 = 12,122,449 CNY; water 4,000 x 5 = 20,000 CNY.
    r = symbio.solve(scenario(LETDOWN))
    sent = 66_000 / 0.98
    assert table(r, "flows")["amount"].sum() == pytest.approx(sent)
    act = table(r, "process_activity").set_index("process")["activity"]
    assert act["letdown"] == pytest.approx(50_000)
    assert act["hp_boiler"] == pytest.approx(sent)
    assert r.kpi("total_cost_cny") == pytest.approx(3 * sent * 60 + 4_000 * 5)
    bal = table(r, "site_balances").set_index(["site", "resource"])
    assert bal.loc[("user", "hp"), "inflow"] == pytest.approx(66_000)
    assert bal.loc[("user", "hp"), "process_input"] == pytest.approx(46_000)
    assert r.kpi("fresh_water_t") == pytest.approx(4_000)


# -- 4. quality-constrained water reuse ----------------------------------------------------

WATER = """
name: {en: water reuse}
resources:
  - id: water
    unit: t
    name: {en: process water}
    category: water
    quality: {attribute: chloride, unit: mg/L, sense: max}
sites:
  - id: works
    name: {en: water works}
    supplies: [{resource: water, amount: 800000, quality: 500}]
  - id: polymer
    name: {en: polymer plant}
    demands: [{resource: water, amount: 1000000, quality: 200}]
links:
  - {id: reuse_main, resource: water, from: works, to: polymer}
markets:
  - {id: tap, resource: water, site: polymer, buy_cny: 4, quality: 20}
disposal:
  - {id: discharge, resource: water, site: works, cost_cny: 1}
"""


def test_water_reuse_minimum_fresh_water() -> None:
    # Reclaimed x (500 mg/L) and fresh f (20 mg/L) with f + x = 1,000,000 and
    # 20 f + 500 x <= 200 (f + x)  =>  480 x <= 180,000,000  =>  x <= 375,000, f >= 625,000 t.
    # Reuse is cheaper (fresh 4 CNY/t, discharge 1 CNY/t), so x = 375,000:
    # cost = 625,000 x 4 + (800,000 - 375,000) x 1 = 2,925,000 CNY/a.
    r = symbio.solve(scenario(WATER))
    assert r.kpi("fresh_water_t") == pytest.approx(625_000)
    assert table(r, "flows")["amount"].sum() == pytest.approx(375_000)
    assert r.kpi("total_cost_cny") == pytest.approx(2_925_000)
    # Without the limit all 800,000 t would be reused: the limit must bind.
    loose = WATER.replace("quality: 200}", "quality: 600}")
    assert symbio.solve(scenario(loose)).kpi("fresh_water_t") == pytest.approx(200_000)


# -- 5. minimum load -----------------------------------------------------------------------

MIN_LOAD = """
name: {en: minimum load}
time_slices: [{id: summer, hours: 4380}, {id: winter, hours: 4380}]
resources:
  - {id: steam, unit: t, name: {en: steam}, category: heat}
sites:
  - id: plant
    name: {en: plant}
    demands: [{resource: steam, amount: 60000, by_slice: {summer: 10000, winter: 50000}}]
processes:
  - {id: old_boiler, site: plant, outputs: {steam: 1}, capacity: 200000, variable_om_cny: 100}
  - {id: new_boiler, site: plant, candidate: true, outputs: {steam: 1}, capacity: 100000,
     min_load: MINLOAD, variable_om_cny: 50, capex_cny: 5.0e6, lifetime_y: 10}
disposal:
  - {id: vent, resource: steam, site: plant, cost_cny: 0}
policy: {discount_rate: 0.08}
"""


def test_minimum_load_switches_the_new_boiler_off_in_summer() -> None:
    # New boiler: 100,000 t/a = 50,000 t per half-year slice, minimum 0.5 x 50,000 = 25,000 t.
    # Capex 5.0e6 x CRF(0.08, 10) = 745,147 CNY/a.
    # Winter 50,000 t: new boiler at 50 CNY/t = 2,500,000.
    # Summer 10,000 t: new boiler at its minimum 25,000 t (venting 15,000) = 1,250,000, or off and
    #   the old boiler at 100 CNY/t = 1,000,000 -> off.
    # Total 745,147 + 2,500,000 + 1,000,000 = 4,245,147 CNY/a (all-old: 6,000,000).
    r = symbio.solve(scenario(MIN_LOAD.replace("MINLOAD", "0.5")))
    capex_a = 5.0e6 * CRF_8_10
    assert r.kpi("total_cost_cny") == pytest.approx(capex_a + 2_500_000 + 1_000_000)
    assert r.kpi("total_cost_cny", "baseline") == pytest.approx(6_000_000)
    act = table(r, "process_activity").set_index(["process", "slice"])["activity"]
    assert act["new_boiler", "summer"] == pytest.approx(0, abs=1e-6)
    assert act["new_boiler", "winter"] == pytest.approx(50_000)
    assert act["old_boiler", "summer"] == pytest.approx(10_000)
    assert table(r, "disposal").empty


def test_without_minimum_load_the_new_boiler_also_runs_in_summer() -> None:
    # Same case with min_load 0: summer 10,000 t x 50 = 500,000 -> 745,147 + 2,500,000 + 500,000.
    r = symbio.solve(scenario(MIN_LOAD.replace("MINLOAD", "0.0")))
    assert r.kpi("total_cost_cny") == pytest.approx(5.0e6 * CRF_8_10 + 3_000_000)


def test_minimum_load_forces_venting_when_it_pays() -> None:
    # With the old boiler at 200 CNY/t, summer: new at 25,000 t x 50 = 1,250,000 (vent 15,000 t)
    # beats old 10,000 x 200 = 2,000,000. Total 745,147 + 2,500,000 + 1,250,000 = 4,495,147.
    text = MIN_LOAD.replace("MINLOAD", "0.5").replace(
        "variable_om_cny: 100", "variable_om_cny: 200"
    )
    r = symbio.solve(scenario(text))
    assert r.kpi("total_cost_cny") == pytest.approx(5.0e6 * CRF_8_10 + 3_750_000)
    assert table(r, "disposal")["amount"].sum() == pytest.approx(15_000)


# -- 6. an infeasible case whose diagnosis names site, resource and shortfall ---------------


def test_infeasible_diagnosis_names_site_resource_and_shortfall() -> None:
    # Only 4,000 t can reach a demand of 6,000 t: the refinery is 2,000 t short.
    with pytest.raises(InfeasibleError) as err:
        symbio.solve(scenario(SHORTFALL))
    diag = err.value.diagnosis
    assert len(diag.shortfalls) == 1
    short = diag.shortfalls[0]
    assert (short["site"], short["resource"], short["slice"]) == ("refinery", "h2", "year")
    assert short["amount"] == pytest.approx(2_000)
    text = str(err.value)
    assert "'refinery'" in text and "'h2'" in text and "2,000 t short" in text
    assert any("balance of 'h2' at site 'refinery'" in c for c in diag.conflict)
