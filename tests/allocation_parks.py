"""Small parks whose cooperative games are worked out by hand (tests/allocation)."""

from __future__ import annotations

#: Seller A has 10,000 t/a of by-product hydrogen (flared at no cost). B needs 6,000 t/a
#: (market 20,000 CNY/t), C needs 6,000 t/a (market 15,000 CNY/t). A pipeline A->B and one
#: A->C cost 10 M CNY each over 10 years at 0 % (1 M CNY/a each). In M CNY/a:
#:   v(A) = v(B) = v(C) = v(BC) = 0
#:   v(AB) = 6,000 x 20,000 - 1 = 119        v(AC) = 6,000 x 15,000 - 1 = 89
#:   v(ABC) = 6,000 x 20,000 + 4,000 x 15,000 - 2 = 178
THREE = """\
name: {en: three enterprises}
resources:
  - {id: h2, unit: t, name: {en: hydrogen}, category: byproduct}
sites:
  - {id: a, name: {en: A}, supplies: [{resource: h2, amount: 10000}]}
  - {id: b, name: {en: B}, demands: [{resource: h2, amount: 6000}]}
  - {id: c, name: {en: C}, demands: [{resource: h2, amount: 6000}]}
links:
  - {id: ab, resource: h2, from: a, to: b, candidate: true, length_km: 1, capacity: 20000, capex_cny: 10000000, lifetime_y: 10}
  - {id: ac, resource: h2, from: a, to: c, candidate: true, length_km: 1, capacity: 20000, capex_cny: 10000000, lifetime_y: 10}
markets:
  - {id: buy_b, resource: h2, site: b, buy_cny: 20000}
  - {id: buy_c, resource: h2, site: c, buy_cny: 15000}
disposal:
  - {id: flare, resource: h2, site: a, cost_cny: 0}
policy: {discount_rate: 0.0}
allocation: {shared_assets: buyer}
"""

#: Each of three enterprises has 1,000 t/a of waste, disposed of at 1,000 CNY/t (1 M CNY/a).
#: A shared treatment unit at the park hub takes 2,000 t/a for 15 M CNY over 10 years at
#: 0 % (1.5 M CNY/a); the pipes to the hub are free. Alone, no one builds it (1 < 1.5);
#: any two save 2 - 1.5 = 0.5 M CNY/a; all three still fill it only with two: 0.5. So
#: v(ij) = 0.5 for every pair and v(N) = 0.5 < 3/2 x 0.5: the core is empty.
#: Least core: x = 1/6 each, every pair 1/3, excess 0.5 - 1/3 = 1/6 M CNY/a.
EMPTY_CORE = """\
name: {en: scale economies}
resources:
  - {id: waste, unit: t, name: {en: waste}, category: solid_waste}
sites:
  - {id: e1, name: {en: E1}, supplies: [{resource: waste, amount: 1000}]}
  - {id: e2, name: {en: E2}, supplies: [{resource: waste, amount: 1000}]}
  - {id: e3, name: {en: E3}, supplies: [{resource: waste, amount: 1000}]}
  - {id: hub, name: {en: treatment hub}, kind: hub}
processes:
  - {id: treat, site: hub, candidate: true, inputs: {waste: 1.0}, capacity: 2000, capex_cny: 15000000, lifetime_y: 10}
links:
  - {id: l1, resource: waste, from: e1, to: hub, candidate: true, length_km: 1, capacity: 5000}
  - {id: l2, resource: waste, from: e2, to: hub, candidate: true, length_km: 1, capacity: 5000}
  - {id: l3, resource: waste, from: e3, to: hub, candidate: true, length_km: 1, capacity: 5000}
disposal:
  - {id: landfill, resource: waste, cost_cny: 1000}
policy: {discount_rate: 0.0}
"""


def scale_park(amounts: list[float], capacity: float) -> str:
    """EMPTY_CORE with one enterprise per waste amount and a unit of ``capacity`` t/a."""
    sites = "\n".join(
        f"  - {{id: e{k}, name: {{en: E{k}}}, supplies: [{{resource: waste, amount: {a}}}]}}"
        for k, a in enumerate(amounts)
    )
    links = "\n".join(
        f"  - {{id: l{k}, resource: waste, from: e{k}, to: hub, candidate: true, length_km: 1, capacity: 100000}}"
        for k in range(len(amounts))
    )
    return f"""\
name: {{en: scale economies}}
resources:
  - {{id: waste, unit: t, name: {{en: waste}}, category: solid_waste}}
sites:
{sites}
  - {{id: hub, name: {{en: treatment hub}}, kind: hub}}
processes:
  - {{id: treat, site: hub, candidate: true, inputs: {{waste: 1.0}}, capacity: {capacity}, capex_cny: 15000000, lifetime_y: 10}}
links:
{links}
disposal:
  - {{id: landfill, resource: waste, cost_cny: 1000}}
policy: {{discount_rate: 0.0}}
"""
