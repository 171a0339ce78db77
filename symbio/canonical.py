"""Canonical flows: among the optimal solutions, the one with the least transport.

A flow that goes round a loop at no cost (a site drawing steam from a header and sending
it straight back) does not change the objective, so the solver is free to return it; the
tables, the exchange KPIs and the Sankeys would then count it. After a case is solved, a
second, lexicographic stage on the same persistent HiGHS instance removes it:

    build decisions, on/off states and sizes fixed at the solution
    objective_expr[k] <= v_k + max(REL_TOL * |v_k|, ABS_TOL)    every criterion k (cost,
                                                                energy, co2, each pollutant)
    minimise  sum_{l,t} (1 + length_km_l) * link_flow[l,t]

where ``v_k`` is criterion k in the solution. Every constraint of the model stays (balances
per slice, losses, quality limits, link inputs such as compression power, caps), so the
second stage is an LP over the same feasible set with no criterion allowed to get worse
(beyond ``REL_TOL``): it returns the optimum a planner would draw, with no flow that
could be removed without changing cost, energy, emissions or any balance. Every link hop
counts (``1 +``), longer ones more, so a removable cycle always has a positive weight and
none survives. Purchases, disposal and process activity may move too, but never so that a
criterion gets worse.

The slack (1e-12 relative: 1e-3 CNY on 1e9 CNY/a) is what HiGHS needs to find the held
point feasible on large parks (held exactly, the N = 1000 benchmark park's LP is reported
infeasible); what the second stage may spend of it is far below any displayed digit. When
HiGHS finds no solution, the first stage's solution is kept and a note says so.
The stage is skipped without links, and its solution is used only when it
removes transport (more than ``REL_GAIN``): otherwise stage 1 is kept as it was.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo

from symbio.model.extract import fast_value
from symbio.solvers.highs import PersistentHighs
from symbio.solvers.options import SolverOptions

#: Relative slack of each held criterion (1e-3 CNY per 1e9 CNY/a).
REL_TOL = 1e-12
#: Absolute slack of each held criterion (in its unit).
ABS_TOL = 1e-9
#: Smallest reduction of the weighted transport (relative, absolute) that replaces stage 1.
REL_GAIN, ABS_GAIN = 1e-9, 1e-9
#: Variables fixed at the first stage's solution (decisions, not routing).
FIXED_FAMILIES = ("link_build", "process_build", "process_on", "link_size", "process_size")


@dataclass
class CanonicalOutcome:
    """What the second stage did."""

    applied: bool
    """True when the canonical solution replaced the first stage's."""
    seconds: float
    """Wall time of the stage (hand-over, solve and load)."""
    transport_before: float = 0.0
    """``sum (1 + length_km) * link_flow`` of the first stage's solution."""
    transport_after: float = 0.0
    """The same after the second stage."""
    message: str = ""
    criteria: dict[str, float] = field(default_factory=dict)
    """Criteria of the first stage's solution (held in the second)."""
    timings: dict[str, float] = field(default_factory=dict)
    """The second stage's solve timings (handover, solve, load)."""


def link_weights(m: pyo.ConcreteModel) -> dict[str, float]:
    """Weight of each link in the canonical objective: ``1 + length_km``."""
    ix = m.symbio_index
    return {lid: 1.0 + max(float(lk.length_km or 0.0), 0.0) for lid, lk in ix.links.items()}


def _transport(m: pyo.ConcreteModel, weights: dict[str, float]) -> float:
    return float(
        sum(weights[lid] * (v.value or 0.0) for (lid, _), v in m.link_flow.items() if v.value)
    )


def _fix_decisions(m: pyo.ConcreteModel) -> list:
    """Fix every decision variable at its value; return those that were free."""
    freed = []
    for name in FIXED_FAMILIES:
        comp = getattr(m, name, None)
        if comp is None:
            continue
        for v in comp.values():
            if v.fixed:
                continue
            val = v.value if v.value is not None else 0.0
            if v.is_integer() or v.is_binary():
                val = float(round(val))
            v.fix(val)
            freed.append(v)
    return freed


