"""Valid inequalities between a link and the candidate processes at either of its ends.

A link ``l`` (resource ``r``, slice ``t``) leaves pool ``(i, r)`` and delivers
``(1 - loss_l) * link_flow[l,t]`` into pool ``(j, r)``. Let ``P`` be the candidate processes
with an output of ``r`` at ``i`` (the *from* end) or an input of ``r`` at ``j`` (the *to*
end), with coefficient ``c_p`` and activity bound ``U[p,t]``. Everything else in the
pool's balance on the same side is ``O`` (a sum of non-negative terms: purchases, inflows,
other processes, substitutes at the from end; sales, disposal, outflows, link inputs, other
processes at the to end) plus the constant ``K`` (supply at the from end, demand at the to
end). Then

    link_flow[l,t]              <= sum_{p in P} min(B[l,t], c_p U[p,t]) * process_build[p]
                                   + supply[i,r,t] + O_from                        (end "from")
    (1 - loss_l) link_flow[l,t] <= sum_{p in P} min((1 - loss_l) B[l,t], c_p U[p,t]) * process_build[p]
                                   + demand[j,r,t] + O_to                          (end "to")

(``process_link_cover[l, t, end]``). Valid for every solution: the flow is at most what
enters (leaves) the pool, ``sum_P c_p * process_activity[p,t] + K + O``, and at most
``B[l,t]``; an unbuilt candidate has no activity (``activity <= U * build``, or ``<= U * on
<= U * build`` with a minimum load). If a built ``p`` has ``c_p U[p,t] >= B`` the right side
is at least ``B``; otherwise every built ``p`` contributes ``c_p U[p,t] >= c_p * activity``.

Why it helps the LP: ``activity <= U * build`` lets the relaxation pay a candidate's fixed
cost only in proportion to its total activity, so a capture unit sized for its whole raw
CO2 may ship a small stream on one link at a small fraction of its build. Per link, the
flow must now be covered by the build at the link's own scale ``min(B, c U)`` — or by an
``O`` term, which costs what it costs (facility location's disaggregated bound). With
``O`` empty this is the plain ``flow <= B * sum(build)``.

A row is added only when ``P`` is not empty and ``K`` is below ``B`` (else it is implied by
the flow bound). Not for the elastic model (its balances have slacks).

These rows are ``process_link_cover`` (:func:`add_link_cover_cuts`). With ``O`` empty and
``K = 0`` they are the model's own ``process_link_build`` (:mod:`symbio.model.processes`,
one end per link and slice, coefficient ``B``), which the model always has. The general
rows are valid but not built by default: on the synthetic parks they raise the LP bound a
little (+0.4 M CNY/a at N = 200, +2.6 M at N = 1000, +14.5 M at N = 5000) and HiGHS's root
bound not at all at N = 1000, while the LP takes longer
(``benchmarks/results/savings-stop-2026-12-05c-summary.md``); benchmarks and tests add them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo

from symbio.model.balance import pool_terms
from symbio.model.index import ModelIndex

__all__ = ["LinkEndCut", "add_link_cover_cuts", "link_end_cuts"]

#: Balance-term families of candidate processes at each end of a link, and the side (sign)
#: of the pool's balance the end's other terms are on.
_END = {"from": ("process_out", +1), "to": ("process_in", -1)}


@dataclass(frozen=True)
class LinkEndCut:
    """One ``process_link_build`` row: ``scale * flow <= sum builds + constant + others``."""

    scale: float
    """``1`` at the from end, ``1 - loss`` at the to end."""
    builds: tuple[tuple[str, float], ...]
    """``(candidate process, coefficient of its build)``."""
    constant: float
    """Supply (from end) or demand (to end) of the pool in the slice."""
    others: tuple[tuple[str, tuple, float], ...]
    """``(variable name, index, coefficient)`` of the pool's other terms on the same side."""


def _end_terms(terms: list, end: str, cands: set[str], lid: str) -> tuple[dict, list]:
    """The candidates at one end of a link (with coefficients) and the other terms."""
    family, sign = _END[end]
    procs: dict[str, float] = {}
    others = []
    for term, key, coef in terms:
        if term.sign != sign or term.terms == "pool":
            continue
        if term.terms == family and key[0] in cands:
            procs[key[0]] = procs.get(key[0], 0.0) + coef
        elif not (term.var == "link_flow" and key[0] == lid):
            others.append((term.var, key, coef))
    return procs, others


def link_end_cuts(ix: ModelIndex) -> dict[tuple[str, str, str], LinkEndCut]:
    """``(link, slice, end) -> row`` of ``process_link_cover`` (see the module docstring)."""
    cands, rows = set(ix.candidate_processes), pool_terms(ix)
    out: dict[tuple[str, str, str], LinkEndCut] = {}
    for lid, lk in ix.links.items():
        ends = {"to": (lk.to, lk.resource), "from": (lk.from_, lk.resource)}
        for end, pool in ends.items():
            procs, terms = _end_terms(rows.get(pool, []), end, cands, lid)
            if not procs:
                continue
            scale = 1.0 if end == "from" else 1.0 - ix.loss[lid]
            amounts = ix.supply if end == "from" else ix.demand
            for t in ix.slices:
                cap, const = scale * ix.link_bound[lid, t], amounts.get((*pool, t), 0.0)
                if const < cap:
                    builds = tuple(
                        (p, min(cap, c * ix.process_bound[p, t])) for p, c in sorted(procs.items())
                    )
                    out[lid, t, end] = LinkEndCut(scale, builds, const, tuple(terms))
    return out


def add_link_cover_cuts(m: pyo.ConcreteModel, ix: ModelIndex) -> int:
    """Add ``process_link_cover`` to a built, non-elastic model; return the number of rows."""
    cuts = link_end_cuts(ix)

    @m.Constraint(list(cuts), doc="flow covered by candidate builds and the rest of the pool")
    def process_link_cover(m: pyo.ConcreteModel, lid: str, t: str, end: str) -> object:
        cut = cuts[lid, t, end]
        rhs = sum(c * m.process_build[p] for p, c in cut.builds) + cut.constant
        rhs = rhs + sum(c * getattr(m, var)[(*key, t)] for var, key, c in cut.others)
        return cut.scale * m.link_flow[lid, t] <= rhs

    return len(cuts)
