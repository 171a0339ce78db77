"""Processes: activity per slice, build decisions, capacity, minimum load, conversion.

    0 <= process_activity[p,t] <= U[p,t]                      (U: capacity share, tightened)
    process_activity[p,t] <= U[p,t] * process_build[p]        candidates without a minimum load
    process_activity[p,t] <= U[p,t] * process_on[p,t]         processes with a minimum load
    process_activity[p,t] >= min_load_p * K[p,t] * process_on[p,t]
    process_on[p,t] <= process_build[p]                       candidates with a minimum load
    process_activity[p,t] >= min_load_p * K[p,t] (* process_build[p])    must-run processes

Sized candidates (``sizing``; ``capacity_p = max_capacity``) add a size ``process_size[p]``:

    min_cap_p * process_build[p] <= process_size[p] <= max_cap_p * process_build[p]
    process_activity[p,t] <= process_size[p] * h_t / 8760                    (process_size_limit)
    process_activity[p,t] >= min_load_p * sigma_t * (process_size[p] - max_cap_p * (1 - process_on[p,t]))
                                                 (process_min_load; must-run: without the on term)

with ``K[p,t] = capacity_p * h_t / 8760`` and ``U[p,t] <= K[p,t]`` the bound of
:mod:`symbio.model.bounds`. The minimum load makes activity semi-continuous (0 or between
``min_load * K`` and ``U``); must-run processes have no off state. Inputs and outputs enter
the balance as ``in[p,r] * process_activity[p,t]`` and ``out[p,r] * process_activity[p,t]``;
emissions are ``e[p,k] * process_activity[p,t]``. Cost terms:

    capex_p * CRF * process_build[p] + fixed_om_p * process_build[p] + variable_om_p * activity
    + capex_cny_per_unit_p * CRF * process_size[p]                            sized candidates

=================================  ===========================================
``process_activity[p, t]``         activity of process p in slice t (activity unit)
``process_build[p]``               1 if candidate process p is built
``process_on[p, t]``               1 if process p (with a minimum load) runs in slice t
``process_capacity[p, t]``         activity only when built / on
``process_min_load[p, t]``         minimum load when on
``process_commitment[p, t]``       a candidate runs only if built
``process_must_run[p, t]``         must-run processes run at least at minimum load
``process_size[p]``                chosen capacity of a sized candidate (activity per year)
``process_size_max[p]``            size <= max_capacity * build
``process_size_min[p]``            size >= min_capacity * build (min_capacity > 0)
``process_size_limit[p, t]``       activity <= size * h_t / 8760
``process_link_build[l, t]``       flow on a link whose only outlet (inlet) is candidate processes
=================================  ===========================================

Valid inequalities (they cut no integer solution, only fractional LP points): when every
sink of the pool a link ``l`` delivers to is an input of candidate processes ``P`` (no
demand in the slice, no sale, disposal, outgoing link or other process there), or every
source of the pool ``l`` leaves is an output of candidate processes ``P`` (no supply, no
purchase, incoming link or other process), then

    link_flow[l,t] <= B[l,t] * sum_{p in P} process_build[p]              (process_link_build)

If no process of ``P`` is built, their activity is 0 and the pool can neither absorb nor
send anything, so the flow is 0 in every solution. The LP relaxation otherwise pays a
candidate's build only in proportion to its total activity (``activity <= U * build``);
this adds, link by link, the disaggregated bound of facility location. Its general form
(the pool's other terms on the right side, both ends, ``min(B, c U)``) is
:mod:`symbio.model.linkcuts` (``process_link_cover``, not in the model by default).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from symbio.model.balance import pool_terms
from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions, fix_builds
from symbio.model.record import record_pairs
from symbio.model.record_cuts import record_link_build
from symbio.model.sizing import add_size_variables


def add_processes(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add process activity, build and on/off variables and their constraints."""
    # Long: one Pyomo rule per equation of the process family, kept next to its variables.
    procs = ix.processes
    slices = ix.slices
    # The tightened bounds assume every balance holds; the elastic model relaxes balances,
    # so it keeps the plain capacities (else a must-run floor could exceed a bound).
    bound = (
        (lambda p, t: ix.per_slice(procs[p].capacity, t))
        if opts.elastic
        else (lambda p, t: ix.process_bound[p, t])
    )
    m.process_activity = pyo.Var(
        [(p, t) for p in procs for t in slices],
        within=pyo.NonNegativeReals,
        bounds=lambda m, p, t: (0, bound(p, t)),
        doc="activity in the slice (activity unit)",
    )
    m.process_build = pyo.Var(
        ix.candidate_processes, within=pyo.Binary, doc="1 if the candidate is built"
    )
    fix_builds(m.process_build, opts)
    committed = set(ix.committed)
    m.process_on = pyo.Var(
        [(p, t) for p in ix.committed for t in slices],
        within=pyo.Binary,
        doc="1 if running in the slice",
    )

    def full(p: str, t: str) -> float:
        return ix.per_slice(procs[p].capacity, t)

    switched = [(p, t) for p in procs for t in slices if p in committed or (procs[p].candidate)]

    @m.Constraint(switched, doc="activity only when built (candidates) or on (minimum load)")
    def process_capacity(m: pyo.ConcreteModel, p: str, t: str) -> object:
        switch = m.process_on[p, t] if p in committed else m.process_build[p]
        return m.process_activity[p, t] <= bound(p, t) * switch

    _record_capacity(m, ix, switched, bound)
    sized = ix.sized_processes
    sizing = {p: procs[p].sizing for p in sized}
    add_size_variables(m, "process", sizing, "activity per year")

    @m.Constraint([(p, t) for p in sized for t in slices], doc="activity up to the size")
    def process_size_limit(m: pyo.ConcreteModel, p: str, t: str) -> object:
        return m.process_activity[p, t] <= ix.share[t] * m.process_size[p]

    @m.Constraint([(p, t) for p in ix.committed for t in slices], doc="minimum load when on")
    def process_min_load(m: pyo.ConcreteModel, p: str, t: str) -> object:
        if p in sizing:  # min_load * sigma * size when on; vacuous when off (size <= max)
            k, big = procs[p].min_load * ix.share[t], sizing[p].max_capacity
            off = 1 - m.process_on[p, t]
            return m.process_activity[p, t] >= k * m.process_size[p] - k * big * off
        return m.process_activity[p, t] >= procs[p].min_load * full(p, t) * m.process_on[p, t]

    if not sizing.keys() & committed:
        _record_min_load(m, ix, full)

    @m.Constraint(
        [(p, t) for p in ix.committed if procs[p].candidate for t in slices],
        doc="runs only if built",
    )
    def process_commitment(m: pyo.ConcreteModel, p: str, t: str) -> object:
        return m.process_on[p, t] <= m.process_build[p]

    must = [(p, t) for p, rec in procs.items() if rec.must_run and rec.min_load > 0 for t in slices]

    @m.Constraint(must, doc="must-run processes run at least at their minimum load")
    def process_must_run(m: pyo.ConcreteModel, p: str, t: str) -> object:
        floor = procs[p].min_load * full(p, t)
        if p in sizing:
            return m.process_activity[p, t] >= procs[p].min_load * ix.share[t] * m.process_size[p]
        if procs[p].candidate:
            return m.process_activity[p, t] >= floor * m.process_build[p]
        return m.process_activity[p, t] >= floor

    add_link_build_cuts(m, ix, opts)