def _hold_criteria(m: pyo.ConcreteModel) -> tuple[dict[str, float], dict[str, tuple[float, bool]]]:
    """Limit every criterion to its value (plus slack); return the values and the old limits."""
    memo: dict[int, float] = {}
    values = {k: fast_value(m.objective_expr[k], memo) for k in m.objective_expr}
    saved = {}
    for k, v in values.items():
        con = m.objective_eps_limit[k]
        old = float(pyo.value(m.objective_eps[k]))
        saved[k] = (old, con.active)
        m.objective_eps[k] = min(old, v + max(REL_TOL * abs(v), ABS_TOL))
        con.activate()
    return values, saved


def _release(m: pyo.ConcreteModel, freed: list, saved: dict[str, tuple[float, bool]]) -> None:
    for v in freed:
        v.unfix()
    for k, (old, active) in saved.items():
        m.objective_eps[k] = old
        if not active:
            m.objective_eps_limit[k].deactivate()
    m.canonical_objective.deactivate()  # kept for the model's next case (same weights)
    m.objective.activate()


def _transport_objective(m: pyo.ConcreteModel, weights: dict[str, float]) -> None:
    """Activate ``m.canonical_objective``, made on the model's first stage.

    The weights come from the model's index (link lengths), so the expression is the same
    for every case of one model: made once, then deactivated and activated again.
    """
    if m.component("canonical_objective") is not None:
        m.canonical_objective.activate()
        return
    m.canonical_objective = pyo.Objective(
        expr=pyo.quicksum(weights[lid] * v for (lid, _), v in m.link_flow.items()),
        sense=pyo.minimize,
    )


def restore_values(solver: PersistentHighs, x: np.ndarray) -> None:
    """Load a solution array (e.g. :attr:`PersistentHighs.last_solution`) into the model."""
    for v, val in zip(solver.compiler.columns, x.tolist(), strict=False):
        if not v.fixed:
            v.set_value(val, skip_validation=True)


def canonical_flows(solver: PersistentHighs, options: SolverOptions) -> CanonicalOutcome:
    """Replace the model's loaded solution by its canonical form (see the module docstring).

    Parameters
    ----------
    solver
        The persistent instance whose model holds a solved case's values.
    options
        Solver options (threads, time limit; the stage is an LP once decisions are fixed).

    Returns
    -------
    CanonicalOutcome
        With the stage's time and the weighted transport before and after.
    """
    m = solver.model
    start = time.perf_counter()
    if not len(m.link_flow):
        return CanonicalOutcome(False, 0.0, message="no links")
    weights = link_weights(m)
    before = _transport(m, weights)
    x0 = np.asarray([v.value if v.value is not None else 0.0 for v in solver.compiler.columns])
    freed = _fix_decisions(m)
    criteria, saved = _hold_criteria(m)
    m.objective.deactivate()
    _transport_objective(m, weights)
    # Start the LP afresh: the basis left by another case's stage (or the MIP) is a poor
    # start (N = 1000: 14 s from it, about 1 s fresh).
    solver.h.clearSolver()
    try:
        out = solver.solve(options)
    finally:
        _release(m, freed, saved)
    seconds = time.perf_counter() - start
    timings = {k: v for k, v in out.timings.items() if k != "build"}
    if not out.has_solution:
        restore_values(solver, x0)
        msg = f"canonical flows not applied: {out.message}"
        return CanonicalOutcome(False, seconds, before, before, msg, criteria, timings)
    after = _transport(m, weights)
    if not math.isfinite(after) or after >= before * (1 - REL_GAIN) - ABS_GAIN:
        # nothing to remove: keep the first stage exactly (no solver noise in the tables)
        restore_values(solver, x0)
        return CanonicalOutcome(False, seconds, before, before, "", criteria, timings)
    return CanonicalOutcome(True, seconds, before, after, "", criteria, timings)
