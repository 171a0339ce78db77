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

import numpy as np

from symbio.model.substitutes import substitute_caps

if TYPE_CHECKING:  # the index calls derive_bounds; a runtime import would be a cycle
    from symbio.model.index import ModelIndex

INF = math.inf
MAX_ROUNDS = 100
REL_TOL = 1e-9


def _caps(ix: ModelIndex) -> dict[str, tuple[dict, dict]]:
    """Per slice: per-pool source and sink capacities that do not depend on other bounds."""
    caps = {t: (defaultdict(float), defaultdict(float)) for t in ix.slices}
    for side, amounts in ((0, ix.supply), (1, ix.demand)):
        for (i, r, t), v in amounts.items():
            caps[t][side][i, r] += v
    for side, fam, recs, attr in (
        (0, ix.buys, ix.markets, "buy_cap"),
        (1, ix.sells, ix.markets, "sell_cap"),
        (1, ix.disposal_sites, ix.disposals, "cap"),
    ):
        for key, i in fam:
            rec = recs[key]
            cap = getattr(rec, attr)
            for t, src_snk in caps.items():
                src_snk[side][i, rec.resource] += INF if cap is None else ix.per_slice(cap, t)
    return caps


def _park_totals(ix: ModelIndex) -> dict[str, dict[str, float]]:
    """Per slice: the park total of every resource (see the module docstring)."""
    total: dict[str, dict[str, float]] = {t: defaultdict(float) for t in ix.slices}
    for (_, r, t), v in (*ix.supply.items(), *ix.demand.items()):
        total[t][r] += v
    for rec in ix.processes.values():
        flows = (*rec.inputs.items(), *rec.outputs.items())
        for t, tot in total.items():
            cap = ix.per_slice(rec.capacity, t)
            for r, a in flows:
                tot[r] += a * cap
    for fam, recs, attr in (
        (ix.buys, ix.markets, "buy_cap"),
        (ix.sells, ix.markets, "sell_cap"),
        (ix.disposal_sites, ix.disposals, "cap"),
    ):
        for key, _ in fam:
            rec = recs[key]
            cap = getattr(rec, attr)
            if cap is not None:
                for t, tot in total.items():
                    tot[rec.resource] += ix.per_slice(cap, t)
    return total


class _ByKey:
    """A dict-like view of an array by key (what :func:`substitute_caps` reads and adds to)."""

    def __init__(self, values: np.ndarray, pos: dict) -> None:
        self.values, self.pos = values, pos

    def __getitem__(self, key: object) -> float:
        return self.values[self.pos[key]]

    def __setitem__(self, key: object, value: float) -> None:
        self.values[self.pos[key]] = value


class _Terms:
    """One family of ``(pool, (owner,), coefficient)`` terms as integer and float arrays."""

    def __init__(self, terms: list, pool_pos: dict, owner_pos: dict) -> None:
        self.pool = np.array([pool_pos[pool] for pool, _, _ in terms], dtype=np.int64)
        self.owner = np.array([owner_pos[key[0]] for _, key, _ in terms], dtype=np.int64)
        self.coef = np.array([a for _, _, a in terms], dtype=float)
        pos = self.coef > 0
        self.pos_pool, self.pos_owner, self.pos_coef = (
            self.pool[pos],
            self.owner[pos],
            self.coef[pos],
        )

    def add(self, into: np.ndarray, owner_value: np.ndarray, scaled: bool = True) -> None:
        """``into[pool] += coefficient * value[owner]``, term by term in order."""
        values = owner_value[self.owner]
        np.add.at(into, self.pool, self.coef * values if scaled else values)

    def tighten(self, value: np.ndarray, by: np.ndarray) -> bool:
        """``value[owner] = by[pool] / coefficient`` where that is lower (beyond REL_TOL).

        Terms are taken in order, each against the value as the previous ones left it (as
        a loop over the terms would): only the few that beat the starting value are looped.
        """
        cand = by[self.pos_pool] / self.pos_coef
        hits = np.flatnonzero(cand < value[self.pos_owner] * (1 - REL_TOL))
        for k in hits.tolist():
            j = self.pos_owner[k]
            if cand[k] < value[j] * (1 - REL_TOL):
                value[j] = cand[k]
        return bool(len(hits))


