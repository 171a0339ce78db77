"""The sparse index: shares, by-slice amounts, losses, capex, market and disposal expansion."""

from __future__ import annotations

import pytest

from symbio.flows.graph import build_graph
from symbio.model.index import MAX_LOSS, build_index, crf

PARK = """
name: {en: index}
time_slices: [{id: summer, hours: 2190}, {id: rest, hours: 6570}]
resources:
  - {id: h2, unit: t, name: {en: h2}, category: byproduct}
  - {id: power, unit: MWh, name: {en: power}, category: electricity, tce_per_unit: 0.1229}
sites:
  - {id: a, name: {en: a}, xy_km: [0, 0], supplies: [{resource: h2, amount: 800}]}
  - id: b
    name: {en: b}
    xy_km: [4, 3]
    demands: [{resource: h2, amount: 400, by_slice: {summer: 100, rest: 300}}]
  - {id: c, name: {en: c}, xy_km: [9, 9]}
processes:
  - {id: comp, site: b, inputs: {power: 0.5}, outputs: {}, capacity: 10, candidate: false,
     emissions: {co2: 0}}
links:
  - {id: ab, resource: h2, from: a, to: b, candidate: true, capex_cny: 1000, capex_cny_per_km: 2000,
     loss_per_km: 0.01, lifetime_y: 20}
  - {id: ba, resource: h2, from: b, to: a, loss_per_km: 0.5}
markets:
  - {id: grid, resource: power, buy_cny: 600}
disposal:
  - {id: flare, resource: h2, cost_cny: 5}
policy: {discount_rate: 0.08}
"""


def test_crf_by_hand() -> None:
    # 0.08 / (1 - 1.08^-20) = 0.10185221; r = 0: 1/n
    assert crf(0.08, 20) == pytest.approx(0.10185221, abs=1e-8)
    assert crf(0.0, 8) == 0.125


def test_slices_supplies_demands(park) -> None:  # noqa: ANN001
    ix = build_index(build_graph(park(PARK)))
    assert ix.share == pytest.approx({"summer": 0.25, "rest": 0.75})  # 2190/8760, 6570/8760
    assert ix.supply["a", "h2", "summer"] == pytest.approx(200)  # 800 x 0.25
    assert ix.demand["b", "h2", "summer"] == 100  # by_slice, not the share (which would be 100 too)
    assert ix.demand["b", "h2", "rest"] == 300


def test_link_length_loss_and_capex(park) -> None:  # noqa: ANN001
    ix = build_index(build_graph(park(PARK)))
    # a (0,0) -> b (4,3): 5 km; loss 0.01/km x 5 = 0.05; capex 1000 + 2000 x 5 = 11,000
    assert ix.loss["ab"] == pytest.approx(0.05)
    assert ix.link_capex["ab"] == pytest.approx(11_000)
    assert ix.link_annual_capex["ab"] == pytest.approx(11_000 * crf(0.08, 20))
    assert ix.loss["ba"] == MAX_LOSS  # 0.5/km x 5 km = 2.5, clipped below 1


def test_park_wide_market_and_disposal_are_sparse(park) -> None:  # noqa: ANN001
    ix = build_index(build_graph(park(PARK)))
    # the grid (site: null) is reached only where power has a pool: the compressor at b
    assert ix.buys == (("grid", "b"),)
    # flaring (site: null) applies where h2 is supplied or produced: a
    assert ix.disposal_sites == (("flare", "a"),)
    assert ("c", "h2") not in ix.pools and ("c", "power") not in ix.pools
    assert set(ix.pools) == {("a", "h2"), ("b", "h2"), ("b", "power")}
