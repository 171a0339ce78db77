"""Disposal: venting, flaring, landfill, discharge of what is not used.

    0 <= disposal_amount[d,i,t] <= cap_d * h_t / 8760           disposal at one site
    sum_i disposal_amount[d,i,t] <= cap_d * h_t / 8760          disposal at every site (disposal_cap)

A disposal option without a site applies at every site where its resource is supplied or
produced. It is a sink in the balance; cost ``cost_cny * amount``; emissions ``e[d,k] * amount``.

=============================  ===========================================
``disposal_amount[d, i, t]``   amount disposed of by option d at site i in slice t
``disposal_cap[d, t]``         cap of a park-wide disposal option
=============================  ===========================================
"""

from __future__ import annotations

import pyomo.environ as pyo

from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions


def add_disposal(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add disposal variables and caps."""

    def bounds(m: pyo.ConcreteModel, d: str, i: str, t: str) -> tuple:
        rec = ix.disposals[d]
        return (0, None if rec.cap is None or rec.site is None else ix.per_slice(rec.cap, t))

    m.disposal_amount = pyo.Var(
        [(d, i, t) for d, i in ix.disposal_sites for t in ix.slices],
        within=pyo.NonNegativeReals,
        bounds=bounds,
        doc="amount disposed of in the slice",
    )
    shared = sorted(
        {
            d
            for d, _ in ix.disposal_sites
            if ix.disposals[d].site is None and ix.disposals[d].cap is not None
        }
    )

    @m.Constraint(
        [(d, t) for d in shared for t in ix.slices], doc="cap of a park-wide disposal option"
    )
    def disposal_cap(m: pyo.ConcreteModel, d: str, t: str) -> object:
        sites = [i for k, i in ix.disposal_sites if k == d]
        return pyo.quicksum(m.disposal_amount[d, i, t] for i in sites) <= ix.per_slice(
            ix.disposals[d].cap, t
        )
