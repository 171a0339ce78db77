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

import math

import pyomo.environ as pyo

from symbio.model.expr import linear
from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions
from symbio.model.record import Positions, record_rows

Inflow = tuple[str, tuple, float, float | None]


def pool_inflows(
    ix: ModelIndex, pools: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[float | None, list[Inflow]]]:
    """Each pool's local supply quality and inflow terms ``(var, key, coef, quality)``.

    ``coef`` is the amount entering per unit of the variable: deliveries at the sending
    site's quality, process outputs at their ``output_quality``, purchases at the market's.
    """
    out: dict[tuple[str, str], tuple[float | None, list[Inflow]]] = {}
    for j, r in sorted(pools):  # a set: sorted, so every order that follows is reproducible
        supply_q = next((f.quality for f in ix.scenario.site(j).supplies if f.resource == r), None)
        out[j, r] = (supply_q, [])

    def quality(family: str, key: tuple, r: str) -> float | None:
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
                out[pool][1].append((family, key, coef, quality(family, key, pool[1])))
    return out


def quality_terms(
    ix: ModelIndex,
) -> dict[tuple[str, str], tuple[float, list[tuple[str, tuple, float]]]]:
    """For each quality-limited pool: the local supply's quality and ``(var, key, coef)`` terms.

    ``coef`` is the inflow per unit of the variable times ``quality - limit``.
    """
    out: dict[tuple[str, str], tuple[float, list]] = {}
    for pool, (supply_q, inflows) in pool_inflows(ix, set(ix.quality_limits)).items():
        limit = ix.quality_limits[pool][0]
        out[pool] = (
            limit if supply_q is None else supply_q,
            [(f, k, c * ((limit if q is None else q) - limit)) for f, k, c, q in inflows],
        )
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

    _record(m, ix, rows, cache)


def _record(m: pyo.ConcreteModel, ix: ModelIndex, rows: list, cache: dict) -> None:
    """Record ``quality_limit`` as the compiled rows: the inflow terms, then the slack."""
    at = Positions(m)
    names = ("link_flow", "process_activity", "market_buy", "quality_slack")
    slack = at.of("quality_slack")
    start, var, pos, coef, lower, upper = [0], [], [], [], [], []
    for j, r, t in rows:
        limit, sense = ix.quality_limits[j, r]
        supply_q, terms = cache[j, r]
        const = ix.supply.get((j, r, t), 0.0) * (supply_q - limit)
        for name, key, c in terms:
            if c:
                var.append(names.index(name))
                pos.append(at.of(name)[(*key, t)])
                coef.append(float(c))
        var.append(3)
        pos.append(slack[j, r, t])
        coef.append(1.0 if sense == "min" else -1.0)
        start.append(len(var))
        lower.append(-const if sense == "min" else -math.inf)
        upper.append(math.inf if sense == "min" else -const)
    record_rows(m, "quality_limit", rows, names, (start, var, pos, coef, lower, upper))
