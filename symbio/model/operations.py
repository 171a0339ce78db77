"""Quality limits on process inputs, and contaminant load pick-up (fixed-load operations).

A water-using operation ``p`` at site ``i`` takes a quality-tracked input ``r`` (and the
substitutes listed for it), picks up a contaminant load ``Δm`` per year and releases the
water as output ``r_o``. Its *inlet* is the set of pools ``P_p = {(i, r)} ∪ {(i, r2): r2 a
substitute of r}``; their inflows ``k`` (local supply, deliveries, process outputs,
purchases) have fixed qualities ``q_k`` (flows.checks keeps every sender at one quality), so
with ``x_k`` the amount entering:

    sum_{k in P_p} x_k * (q_k - L_in) <= 0                      input_quality, sense max
    sum_{k in P_p} x_k * (q_k - L_in) >= 0                      sense min      (process_inlet_quality[p, r, t])
    sum_{k in P_p} x_k * q_k + Δm * σ_t (* build_p)  <=  C_out * out[p, r_o] * process_activity[p, t]
                                                                 (process_quality_load[p, r_o, t])

The first is the demands' mixing rule applied to the process's inlet. The second is the
operation's contaminant balance: what enters with the water plus the load picked up leaves
with the outlet water, whose concentration may not exceed ``C_out`` (``output_quality``):
``C_out * F_out >= C_in * F_in + Δm``. Downstream the outlet counts at ``C_out`` — its
true concentration is at most that, so every limit it meets at ``C_out`` it meets in fact.
For one contaminant, an optimum of the freshwater target has every outlet at its maximum
(Savelski & Bagajewicz 2000, *Chem. Eng. Sci.* 55:5035), so nothing is lost there. Both rows
are linear; the contaminant sum is the inlet's only when ``p`` consumes all of each pool in
``P_p`` (checked by flows.checks for a load or a substituted input) — one pool shared with
others has a uniform mix, which the limit row then bounds as the demands' rows do.

The rows hold in every slice (a fixed load has to be carried away whenever it arises); a
candidate's load counts only when it is built. The elastic model (diagnosis) leaves them out.
"""

from __future__ import annotations

import pyomo.environ as pyo

from symbio.flows.schema import Process
from symbio.model.expr import linear
from symbio.model.index import ModelIndex
from symbio.model.options import ModelOptions
from symbio.model.quality import pool_inflows


def inlet_pools(p: Process, r: str) -> list[tuple[str, str]]:
    """Pools feeding input ``r`` of ``p``: its own and those of the substitutes listed for it."""
    return [(p.site, r)] + [(p.site, r2) for r2 in p.substitutes.get(r, {})]


def tracked_input(ix: ModelIndex, p: Process) -> str | None:
    """The quality-tracked input of ``p`` (flows.checks requires one for a load)."""
    return next((r for r in p.inputs if ix.resources[r].quality is not None), None)


def _inflow_sum(
    m: pyo.ConcreteModel, ix: ModelIndex, data: dict, pools: list, t: str, shift: float
) -> object:
    """``sum_k x_k * (q_k - shift)`` over the inflows of ``pools`` in slice ``t``."""
    const, terms = 0.0, []
    for pool in pools:
        supply_q, inflows = data[pool]
        q0 = shift if supply_q is None else supply_q
        const += ix.supply.get((*pool, t), 0.0) * (q0 - shift)
        for family, key, coef, q in inflows:
            var = getattr(m, family)[(*key, t)]
            terms.append((coef * ((shift if q is None else q) - shift), var))
    return linear(terms, const)


def add_operations(m: pyo.ConcreteModel, ix: ModelIndex, opts: ModelOptions) -> None:
    """Add the inlet limits and load balances of processes with ``input_quality``/``quality_load``."""
    procs = ix.processes
    pools = {pool for rec in procs.values() for r in rec.inputs for pool in inlet_pools(rec, r)}
    data = pool_inflows(ix, pools)
    limits = [] if opts.elastic else [
        (p, r, t) for p, rec in procs.items() for r in rec.input_quality for t in ix.slices
    ]  # fmt: skip

    @m.Constraint(limits, doc="quality limit of a process input at its inlet")
    def process_inlet_quality(m: pyo.ConcreteModel, p: str, r: str, t: str) -> object:
        limit = procs[p].input_quality[r]
        body = _inflow_sum(m, ix, data, inlet_pools(procs[p], r), t, limit)
        return body >= 0 if ix.resources[r].quality.sense == "min" else body <= 0

    loads = [] if opts.elastic else [
        (p, r, t) for p, rec in procs.items() for r in rec.quality_load for t in ix.slices
    ]  # fmt: skip

    @m.Constraint(loads, doc="contaminant balance of an operation: inlet + load <= outlet limit")
    def process_quality_load(m: pyo.ConcreteModel, p: str, r: str, t: str) -> object:
        rec = procs[p]
        inlet = _inflow_sum(m, ix, data, inlet_pools(rec, tracked_input(ix, rec)), t, 0.0)
        load = rec.quality_load[r] * ix.share[t]
        picked = load * m.process_build[p] if rec.candidate else load
        outlet = rec.output_quality[r] * rec.outputs[r] * m.process_activity[p, t]
        return inlet + picked - outlet <= 0
