"""Tightest valid upper bounds on link flows and process activities, derived from the data.

For resource ``r`` at site ``i`` in slice ``t``, what can *enter* the pool and what the pool
can *absorb* are bounded by

    S[i,r,t] = supply + sum_p out[p,r] * U[p,t] + buy caps + sum_{l -> i} (1 - loss_l) * B[l,t]
    D[i,r,t] = demand + sum_p in[p,r] * U[p,t] + sell caps + disposal caps + sum_{l <- i} B[l,t]
               + sum_{l <- i} in[l,r] * B[l,t]                      (a link's inputs, at its sender)

(an uncapped market or disposal makes the sum infinite). Because the balance equates
sources and sinks, every single term is bounded by both sums, so

    B[l,t] = min(capacity_l * h_t / 8760,  S[from,r,t],  D[to,r,t] / (1 - loss_l),
                 min_r' S[from,r',t] / in[l,r'])
    U[p,t] = min(capacity_p * h_t / 8760,  min_r S[site,r,t] / in[p,r],  min_r D[site,r,t] / out[p,r])

are valid bounds. Starting from the capacities (or infinity), the update is repeated until
nothing changes; every iterate stays valid, so the fixed point is the tightest bound this
rule gives. A link left unbounded (an uncapped market on its source side *and* an uncapped
market or disposal on its sink side) gets the *park total* of its resource in the slice:
every supply, demand, process input and output capacity and finite market or disposal cap
of the resource in the park. These bounds multiply the build binaries, so no blind big-M
enters the model.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

from symbio.model.substitutes import substitute_caps

if TYPE_CHECKING:  # the index calls derive_bounds; a runtime import would be a cycle
    from symbio.model.index import ModelIndex

INF = math.inf
MAX_ROUNDS = 100
REL_TOL = 1e-9


def _caps(ix: ModelIndex, t: str) -> tuple[dict, dict]:
    """Per-pool source and sink capacities that do not depend on other bounds."""
    src: dict[tuple[str, str], float] = defaultdict(float)
    snk: dict[tuple[str, str], float] = defaultdict(float)
    for (i, r, tt), v in ix.supply.items():
        if tt == t:
            src[i, r] += v
    for (i, r, tt), v in ix.demand.items():
        if tt == t:
            snk[i, r] += v
    for m, i in ix.buys:
        mk = ix.markets[m]
        src[i, mk.resource] += INF if mk.buy_cap is None else ix.per_slice(mk.buy_cap, t)
    for m, i in ix.sells:
        mk = ix.markets[m]
        snk[i, mk.resource] += INF if mk.sell_cap is None else ix.per_slice(mk.sell_cap, t)
    for d, i in ix.disposal_sites:
        dp = ix.disposals[d]
        snk[i, dp.resource] += INF if dp.cap is None else ix.per_slice(dp.cap, t)
    return src, snk


def _park_totals(ix: ModelIndex, t: str) -> dict[str, float]:
    total: dict[str, float] = defaultdict(float)
    for (_, r, tt), v in (*ix.supply.items(), *ix.demand.items()):
        if tt == t:
            total[r] += v
    for rec in ix.processes.values():
        cap = ix.per_slice(rec.capacity, t)
        for r, a in (*rec.inputs.items(), *rec.outputs.items()):
            total[r] += a * cap
    for fam, recs, attr in (
        (ix.buys, ix.markets, "buy_cap"),
        (ix.sells, ix.markets, "sell_cap"),
        (ix.disposal_sites, ix.disposals, "cap"),
    ):
        for key, _ in fam:
            rec = recs[key]
            cap = getattr(rec, attr)
            if cap is not None:
                total[rec.resource] += ix.per_slice(cap, t)
    return total


def derive_bounds(ix: ModelIndex) -> None:
    """Fill ``ix.link_bound``, ``ix.link_bound_kind`` and ``ix.process_bound`` in place."""
    kinds: dict[str, str] = {}
    for t in ix.slices:
        src0, snk0 = _caps(ix, t)
        link = {
            lid: (ix.per_slice(lk.capacity, t) if lk.capacity is not None else INF)
            for lid, lk in ix.links.items()
        }
        act = {p: ix.per_slice(rec.capacity, t) for p, rec in ix.processes.items()}
        for _ in range(MAX_ROUNDS):
            src, snk = defaultdict(float, src0), defaultdict(float, snk0)
            for pool, (p,), a in ix.terms.get("process_out", ()):
                src[pool] += a * act[p]
            for pool, (p,), a in ix.terms.get("process_in", ()):
                snk[pool] += a * act[p]
            for pool, (lid,), keep in ix.terms.get("link_in", ()):
                src[pool] += keep * link[lid]
            for pool, (lid,), _ in ix.terms.get("link_out", ()):
                snk[pool] += link[lid]
            for pool, (lid,), a in ix.terms.get("link_input", ()):
                snk[pool] += a * link[lid]
            substitute_caps(ix, t, act, src, snk)
            changed = False
            for lid, lk in ix.links.items():
                new = min(
                    link[lid],
                    src[lk.from_, lk.resource],
                    snk[lk.to, lk.resource] / (1 - ix.loss[lid]),
                )
                if new < link[lid] * (1 - REL_TOL):
                    link[lid], changed = new, True
            for pool, (lid,), a in ix.terms.get("link_input", ()):
                if a > 0 and src[pool] / a < link[lid] * (1 - REL_TOL):
                    link[lid], changed = src[pool] / a, True
            for pool, (p,), a in ix.terms.get("process_in", ()):
                if a > 0 and src[pool] / a < act[p] * (1 - REL_TOL):
                    act[p], changed = src[pool] / a, True
            for pool, (p,), a in ix.terms.get("process_out", ()):
                if a > 0 and snk[pool] / a < act[p] * (1 - REL_TOL):
                    act[p], changed = snk[pool] / a, True
            if not changed:
                break
        totals = _park_totals(ix, t)
        for (_, r), (lid,), a in ix.terms.get("link_input", ()):
            if not math.isinf(link[lid]):
                totals[r] += a * link[lid]
        for lid, lk in ix.links.items():
            bound = link[lid]
            if math.isinf(bound):
                bound, kinds[lid] = totals[lk.resource], "park total"
            elif lk.capacity is not None and bound >= ix.per_slice(lk.capacity, t) * (1 - REL_TOL):
                kinds.setdefault(lid, "capacity")
            else:
                kinds.setdefault(lid, "endpoints")
            ix.link_bound[lid, t] = bound
        for p, v in act.items():
            ix.process_bound[p, t] = v
    ix.link_bound_kind.update(kinds)
