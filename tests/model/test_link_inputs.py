"""Resources used to move a flow along a link (``Link.inputs``), against hand-derived numbers.

Shanghai 2022 factor set: grid electricity 0.42 tCO2/MWh, 0.1229 tce/MWh.
"""

from __future__ import annotations

import pytest
import yaml
from hand_case_helpers import table

import symbio
from symbio.flows.load import scenario_from_data

GRID_CO2 = 0.42
ELEC_TCE = 0.1229


# The source has 1,000 t/a of by-product hydrogen (flared for free); the user needs 600 t/a
# (or buys it at 20,000 CNY/t). The existing pipe compresses: 1.5 MWh per t sent, drawn at the
# sender from the public grid (site: null) at 700 CNY/MWh and the grid factor.
H2 = """
name: {{en: compressed pipe}}
policy: {{factor_set: shanghai-2022, carbon_price_cny_t: {carbon}}}
resources:
  - {{id: h2, unit: t, name: {{en: hydrogen}}, category: byproduct}}
  - {{id: elec, unit: MWh, name: {{en: electricity}}, category: electricity,
      tce_per_unit: {{factor: electricity_tce}}}}
sites:
  - id: src
    name: {{en: source}}
    supplies: [{{resource: h2, amount: 1000}}]
  - id: dst
    name: {{en: user}}
    demands: [{{resource: h2, amount: 600}}]
{links}
markets:
  - {{id: h2_buy, resource: h2, site: dst, buy_cny: 20000}}
  - {{id: grid, resource: elec, buy_cny: 700, emissions: {{co2: {{factor: grid_electricity_co2}}}}}}
disposal:
  - {{id: flare, resource: h2, site: src, cost_cny: 0}}
"""
EXISTING = """links:
  - {id: pipe, resource: h2, from: src, to: dst, length_km: 1, loss: 0.1, inputs: {elec: 1.5}}"""


def solve(links: str, carbon: float = 0.0) -> symbio.Result:
    return symbio.solve(
        scenario_from_data(yaml.safe_load(H2.format(links=links, carbon=carbon)), None, "<test>")
    )


def test_link_electricity_drawn_at_the_sender_priced_and_emitted() -> None:
    # Loss 0.1: to deliver 600 t, send 600 / 0.9 = 666.67 t. Electricity at src:
    #   1.5 x 666.67 = 1,000 MWh, bought from the grid at src: 1,000 x 700 = 700,000 CNY/a,
    #   CO2 1,000 x 0.42 = 420 t/a, energy 1,000 x 0.1229 = 122.9 tce/a.
    # (Buying the h2 instead: 600 x 20,000 = 1.2e7 CNY/a.)
    r = solve(EXISTING)
    sent = 600 / 0.9
    assert table(r, "flows")["amount"].tolist() == pytest.approx([sent])
    bal = table(r, "site_balances").set_index(["site", "resource"])
    assert bal.loc[("src", "elec"), "link_input"] == pytest.approx(1000)
    assert bal.loc[("src", "elec"), "purchase"] == pytest.approx(1000)
    assert ("dst", "elec") not in bal.index or bal.loc[("dst", "elec"), "purchase"] == 0
    buy = table(r, "purchases")
    assert buy[["market", "site", "amount"]].values.tolist() == [
        ["grid", "src", pytest.approx(1000)]
    ]
    assert r.kpi("total_cost_cny") == pytest.approx(700_000)
    assert r.kpi("co2_t") == pytest.approx(1000 * GRID_CO2)
    assert r.kpi("energy_tce") == pytest.approx(1000 * ELEC_TCE)
    em = table(r, "emissions")
    assert em[["site", "source_kind", "source", "species"]].values.tolist() == [
        ["src", "purchase", "grid", "co2"]
    ]
    assert em["amount_t"].tolist() == pytest.approx([420])
    site = r.site_kpis[(r.site_kpis["case"] == "optimized") & (r.site_kpis["kpi"] == "co2_t")]
    assert site.set_index("site")["value"].to_dict() == pytest.approx({"src": 420})


def test_link_input_cost_decides_the_candidate() -> None:
    # A candidate pipe (capex 0, no loss) with 30 MWh per t sent: 600 t x 30 = 18,000 MWh
    # x 700 = 12,600,000 CNY/a > buying 600 x 20,000 = 12,000,000: not built. With 25 MWh/t:
    # 15,000 MWh x 700 = 10,500,000 < 1.2e7: built (break-even 20,000 / 700 = 28.57 MWh/t). At 25 MWh/t and a carbon price of 200 CNY/t: 10.5e6 + 15,000 x 0.42 x 200
    # = 11,760,000 < 1.2e7: still built; at 250 CNY/t: 10.5e6 + 1,575,000 = 12,075,000: not.
    cand = """links:
  - {{id: pipe, resource: h2, from: src, to: dst, length_km: 1, candidate: true, inputs: {{elec: {a}}}}}"""
    for a, carbon, built, cost in (
        (30, 0, False, 12_000_000),
        (25, 0, True, 10_500_000),
        (25, 200, True, 11_760_000),
        (25, 250, False, 12_000_000),
    ):
        r = solve(cand.format(a=a), carbon)
        assert bool(table(r, "builds")["built"].iloc[0]) is built, (a, carbon)
        assert r.kpi("total_cost_cny") == pytest.approx(cost, rel=1e-9), (a, carbon)


def test_candidate_generator_passes_inputs_through() -> None:
    data = yaml.safe_load(H2.format(links="", carbon=0))
    data["sites"][0]["xy_km"] = [0, 0]
    data["sites"][1]["xy_km"] = [2, 0]
    data["candidate_links"] = [
        {"id": "gen", "resource": "h2", "max_km": 5, "loss": 0.1, "inputs": {"elec": 1.5}}
    ]
    r = symbio.solve(scenario_from_data(data, None, "<test>"))
    assert table(r, "flows")["link"].tolist() == ["gen.src.dst"]
    assert r.kpi("total_cost_cny") == pytest.approx(700_000)
    assert r.kpi("co2_t") == pytest.approx(420)


def test_unknown_link_input_is_reported() -> None:
    data = yaml.safe_load(H2.format(links=EXISTING.replace("elec: 1.5", "power: 1.5"), carbon=0))
    with pytest.raises(Exception, match="power"):
        scenario_from_data(data, None, "<test>")
