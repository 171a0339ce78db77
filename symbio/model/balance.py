"""Balance of every resource at every site and time slice.

    supply[i,r,t] + sum_{source terms} coef * var  =  demand[i,r,t] + sum_{sink terms} coef * var

(a link's ``inputs`` — e.g. compression electricity — are a sink term at its sending site,
``in[l,r] * link_flow[l,t]``)

for every pool (i, r) and slice t (``balance_site[i, r, t]``). The terms come from
:data:`BALANCE_TERMS`, one row per family: the variable, the index list of
``(pool, key, coefficient)`` triples in :class:`~symbio.model.index.ModelIndex` (``terms``),
and the side. A new family is one more row; the balance logic does not change. Supplies
are fixed and must leave the pool (use, link out, process input, sale or disposal);
demands are met exactly.

In the elastic model (infeasibility diagnosis) every balance also gets a shortfall (a
source: demand that cannot be met) and a surplus (a sink: supply that cannot be placed).
A pool with no variable term at all gets the two slacks fixed at zero, so that it stays a
row the solver (and the diagnosis) can name.

=================================  ===========================================
``balance_site[i, r, t]``          balance of resource r at site i in slice t
``balance_shortfall[i, r, t]``     elastic: amount of r missing at i
``balance_surplus[i, r, t]``       elastic: amount of r at i that cannot be placed
=================================  ===========================================
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyomo.environ as pyo

from symbio.model.expr import VarData, linear
from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions


@dataclass(frozen=True)
class BalanceTerm:
    """One family's contribution to the balances."""

    var: str
    """Model variable (indexed by ``key + (slice,)``)."""
    terms: str
    """Key of the ``(pool, key, coefficient)`` list in ``ModelIndex.terms``."""
    sign: int
    """+1 for a source (left-hand side), -1 for a sink."""
    label: str
    """Column of the term in the site-balance table."""


BALANCE_TERMS: tuple[BalanceTerm, ...] = (
    BalanceTerm("link_flow", "link_in", +1, "inflow"),
    BalanceTerm("process_activity", "process_out", +1, "process_output"),
    BalanceTerm("market_buy", "market_buy", +1, "purchase"),
    BalanceTerm("substitute_use", "substitute_credit", +1, "substituted"),
    BalanceTerm("balance_shortfall", "pool", +1, "shortfall"),
    BalanceTerm("link_flow", "link_out", -1, "outflow"),
    BalanceTerm("link_flow", "link_input", -1, "link_input"),
    BalanceTerm("process_activity", "process_in", -1, "process_input"),
    BalanceTerm("substitute_use", "substitute_draw", -1, "substitute_input"),
    BalanceTerm("market_sell", "market_sell", -1, "sale"),
    BalanceTerm("disposal_amount", "disposal_amount", -1, "disposal"),
    BalanceTerm("balance_surplus", "pool", -1, "surplus"),
)


def pool_terms(ix: ModelIndex) -> dict[tuple[str, str], list[tuple[BalanceTerm, tuple, float]]]:
    """Group the balance terms by pool (elastic slacks excluded)."""
    rows: dict[tuple[str, str], list] = defaultdict(list)
    for term in BALANCE_TERMS:
        for pool, key, coef in ix.terms.get(term.terms, ()):
            rows[pool].append((term, key, coef))
    return rows


def add_balance(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add the balance of every pool and slice (and the elastic slacks)."""
    rows = pool_terms(ix)
    dead = [pool for pool in ix.pools if not rows.get(pool)]
    slack_pools = list(ix.pools) if opts.elastic else dead
    index = [(i, r, t) for i, r in slack_pools for t in ix.slices]
    m.balance_shortfall = pyo.Var(index, within=pyo.NonNegativeReals, doc="elastic: amount missing")
    m.balance_surplus = pyo.Var(
        index, within=pyo.NonNegativeReals, doc="elastic: amount that cannot be placed"
    )
    if not opts.elastic:
        m.balance_shortfall.fix(0)
        m.balance_surplus.fix(0)
    slacks = [term for term in BALANCE_TERMS if term.terms == "pool"]
    for pool in slack_pools:
        rows[pool] += [(term, pool, 1.0) for term in slacks]
    data = VarData(m)
    supply, demand = ix.supply, ix.demand

    @m.Constraint(
        [(i, r, t) for i, r in ix.pools for t in ix.slices],
        doc="balance of the resource at the site",
    )
    def balance_site(m: pyo.ConcreteModel, i: str, r: str, t: str) -> object:
        body = linear(
            (term.sign * coef, data[term.var][(*key, t)]) for term, key, coef in rows[i, r]
        )
        return body == demand.get((i, r, t), 0.0) - supply.get((i, r, t), 0.0)
