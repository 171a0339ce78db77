"""Nucleolus and least core by sequential LPs (Maschler–Peleg–Shapley).

Stage LP over the allocation ``x`` and the excess bound ``t``::

    min t   s.t.   x(S) + t ≥ v(S)     every free coalition S
                   x(S) = v(S) - t_k   every coalition fixed at stage k (t_k its optimum)
                   x(N) = v(N)

After each LP the coalitions with a positive dual price are tight in every optimum and are
fixed; coalitions whose payoff the fixed ones determine leave the LP (:func:`_outside_span`);
repeat until the allocation is unique. The first LP is the least core.

**One Pyomo model for all stages.** The rows of every proper coalition are built once
(:class:`_StageModel`); a stage deactivates the rows of the coalitions that left and appends
the new fixed rows. Each stage is then compiled and solved by a new
:class:`~symbio.solvers.highs.PersistentHighs`, so HiGHS receives exactly the LP a
model built for that stage alone would give: rows ``x(N)``, the free coalitions in their
original order, the fixed ones in the order they were fixed; columns ``x`` then ``t``.
Building the rows was ~60 % of the time at 12 players (4,094 rows, 5 stages).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from symbio.errors import SolverError
from symbio.model.expr import linear, paused_gc
from symbio.solvers.highs import PersistentHighs


@dataclass(frozen=True)
class Nucleolus:
    """Nucleolus and least core of a game.

    Attributes
    ----------
    value : dict
        The nucleolus allocation.
    least_core : float
        ``t*``: the smallest uniform subsidy that makes the core non-empty (≤ 0: the core
        is non-empty and ``-t*`` is the least margin every coalition keeps).
    least_core_point : dict
        An allocation of the least core (the first LP's solution).
    stages : int
        LPs solved.
    """

    value: dict[str, float]
    least_core: float
    least_core_point: dict[str, float]
    stages: int


class _StageModel:
    """The stage LPs of one game on one Pyomo model (see the module docstring).

    Each row is one ``LinearExpression`` of unit monomials (:func:`symbio.model.expr.linear`):
    the rows, columns and coefficients of ``sum(x[i] for i in S) + t``, without Pyomo's
    operator overloading.
    """

    def __init__(
        self,
        players: Sequence[str],
        free: list[frozenset[str]],
        v: dict[frozenset[str], float],
        total: float,
    ) -> None:
        self.m = m = pyo.ConcreteModel()
        self.players, self.free = list(players), free
        m.x = pyo.Var(self.players, within=pyo.Reals)
        m.t = pyo.Var(within=pyo.Reals)
        x, t = m.x, m.t
        with paused_gc():
            m.grand = pyo.Constraint(expr=linear((1.0, x[i]) for i in players) == total)
            m.free = pyo.Constraint(
                range(len(free)),
                rule=lambda m, k: linear([*((1.0, x[i]) for i in free[k]), (1.0, t)]) >= v[free[k]],
            )
        m.fixed = pyo.ConstraintList()
        m.obj = pyo.Objective(expr=m.t)

    def solve(
        self, active: list[int], fixed: list[tuple[frozenset[str], float]]
    ) -> tuple[float, dict[str, float], list[float]]:
        """One stage: ``(t, x, dual price of each active free row)``.

        ``active`` are the positions (in the original free list, increasing) of the free
        coalitions; ``fixed`` every fixed coalition so far, in order (new ones are appended).
        """
        m, x = self.m, self.m.x
        keep = set(active)
        for k, con in m.free.items():
            (con.activate if k in keep else con.deactivate)()
        with paused_gc():
            for s, value in fixed[len(m.fixed) :]:
                m.fixed.add(linear((1.0, x[i]) for i in s) == value)
            solver = PersistentHighs(m)
        out = solver.solve()
        if not out.has_solution:
            raise SolverError(f"nucleolus LP: {out.message}")
        duals = solver.duals()
        prices = [abs(duals.get(id(m.free[k]), 0.0)) for k in active]
        return float(pyo.value(m.t)), {i: float(pyo.value(x[i])) for i in self.players}, prices


def _outside_span(rows: list[np.ndarray], vecs: np.ndarray) -> np.ndarray:
    """Which of ``vecs`` (one per row) are not linear combinations of ``rows``.

    One SVD of ``rows`` gives an orthonormal basis of their span (numerical rank by
    :func:`numpy.linalg.matrix_rank`'s default tolerance); a vector is outside when its
    residual after projecting on that basis is not negligible. The vectors are 0/1
    incidence vectors of coalitions, so a residual is either round-off or of order one.
    """
    if not rows:
        return np.ones(len(vecs), dtype=bool)
    a = np.array(rows)
    _, sv, vt = np.linalg.svd(a, full_matrices=False)
    rank = int((sv > sv.max() * max(a.shape) * np.finfo(float).eps).sum())
    basis = vt[:rank]
    residual = vecs - (vecs @ basis.T) @ basis
    return np.linalg.norm(residual, axis=1) > 1e-9 * max(1.0, math.sqrt(a.shape[1]))


def nucleolus(players: Sequence[str], v: dict[frozenset[str], float]) -> Nucleolus:
    """Nucleolus by sequential LPs (needs the value of every coalition)."""
    players = list(players)
    grand = frozenset(players)
    scale = max((abs(a) for a in v.values()), default=1.0) or 1.0
    vs = {s: a / scale for s, a in v.items()}
    total = vs[grand]
    pos = {p: k for k, p in enumerate(players)}
    coalitions = [s for s in vs if s and s != grand]
    incidence = np.zeros((len(coalitions), len(players)))  # row k: the 0/1 vector of S_k
    for k, s in enumerate(coalitions):
        incidence[k, [pos[i] for i in s]] = 1.0
    span = [np.ones(len(players))]  # the grand coalition's vector
    free = list(range(len(coalitions)))  # positions of the free coalitions
    fixed: list[tuple[frozenset[str], float]] = []
    first_t, first_x, stages, x = None, None, 0, {}
    lp = _StageModel(players, coalitions, vs, total) if free else None
    while free and np.linalg.matrix_rank(np.array(span)) < len(players):
        t, x, prices = lp.solve(free, fixed)
        stages += 1
        if first_t is None:
            first_t, first_x = t, dict(x)
        tight = [k for k, p in zip(free, prices, strict=True) if p > 1e-9]
        if not tight:  # numerical corner: take the coalitions at the optimum excess
            tight = [
                k
                for k in free
                if abs(vs[coalitions[k]] - sum(x[i] for i in coalitions[k]) - t) <= 1e-9
            ]
        for k in tight:
            fixed.append((coalitions[k], vs[coalitions[k]] - t))
            span.append(incidence[k])
        gone = set(tight)
        free = [k for k in free if k not in gone]
        if free:
            keep = _outside_span(span, incidence[free])
            free = [k for k, inside in zip(free, keep, strict=True) if inside]
    if first_t is None:  # one player: the grand coalition is the only one
        first_t, x = 0.0, {players[0]: total}
        first_x = dict(x)
    return Nucleolus(
        {i: a * scale for i, a in x.items()},
        first_t * scale,
        {i: a * scale for i, a in first_x.items()},
        stages,
    )
