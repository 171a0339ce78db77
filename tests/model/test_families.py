"""One small solved model per component family, each with its answer worked out by hand."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from symbio.model import ModelOptions, build_model
from symbio.model.balance import BALANCE_TERMS
from symbio.model.extract import extract
from symbio.model.tables import case_tables
from symbio.solvers import SolverOptions, Status, solve_model


def solved(scenario, **options):  # noqa: ANN001, ANN003, ANN201
    m = build_model(scenario, ModelOptions(**options))
    out = solve_model(m, SolverOptions(mip_gap=0.0))
    assert out.status == Status.OPTIMAL, out.message
    return m


def val(x: object) -> float:
    return float(pyo.value(x))


PAIR = """
name: {en: pair}
resources:
  - {id: h2, unit: t, name: {en: h2}, category: byproduct}
sites:
  - {id: a, name: {en: a}, supplies: [{resource: h2, amount: 2000}]}
  - {id: b, name: {en: b}, demands: [{resource: h2, amount: 1500}]}
links:
  - {id: ab, resource: h2, from: a, to: b, capacity: 1000}
markets:
  - {id: buy_b, resource: h2, site: b, buy_cny: 100, buy_cap: 300}
  - {id: buy_b2, resource: h2, site: b, buy_cny: 150}
disposal:
  - {id: flare, resource: h2, site: a, cost_cny: 2, cap: 600}
  - {id: vent, resource: h2, site: a, cost_cny: 7}
"""


def test_balance_terms_cover_every_flow_family(park) -> None:  # noqa: ANN001
    m = build_model(park(PAIR))
    flows = {
        "link_flow",
        "process_activity",
        "market_buy",
        "market_sell",
        "disposal_amount",
        "substitute_use",
        "balance_shortfall",
        "balance_surplus",
    }
    assert {t.var for t in BALANCE_TERMS} == flows
    assert flows <= {v.local_name for v in m.component_objects(pyo.Var)}


def test_existing_link_caps_market_and_disposal_caps(park) -> None:  # noqa: ANN001
    m = solved(park(PAIR))
    # Existing link (no build decision) carries its capacity 1,000 t to b; b needs 500 more:
    # 300 at 100 CNY/t (cap) + 200 at 150 CNY/t. a keeps 1,000 t: 600 flared at 2 (cap), 400 vented at 7.
    assert len(m.link_build) == 0
    assert val(m.link_flow["ab", "year"]) == pytest.approx(1000)
    assert val(m.market_buy["buy_b", "b", "year"]) == pytest.approx(300)
    assert val(m.market_buy["buy_b2", "b", "year"]) == pytest.approx(200)
    assert val(m.disposal_amount["flare", "a", "year"]) == pytest.approx(600)
    assert val(m.disposal_amount["vent", "a", "year"]) == pytest.approx(400)
    # 300 x 100 + 200 x 150 + 600 x 2 + 400 x 7 = 64,000 CNY/a
    assert val(m.objective) == pytest.approx(64_000)
    bal = case_tables(m.symbio_index, extract(m), "optimized")["site_balances"]
    sources = bal[["supply", "inflow", "process_output", "purchase"]].sum(axis=1)
    sinks = bal[["demand", "outflow", "process_input", "sale", "disposal"]].sum(axis=1)
    assert (sources - sinks).abs().max() == pytest.approx(0, abs=1e-6)


def test_candidate_link_and_baseline(park) -> None:  # noqa: ANN001
    text = PAIR.replace(
        "capacity: 1000}", "capacity: 1000, candidate: true, capex_cny: 1000, lifetime_y: 1}"
    )
    # discount 8 %, 1 year: CRF = 1.08 -> 1,080 CNY/a; saves 1,000 t x (150 - 7) = 143,000 -> built
    m = solved(park(text))
    assert val(m.link_build["ab"]) == 1
    base = solved(park(text), candidates=False)
    assert base.link_build["ab"].fixed and val(base.link_build["ab"]) == 0
    assert val(base.link_flow["ab", "year"]) == 0
    # baseline: 300 x 100 + 1,200 x 150 + 600 x 2 + 1,400 x 7 = 221,000
    assert val(base.objective) == pytest.approx(221_000)
    assert val(m.objective) == pytest.approx(64_000 + 1_080)


def test_park_wide_market_cap_is_shared(park) -> None:  # noqa: ANN001
    text = """
name: {en: grid}
resources: [{id: power, unit: MWh, name: {en: power}, category: electricity}]
sites:
  - {id: a, name: {en: a}, demands: [{resource: power, amount: 70}]}
  - {id: b, name: {en: b}, demands: [{resource: power, amount: 50}]}
markets:
  - {id: cheap, resource: power, buy_cny: 100, buy_cap: 80}
  - {id: dear, resource: power, buy_cny: 300}
"""
    m = solved(park(text))
    # 120 MWh demanded, the cheap grid (every site) supplies 80 in total, 40 at 300: 8,000 + 12,000
    assert val(sum(m.market_buy["cheap", i, "year"] for i in "ab")) == pytest.approx(80)
    assert val(m.objective) == pytest.approx(20_000)


PROC = """
name: {en: processes}
resources:
  - {id: steam, unit: t, name: {en: steam}, category: heat}
  - {id: gas, unit: GJ, name: {en: gas}, category: fuel, tce_per_unit: 0.03412}
