"""Infeasibility diagnosis in planner words: surpluses, quality limits, caps, the IIS."""

from __future__ import annotations

import pytest

from symbio.flows.graph import build_graph
from symbio.model import ModelOptions, build_model
from symbio.model.index import build_index
from symbio.solvers import PersistentHighs, Status
from symbio.solvers.diagnose import diagnose


def infeasible(scenario, options: ModelOptions | None = None):  # noqa: ANN001, ANN201
    ix = build_index(build_graph(scenario))
    solver = PersistentHighs(build_model(ix, options))
    assert solver.solve().status == Status.INFEASIBLE
    return diagnose(ix, options, None, solver)


def test_supply_with_nowhere_to_go(park) -> None:  # noqa: ANN001
    # 500 t of HCl at the plant, and no use, link, sale or disposal for it.
    d = infeasible(
        park("""
name: {en: stranded}
resources: [{id: hcl, unit: t, name: {en: HCl}, category: byproduct}]
sites: [{id: plant, name: {en: plant}, supplies: [{resource: hcl, amount: 500}]}]
""")
    )
    assert [(s["site"], s["resource"], s["amount"]) for s in d.surpluses] == [
        ("plant", "hcl", pytest.approx(500))
    ]
    assert "site 'plant' cannot place 500 t of 'hcl'" in str(d)
    assert any("balance of 'hcl' at site 'plant'" in c for c in d.conflict)


def test_quality_limit_that_no_source_meets(park) -> None:  # noqa: ANN001
    # Only water at 300 mg/L reaches a demand limited to 200 mg/L: 100 mg/L too much.
    d = infeasible(
        park("""
name: {en: salty}
resources:
  - {id: water, unit: t, name: {en: water}, quality: {attribute: chloride, unit: mg/L, sense: max}}
sites:
  - {id: works, name: {en: works}, supplies: [{resource: water, amount: 1000, quality: 300}]}
  - {id: user, name: {en: user}, demands: [{resource: water, amount: 1000, quality: 200}]}
links: [{id: main, resource: water, from: works, to: user}]
""")
    )
    assert len(d.quality) == 1
    q = d.quality[0]
    assert (q["site"], q["resource"], q["sense"]) == ("user", "water", "max")
    assert q["excess"] == pytest.approx(100)  # slack 1,000 t x 100 mg/L, per t of demand
    assert "above the maximum of 200 mg/L" in str(d)


def test_cap_below_the_least_possible(park) -> None:  # noqa: ANN001
    # The only way to meet 100 MWh emits 0.5 t/MWh = 50 t CO2; the cap is 30 t: 20 t over.
    d = infeasible(
        park("""
name: {en: capped}
resources: [{id: power, unit: MWh, name: {en: power}}]
sites: [{id: a, name: {en: a}, demands: [{resource: power, amount: 100}]}]
markets: [{id: grid, resource: power, site: a, buy_cny: 500, emissions: {co2: 0.5}}]
policy: {caps: {co2: 30}}
""")
    )
    assert d.caps == [
        {
            "criterion": "co2",
            "cap": 30,
            "value": pytest.approx(50),
            "excess": pytest.approx(20),
            "binding": True,
        }
    ]
    assert "the cap on co2 (30) cannot be met: at least 50 (20 over)" in str(d)
    assert any("policy cap on co2" in c for c in d.conflict)
    assert d.shortfalls == [] and d.surpluses == []


def test_baseline_without_candidates_names_the_missing_link(park) -> None:  # noqa: ANN001
    scenario = park("""
name: {en: needs a link}
resources: [{id: steam, unit: t, name: {en: steam}}]
sites:
  - {id: a, name: {en: a}, supplies: [{resource: steam, amount: 100}]}
  - {id: b, name: {en: b}, demands: [{resource: steam, amount: 100}]}
links: [{id: ab, resource: steam, from: a, to: b, candidate: true, capex_cny: 10}]
""")
    d = infeasible(scenario, ModelOptions(candidates=False))
    assert [(s["site"], s["amount"]) for s in d.shortfalls] == [("b", pytest.approx(100))]
    assert [(s["site"], s["amount"]) for s in d.surpluses] == [("a", pytest.approx(100))]
