"""Quality limits of demands of quality-tracked resources (H2 purity, contaminants).

The demand of resource r at site j takes the site's pool of r, whose quality is the
inflow-weighted mean of what enters it. With fixed source qualities ``q`` the limit
``L`` (minimum purity, or maximum concentration) is linear:

    sum_k inflow_k * (q_k - L) >= 0        sense ``min``   (quality_limit[j, r, t])
    sum_k inflow_k * (q_k - L) <= 0        sense ``max``

over the pool's inflows: the local supply (fixed), deliveries ``(1 - loss_l) * link_flow``
at the quality of the sending site, local process outputs at their ``output_quality`` and
purchases at the market's quality. flows.checks rejects networks where a tracked resource
would be mixed and then forwarded, so every sender has one quality and no pool quality is a
variable. The limit applies in slices where the demand is positive.

=================================  ===========================================
``quality_limit[j, r, t]``         the demand's quality limit at its pool
``quality_slack[j, r, t]``         elastic: violation (quality x amount); fixed at 0 otherwise
=================================  ===========================================
"""

from __future__ import annotations

import pyomo.environ as pyo

from symbio.model.expr import linear
from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions


def quality_terms(
    ix: ModelIndex,
) -> dict[tuple[str, str], tuple[float, list[tuple[str, tuple, float]]]]:
    """For each quality-limited pool: the local supply's quality and ``(var, key, coef)`` terms.

    ``coef`` is the inflow per unit of the variable times ``quality - limit``.
    """
    out: dict[tuple[str, str], tuple[float, list]] = {}
    for (j, r), (limit, _) in ix.quality_limits.items():
        supply_q = next((f.quality for f in ix.scenario.site(j).supplies if f.resource == r), None)
        out[j, r] = (limit if supply_q is None else supply_q, [])

    def quality(family: str, key: tuple, r: str, limit: float) -> float | None:
        if family == "link_flow":
            return ix.source_quality.get((ix.links[key[0]].from_, r))
        if family == "process_activity":
            return ix.processes[key[0]].output_quality.get(r)
        return ix.markets[key[0]].quality

    for family, terms in (
        ("link_flow", "link_in"),
        ("process_activity", "process_out"),
        ("market_buy", "market_buy"),
    ):
        for pool, key, coef in ix.terms.get(terms, ()):
            if pool in out:
                limit = ix.quality_limits[pool][0]
                q = quality(family, key, pool[1], limit)
                out[pool][1].append((family, key, coef * ((limit if q is None else q) - limit)))
    return out


def add_quality(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add the quality limit of every quality-limited demand."""
    rows = [
        (j, r, t)
        for (j, r) in ix.quality_limits
        for t in ix.slices
        if ix.demand.get((j, r, t), 0) > 0
    ]
    m.quality_slack = pyo.Var(rows, within=pyo.NonNegativeReals, doc="elastic: quality violation")
    if not opts.elastic:
        m.quality_slack.fix(0)
    cache = quality_terms(ix)

    @m.Constraint(rows, doc="the demand's quality limit at its pool")
    def quality_limit(m: pyo.ConcreteModel, j: str, r: str, t: str) -> object:
        limit, sense = ix.quality_limits[j, r]
        supply_q, terms = cache[j, r]
        const = ix.supply.get((j, r, t), 0.0) * (supply_q - limit)
        body = linear((c, getattr(m, var)[(*key, t)]) for var, key, c in terms)
        if sense == "min":
            return body + m.quality_slack[j, r, t] >= -const
        return body - m.quality_slack[j, r, t] <= -const
