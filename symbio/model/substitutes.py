"""Substitutable inputs: a process input or a demand met by any of several resources.

A process ``p`` at site ``i`` with input ``r`` (``a`` per unit of activity) and
``substitutes: {r: {r2: f}}`` may take ``f`` units of ``r2`` in place of each unit of ``r``
(energy-equivalent steam levels, reclaimed water for water). A demand of ``r`` at site ``j``
with ``substitutes: {r2: f}`` likewise. The nominal consumption stays in the balance of
``(i, r)``; the substitution is a variable ``substitute_use[kind, owner, r, r2, t] >= 0``
(in units of ``r2``) that draws ``r2`` at the site and credits ``1 / f`` per unit back to
``r``:

    balance (i, r):    ... + sum_r2 substitute_use / f  (source, "substituted")
    balance (i, r2):   ... + substitute_use             (sink, "substitute_input")
    sum_r2 substitute_use[process, p, r, r2, t] / f <= a * process_activity[p, t]   (substitute_limit)
    sum_r2 substitute_use[demand, j, r, r2, t] / f  <= D[j, r, t]

so any mix of ``r`` and its substitutes meets the need, and no more of ``r`` is credited
than is needed. Bounds: ``substitute_use <= f * a * U[p, t]`` (or ``f * D``), and the
derived pool bounds count the credit (at most ``a * U`` or ``D``) as a source of ``r`` and
the draw as a sink of ``r2`` (:func:`substitute_caps`).

=========================================  ===========================================
``substitute_use[kind, owner, r, r2, t]``  amount of ``r2`` used in place of ``r``
``substitute_limit[kind, owner, r, t]``    at most the nominal need is substituted
=========================================  ===========================================
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

import pyomo.environ as pyo

from symbio.flows.schema import Scenario

if TYPE_CHECKING:
    from symbio.model.index import ModelIndex
    from symbio.model.options import ModelOptions


class Substitution(NamedTuple):
    """One resource that may stand in for an input or demand."""

    kind: str  # "process" or "demand"
    owner: str  # process id or site id
    site: str
    resource: str  # the nominal input or demand
    substitute: str
    factor: float  # units of substitute per unit of resource
    per_unit: float  # process: input per unit of activity; demand: 1

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Index of ``substitute_use`` without the slice."""
        return (self.kind, self.owner, self.resource, self.substitute)


def substitutions(s: Scenario) -> tuple[Substitution, ...]:
    """Every substitution the scenario allows."""
    out = [
        Substitution("process", p.id, p.site, r, r2, f, p.inputs.get(r, 0.0))
        for p in s.processes
        for r, alts in p.substitutes.items()
        for r2, f in alts.items()
    ]
    out += [
        Substitution("demand", site.id, site.id, d.resource, r2, f, 1.0)
        for site in s.sites
        for d in site.demands
        for r2, f in d.substitutes.items()
    ]
    return tuple(out)


def substitute_terms(subs: tuple[Substitution, ...], terms: dict, touch: dict) -> None:
    """Add the balance terms of ``substitute_use`` to the index's ``terms`` and pools."""
    for sb in subs:
        terms["substitute_credit"].append(((sb.site, sb.resource), sb.key, 1.0 / sb.factor))
        terms["substitute_draw"].append(((sb.site, sb.substitute), sb.key, 1.0))
        touch[sb.substitute].add(sb.site)


def substitute_caps(ix: ModelIndex, t: str, act: dict, src: dict, snk: dict) -> None:
    """Add the substitutions' credits and draws to the derived pool bounds of slice ``t``."""
    credited: set[tuple] = set()
    for sb in ix.substitutes:
        need = _need(ix, sb, t, act[sb.owner] if sb.kind == "process" else 0.0)
        if sb.key[:3] not in credited:
            credited.add(sb.key[:3])
            src[sb.site, sb.resource] += need
        snk[sb.site, sb.substitute] += sb.factor * need


def _need(ix: ModelIndex, sb: Substitution, t: str, activity: float) -> float:
    """Most of ``sb.resource`` that can be substituted in slice ``t`` (activity bound given)."""
    if sb.kind == "demand":
        return ix.demand.get((sb.site, sb.resource, t), 0.0)
    return sb.per_unit * activity


def add_substitutes(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add ``substitute_use`` and ``substitute_limit``."""
    subs = {sb.key: sb for sb in ix.substitutes}

    def activity(p: str, t: str) -> float:  # the elastic model keeps plain capacities
        return ix.per_slice(ix.processes[p].capacity, t) if opts.elastic else ix.process_bound[p, t]

    def bound(m: pyo.ConcreteModel, *k: str) -> tuple[float, float]:
        sb, t = subs[k[:4]], k[4]
        act = activity(sb.owner, t) if sb.kind == "process" else 0.0
        return (0.0, sb.factor * _need(ix, sb, t, act))

    m.substitute_use = pyo.Var(
        [(*k, t) for k in subs for t in ix.slices],
        within=pyo.NonNegativeReals,
        bounds=bound,
        doc="amount of a substitute used in place of an input or demand",
    )
    groups: dict[tuple, list] = defaultdict(list)
    for sb in subs.values():
        groups[sb.key[:3]].append(sb)

    @m.Constraint(
        [(*g, t) for g in groups for t in ix.slices], doc="at most the nominal need substituted"
    )
    def substitute_limit(m: pyo.ConcreteModel, kind: str, owner: str, r: str, t: str) -> object:
        used = pyo.quicksum(
            m.substitute_use[(*sb.key, t)] / sb.factor for sb in groups[kind, owner, r]
        )
        if kind == "demand":
            return used <= ix.demand.get((owner, r, t), 0.0)
        return used <= groups[kind, owner, r][0].per_unit * m.process_activity[owner, t]