def _pool_positions(ix: ModelIndex) -> dict:
    keys = dict.fromkeys(ix.pools)
    for terms in ix.terms.values():
        keys.update(dict.fromkeys(pool for pool, _, _ in terms))
    for lk in ix.links.values():
        keys.update({(lk.from_, lk.resource): None, (lk.to, lk.resource): None})
    for sb in ix.substitutes:
        keys.update({(sb.site, sb.resource): None, (sb.site, sb.substitute): None})
    return {pool: k for k, pool in enumerate(keys)}


def _fixed_point(
    ix: ModelIndex, t: str, caps: tuple, fam: dict, link: np.ndarray, act: np.ndarray
) -> None:
    """Iterate the bound update of slice ``t`` on ``link`` and ``act`` (in place) until stable."""
    pools = fam["pools"]
    src0, snk0 = np.zeros(len(pools)), np.zeros(len(pools))
    for arr, cap in zip((src0, snk0), caps, strict=True):
        for pool, v in cap.items():
            arr[pools[pool]] = v
    ends = fam["ends"]
    keep = 1 - ends["loss"]
    procs = {p: k for k, p in enumerate(ix.processes)}
    for _ in range(MAX_ROUNDS):
        src, snk = src0.copy(), snk0.copy()
        fam["process_out"].add(src, act)
        fam["process_in"].add(snk, act)
        fam["link_in"].add(src, link)
        fam["link_out"].add(snk, link, scaled=False)
        fam["link_input"].add(snk, link)
        if ix.substitutes:
            substitute_caps(ix, t, _ByKey(act, procs), _ByKey(src, pools), _ByKey(snk, pools))
        with np.errstate(divide="ignore", invalid="ignore"):
            new = np.fmin(link, np.fmin(src[ends["from"]], snk[ends["to"]] / keep))
        hit = new < link * (1 - REL_TOL)
        link[hit] = new[hit]
        changed = bool(hit.any())
        changed |= fam["link_input"].tighten(link, src)
        changed |= fam["process_in"].tighten(act, src)
        changed |= fam["process_out"].tighten(act, snk)
        if not changed:
            break


def derive_bounds(ix: ModelIndex) -> None:
    """Fill ``ix.link_bound``, ``ix.link_bound_kind`` and ``ix.process_bound`` in place.

    The sums over terms are numpy arrays over pools, links and processes; every sum adds
    its terms in the order of the index, so the bounds are those of the plain loops.
    """
    kinds: dict[str, str] = {}
    pools = _pool_positions(ix)
    lids, pids = list(ix.links), list(ix.processes)
    lpos = {lid: k for k, lid in enumerate(lids)}
    ppos = {p: k for k, p in enumerate(pids)}
    fam: dict = {
        name: _Terms(ix.terms.get(name, []), pools, lpos if name.startswith("link") else ppos)
        for name in ("process_out", "process_in", "link_in", "link_out", "link_input")
    }
    fam["pools"] = pools
    fam["ends"] = {
        "from": np.array([pools[lk.from_, lk.resource] for lk in ix.links.values()], dtype=int),
        "to": np.array([pools[lk.to, lk.resource] for lk in ix.links.values()], dtype=int),
        "loss": np.array([ix.loss[lid] for lid in lids], dtype=float),
    }
    caps, park_totals = _caps(ix), _park_totals(ix)
    for t in ix.slices:
        link_arr = np.array(
            [
                ix.per_slice(lk.capacity, t) if lk.capacity is not None else INF
                for lk in ix.links.values()
            ],
            dtype=float,
        )
        act_arr = np.array(
            [ix.per_slice(rec.capacity, t) for rec in ix.processes.values()], dtype=float
        )
        _fixed_point(ix, t, caps[t], fam, link_arr, act_arr)
        link = dict(zip(lids, link_arr.tolist(), strict=True))
        totals = park_totals[t]
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
        for p, v in zip(pids, act_arr.tolist(), strict=True):
            ix.process_bound[p, t] = v
    ix.link_bound_kind.update(kinds)
