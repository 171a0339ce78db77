"""Markets: buying and selling a resource outside the park network.

    0 <= market_buy[m,i,t]  <= buy_cap_m  * h_t / 8760          market at one site
    0 <= market_sell[m,i,t] <= sell_cap_m * h_t / 8760
    sum_i market_buy[m,i,t]  <= buy_cap_m  * h_t / 8760         market at every site (market_buy_cap)
    sum_i market_sell[m,i,t] <= sell_cap_m * h_t / 8760         (market_sell_cap)

A market without a site (``site: null``, a public grid) is reached at every site where
its resource has a pool. Purchases enter the balance as a source, sales as a sink. Cost
``buy_cny * market_buy - sell_cny * market_sell``; emissions ``e[m,k] * market_buy``
(and ``- e[m,k] * market_sell`` when ``sell_emissions_credit``); primary energy
``tce_r * (market_buy - market_sell)``.

=============================  ===========================================
``market_buy[m, i, t]``        amount bought from market m at site i in slice t
``market_sell[m, i, t]``       amount sold
``market_buy_cap[m, t]``       cap of a market reached at every site
``market_sell_cap[m, t]``      cap of a market reached at every site
=============================  ===========================================
"""

from __future__ import annotations

import pyomo.environ as pyo

from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions


def add_markets(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add purchase and sale variables with their caps."""
    for side, pairs in (("buy", ix.buys), ("sell", ix.sells)):

        def bounds(m: pyo.ConcreteModel, mid: str, i: str, t: str, side: str = side) -> tuple:
            mk = ix.markets[mid]
            cap = getattr(mk, f"{side}_cap")
            return (0, None if cap is None or mk.site is None else ix.per_slice(cap, t))

        var = pyo.Var(
            [(mid, i, t) for mid, i in pairs for t in ix.slices],
            within=pyo.NonNegativeReals,
            bounds=bounds,
            doc=f"amount {'bought' if side == 'buy' else 'sold'} in the slice",
        )
        m.add_component(f"market_{side}", var)
        shared = sorted(
            {
                mid
                for mid, _ in pairs
                if ix.markets[mid].site is None
                and getattr(ix.markets[mid], f"{side}_cap") is not None
            }
        )
        sites: dict[str, list[str]] = {mid: [] for mid in shared}
        for k, i in pairs:  # one pass (a comprehension per market was quadratic in N)
            if k in sites:
                sites[k].append(i)

        def cap_rule(
            m: pyo.ConcreteModel, mid: str, t: str, side: str = side, sites: dict = sites
        ) -> object:
            cap = ix.per_slice(getattr(ix.markets[mid], f"{side}_cap"), t)
            return pyo.quicksum(getattr(m, f"market_{side}")[mid, i, t] for i in sites[mid]) <= cap

        m.add_component(
            f"market_{side}_cap",
            pyo.Constraint(
                [(mid, t) for mid in shared for t in ix.slices],
                rule=cap_rule,
                doc="cap of a park-wide market",
            ),
        )