def _positions(ix: ModelIndex) -> tuple[dict, dict, dict]:
    """Positions of ``process_activity[p, t]``, ``process_build[p]``, ``process_on[p, t]``."""
    slices = ix.slices
    act = {(p, t): k for k, (p, t) in enumerate((p, t) for p in ix.processes for t in slices)}
    build = {p: k for k, p in enumerate(ix.candidate_processes)}
    on = {(p, t): k for k, (p, t) in enumerate((p, t) for p in ix.committed for t in slices)}
    return act, build, on


_NAMES = ("process_activity", "process_build", "process_on")


def _record_capacity(m: pyo.ConcreteModel, ix: ModelIndex, keys: list, bound: object) -> None:
    """Record ``process_capacity`` as ``activity - U * switch <= 0`` (the compiled rows)."""
    act, build, on = _positions(ix)
    switch = [(2, on[p, t]) if (p, t) in on else (1, build[p]) for p, t in keys]
    terms = (
        0,
        [act[key] for key in keys],
        1.0,
        [v for v, _ in switch],
        [k for _, k in switch],
        -np.array([bound(p, t) for p, t in keys], dtype=float),
    )
    record_pairs(m, "process_capacity", keys, _NAMES, terms)


def _record_min_load(m: pyo.ConcreteModel, ix: ModelIndex, full: object) -> None:
    """Record ``process_min_load`` (no sized process) as ``k * on - activity <= 0``."""
    act, _, on = _positions(ix)
    keys = list(on)
    k = [float(ix.processes[p].min_load * full(p, t)) for p, t in keys]
    terms = (2, list(on.values()), k, 0, [act[key] for key in keys], -1.0)
    record_pairs(m, "process_min_load", keys, _NAMES, terms)


_SINKS = {"link_out", "link_input", "process_in", "substitute_draw", "market_sell"}
_SINKS |= {"disposal_amount"}
_SOURCES = {"link_in", "process_out", "market_buy", "substitute_credit"}


def _candidate_only(terms: list, side: set[str], family: str, candidates: set[str]) -> tuple:
    """Processes of ``family`` when every ``side`` term of a pool is a candidate's, else ()."""
    own = [(t, key) for t, key, _ in terms if t.terms in side]
    if not own or any(t.terms != family or key[0] not in candidates for t, key in own):
        return ()
    return tuple(sorted({key[0] for _, key in own}))


def sole_candidate_ends(ix: ModelIndex) -> dict[tuple[str, str], tuple[str, ...]]:
    """``(link, slice) -> candidate processes`` that alone drain its receiving pool or
    alone feed its sending pool in the slice (see ``process_link_build``)."""
    cands, rows = set(ix.candidate_processes), pool_terms(ix)
    sinks = {
        pool: _candidate_only(terms, _SINKS, "process_in", cands) for pool, terms in rows.items()
    }
    sources = {
        pool: _candidate_only(terms, _SOURCES, "process_out", cands) for pool, terms in rows.items()
    }
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for lid, lk in ix.links.items():
        for t in ix.slices:
            to, frm = (lk.to, lk.resource), (lk.from_, lk.resource)
            if sinks.get(to) and not ix.demand.get((*to, t)):
                out[lid, t] = sinks[to]
            elif sources.get(frm) and not ix.supply.get((*frm, t)):
                out[lid, t] = sources[frm]
    return out


def add_link_build_cuts(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add ``process_link_build`` (valid inequalities; none in the elastic model)."""
    ends = {} if opts.elastic else sole_candidate_ends(ix)

    @m.Constraint(list(ends), doc="flow only if a candidate process at its end is built")
    def process_link_build(m: pyo.ConcreteModel, lid: str, t: str) -> object:
        builds = sum(m.process_build[p] for p in ends[lid, t])
        return m.link_flow[lid, t] <= ix.link_bound[lid, t] * builds

    record_link_build(m, ix, ends)
