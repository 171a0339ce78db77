"""Tightest valid bounds on link flows and process activity, derived from the data."""

from __future__ import annotations

import pytest

from symbio.flows.graph import build_graph
from symbio.model.index import build_index

BASE = """
name: {en: bounds}
resources:
  - {id: h2, unit: t, name: {en: h2}}
  - {id: cl2, unit: t, name: {en: cl2}}
sites:
  - {id: a, name: {en: a}, supplies: [{resource: h2, amount: 4000}]}
  - {id: b, name: {en: b}}
  - {id: c, name: {en: c}, demands: [{resource: h2, amount: 3000}]}
links:
  - {id: ab, resource: h2, from: a, to: b, capacity: 10000}
  - {id: bc, resource: h2, from: b, to: c, loss: 0.25}
disposal:
  - {id: flare, resource: h2, site: a}
"""


def test_link_bounds_from_endpoints(park) -> None:  # noqa: ANN001
    ix = build_index(build_graph(park(BASE)))
    # bc: sink c absorbs 3,000 t; with 25 % loss at most 3,000 / 0.75 = 4,000 t can be sent;
    #     source b gets at most what ab brings: min(10,000, 4,000 supplied at a) = 4,000.
    # ab: capacity 10,000, source a 4,000, sink b passes on at most 4,000 -> 4,000.
    assert ix.link_bound["bc", "year"] == pytest.approx(4000)
    assert ix.link_bound["ab", "year"] == pytest.approx(4000)
    assert ix.link_bound_kind["ab"] == "endpoints"


def test_explicit_capacity_when_it_is_tighter(park) -> None:  # noqa: ANN001
    ix = build_index(build_graph(park(BASE.replace("capacity: 10000", "capacity: 1000"))))
    # ab 1,000 -> b has 1,000 -> bc min(1,000, 4,000) = 1,000
    assert ix.link_bound["ab", "year"] == pytest.approx(1000)
    assert ix.link_bound_kind["ab"] == "capacity"
    assert ix.link_bound["bc", "year"] == pytest.approx(1000)


def test_unbounded_link_gets_the_park_total(park) -> None:  # noqa: ANN001
    text = (
        BASE
        + """markets:
  - {id: buy_a, resource: h2, site: a, buy_cny: 10}
  - {id: sell_b, resource: h2, site: b, sell_cny: 5}
"""
    )
    text = text.replace("capacity: 10000", "loss: 0.0")
    ix = build_index(build_graph(park(text)))
    # a can buy without cap and b can sell without cap: ab is bounded by the park total of h2,
    # supply 4,000 + demand 3,000 = 7,000 t.
    assert ix.link_bound["ab", "year"] == pytest.approx(7000)
    assert ix.link_bound_kind["ab"] == "park total"


def test_process_activity_bounded_by_its_input(park) -> None:  # noqa: ANN001
    text = (
        BASE
        + """processes:
  - {id: burner, site: b, inputs: {h2: 2.0}, outputs: {cl2: 1.0}, capacity: 5000}
  - {id: sink_cl2, site: b, inputs: {cl2: 1.0}, outputs: {}, capacity: 100000}
"""
    )
    ix = build_index(build_graph(park(text)))
    # burner at b: at most the 4,000 t h2 that can reach b, at 2 t per unit -> 2,000 (< 5,000)
    assert ix.process_bound["burner", "year"] == pytest.approx(2000)
    # sink_cl2 can take at most what the burner makes: 2,000 x 1 = 2,000
    assert ix.process_bound["sink_cl2", "year"] == pytest.approx(2000)