sites:
  - {id: u, name: {en: utility}}
processes:
  - {id: chp, site: u, inputs: {gas: 3}, outputs: {steam: 1}, capacity: 1000, min_load: 0.6, must_run: true,
     emissions: {co2: 0.05, nox: 0.001}, variable_om_cny: 4}
markets:
  - {id: gas, resource: gas, site: u, buy_cny: 50, emissions: {co2: 0.01}}
  - {id: steam_out, resource: steam, site: u, sell_cny: 10, sell_cap: 100, emissions: {co2: 0.2}}
disposal:
  - {id: vent, resource: steam, site: u, cost_cny: 1, emissions: {vocs: 0.002}}
policy: {carbon_price_cny_t: 100}
"""


def test_must_run_emissions_energy_and_carbon_cost(park) -> None:  # noqa: ANN001
    m = solved(park(PROC))
    # must run at 0.6 x 1,000 = 600 t steam (every extra t costs 3 x 50 + 4 + CO2); gas 1,800 GJ
    assert val(m.process_activity["chp", "year"]) == pytest.approx(600)
    assert val(m.market_sell["steam_out", "u", "year"]) == pytest.approx(
        100
    )  # sell 100 (cap), vent 500
    # CO2 = 600 x 0.05 (process) + 1,800 x 0.01 (gas) = 48 t (no credit for the sale);
    # NOx 0.6 t; VOCs 500 x 0.002 = 1 t
    assert val(m.emission_total["co2"]) == pytest.approx(48)
    assert val(m.emission_total["nox"]) == pytest.approx(0.6)
    assert val(m.emission_total["vocs"]) == pytest.approx(1.0)
    # energy: 1,800 GJ x 0.03412 tce/GJ = 61.416 tce (steam has no tce factor here)
    assert val(m.energy_total) == pytest.approx(61.416)
    # cost: gas 90,000 + O&M 2,400 - sales 1,000 + vent 500 + carbon 100 x 48 = 96,700
    assert val(m.cost_term["carbon"]) == pytest.approx(4_800)
    assert val(m.objective_expr["cost"]) == pytest.approx(96_700)


def test_sale_credit_only_when_declared(park) -> None:  # noqa: ANN001
    m = solved(
        park(
            PROC.replace(
                "emissions: {co2: 0.2}}", "emissions: {co2: 0.2}, sell_emissions_credit: true}"
            )
        )
    )
    # 48 - 100 t sold x 0.2 = 28 t
    assert val(m.emission_total["co2"]) == pytest.approx(28)


WATER_H2 = """
name: {en: purity}
resources:
  - {id: h2, unit: t, name: {en: h2}, quality: {attribute: purity, unit: "%", sense: min}}
sites:
  - {id: cracker, name: {en: cracker}, supplies: [{resource: h2, amount: 800, quality: 99.0}]}
  - {id: refinery, name: {en: refinery}, demands: [{resource: h2, amount: 1000, quality: 99.5}]}
links:
  - {id: line, resource: h2, from: cracker, to: refinery}
markets:
  - {id: smr, resource: h2, site: refinery, buy_cny: 20000, quality: 99.99}
disposal:
  - {id: flare, resource: h2, site: cracker}
"""


def test_minimum_purity_limits_the_by_product_share(park) -> None:  # noqa: ANN001
    m = solved(park(WATER_H2))
    # x at 99.0 %, f at 99.99 %, x + f = 1,000, 99.0 x + 99.99 f >= 99.5 x 1,000
    # -> 0.49 f >= 0.5 x -> x <= 0.49 x 1,000 / 0.99 = 494.95 t
    assert val(m.link_flow["line", "year"]) == pytest.approx(490 / 0.99)
    assert val(m.market_buy["smr", "refinery", "year"]) == pytest.approx(1000 - 490 / 0.99)


def test_policy_cap_forces_the_cleaner_option(park) -> None:  # noqa: ANN001
    # PROC sells at most 100 t; with a CO2 cap of 40 t the must-run CHP (48 t) is infeasible
    # unless the sale is credited: cap binds, so the model is infeasible.
    m = build_model(
        park(PROC.replace("carbon_price_cny_t: 100}", "carbon_price_cny_t: 100, caps: {co2: 40}}"))
    )
    assert solve_model(m).status == Status.INFEASIBLE
    m.policy_cap["co2"] = 48
    assert solve_model(m).status == Status.OPTIMAL
    base = build_model(
        park(PROC.replace("carbon_price_cny_t: 100}", "carbon_price_cny_t: 100, caps: {co2: 40}}")),
        ModelOptions(policy_caps=False),
    )
    assert solve_model(base).status == Status.OPTIMAL


def test_objective_choice_and_weights(park) -> None:  # noqa: ANN001
    s = park(PROC)
    m = build_model(s, ModelOptions(objective="co2"))
    assert m.objective.expr is m.objective_expr["co2"]
    w = build_model(s, ModelOptions(weights={"cost": 1.0, "co2": 10.0}))
    solve_model(w)
    assert val(w.objective) == pytest.approx(
        val(w.objective_expr["cost"]) + 10 * val(w.objective_expr["co2"])
    )
    with pytest.raises(ValueError, match="unknown objective"):
        build_model(s, ModelOptions(objective="profit"))
