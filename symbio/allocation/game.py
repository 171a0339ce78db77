"""The cooperative savings game: Shapley value, nucleolus, least core, core check.

A game is a set of players and a value ``v(S)`` for each coalition ``S`` (what its members
save by exchanging among themselves, ``v(∅) = 0``). The allocations:

* **Shapley value** ``φ_i = Σ_{S ⊆ N∖i} |S|! (n-|S|-1)! / n! · (v(S ∪ i) - v(S))``, exact
  over all ``2^n`` coalitions, or estimated from random orders of the players (the mean
  marginal contribution, with its standard error ``sd / √k`` over ``k`` orders);
* **least core**: ``min t`` s.t. ``x(S) ≥ v(S) - t`` for every proper coalition and
  ``x(N) = v(N)``; the core is empty exactly when ``t* > 0`` (``t*`` is then how much every
  coalition must be subsidised for the grand coalition to be stable);
* **nucleolus**: the least core made lexicographically best by sequential LPs
  (Maschler–Peleg–Shapley): after each LP the coalitions with a positive dual price are
  tight in every optimum and are fixed; coalitions whose payoff the fixed ones determine
  leave the LP; repeat until the allocation is unique.

Every LP is a Pyomo model solved by HiGHS (:mod:`symbio.solvers.highs`). Values are scaled
by ``max |v|`` inside the LPs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pyomo.environ as pyo

from symbio.errors import SolverError
from symbio.solvers.highs import PersistentHighs

Coalition = frozenset
#: Excess below which a coalition does not block (relative to max |v|).
CORE_TOL = 1e-7


def all_coalitions(players: Sequence[str]) -> list[frozenset[str]]:
    """Every non-empty coalition of the players, by size then order."""
    return [frozenset(c) for k in range(1, len(players) + 1) for c in combinations(players, k)]


def shapley_exact(players: Sequence[str], v: dict[frozenset[str], float]) -> dict[str, float]:
    """Exact Shapley value from the values of all ``2^n`` coalitions (``v(∅) = 0``)."""
    n = len(players)
    weight = [math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n) for k in range(n)]
    phi = dict.fromkeys(players, 0.0)
    value = {frozenset(): 0.0, **v}
    for s, vs in value.items():
        for i in players:
            if i not in s:
                phi[i] += weight[len(s)] * (value[s | {i}] - vs)
    return phi


@dataclass(frozen=True)
class SampledShapley:
    """Shapley value estimated from random orders of the players.

    Attributes
    ----------
    value, stderr : dict
        Estimate and its standard error per player.
    orders : int
        Random orders drawn.
    coalitions : int
        Distinct coalitions whose value was needed (the solves).
    """

    value: dict[str, float]
    stderr: dict[str, float]
    orders: int
    coalitions: int


def sample_orders(players: Sequence[str], orders: int, seed: int = 0) -> list[list[str]]:
    """Random orders of the players in antithetic pairs (each order, then its reverse)."""
    rng = np.random.default_rng(seed)
    out: list[list[str]] = []
    for _ in range(max(1, orders // 2)):
        perm = [players[k] for k in rng.permutation(len(players))]
        out += [perm, perm[::-1]]
    return out


def order_coalitions(orders: Iterable[Sequence[str]]) -> set[frozenset[str]]:
    """Every non-empty coalition whose value the orders' marginal contributions need."""
    need: set[frozenset[str]] = set()
    for order in orders:
        need |= {frozenset(order[: k + 1]) for k in range(len(order))}
    return need


def shapley_sampled(
    players: Sequence[str], orders: list[list[str]], v: dict[frozenset[str], float]
) -> SampledShapley:
    """Estimate the Shapley value from orders drawn by :func:`sample_orders`.

    The estimate is the mean marginal contribution; the standard error is computed over the
    means of the antithetic pairs (an order and its reverse are negatively correlated, so
    the pairs, not the single orders, are the independent draws).
    """
    value = {frozenset(): 0.0, **v}
    idx = {p: k for k, p in enumerate(players)}
    pairs = len(orders) // 2
    samples = np.zeros((pairs, len(players)))
    for k, order in enumerate(orders[: 2 * pairs]):
        s: frozenset[str] = frozenset()
        for p in order:
            t = s | {p}
            samples[k // 2, idx[p]] += (value[t] - value[s]) / 2
            s = t
    mean = samples.mean(axis=0)
    se = (
        samples.std(axis=0, ddof=1) / math.sqrt(pairs)
        if pairs > 1
        else np.full(len(players), np.nan)
    )
    return SampledShapley(
        {p: float(mean[idx[p]]) for p in players},
        {p: float(se[idx[p]]) for p in players},
        2 * pairs,
        len(order_coalitions(orders)),
    )


@dataclass(frozen=True)
class CoreCheck:
    """How far an allocation is from the core.

    Attributes
    ----------
    in_core : bool
        No coalition can save more on its own than it is given (within tolerance).
    max_excess : float
        ``max_S v(S) - x(S)`` over proper coalitions (> 0: the coalition blocks).
    blocking : tuple
        The coalition with the largest excess.
    """

    in_core: bool
    max_excess: float
    blocking: tuple[str, ...]


def core_check(
    x: dict[str, float], v: dict[frozenset[str], float], players: Sequence[str]
) -> CoreCheck:
    """Largest excess ``v(S) - x(S)`` of an allocation over the proper coalitions."""
    grand = frozenset(players)
    scale = max((abs(a) for a in v.values()), default=1.0) or 1.0
    worst, who = -math.inf, frozenset()
    for s, vs in v.items():
        if s == grand or not s:
            continue
        e = vs - sum(x[i] for i in s)
        if e > worst:
            worst, who = e, s
    if worst == -math.inf:
        worst = 0.0
    return CoreCheck(worst <= CORE_TOL * scale, float(worst), tuple(sorted(who)))


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


def _stage_lp(
    players: Sequence[str],
    free: list[frozenset[str]],
    fixed: list[tuple[frozenset[str], float]],
    v: dict[frozenset[str], float],
    total: float,
) -> tuple[float, dict[str, float], dict[frozenset[str], float]]:
    """``min t`` s.t. ``x(S) + t ≥ v(S)`` (free S), ``x(S) = fixed value``, ``x(N) = total``."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(list(players), within=pyo.Reals)
    m.t = pyo.Var(within=pyo.Reals)
    m.grand = pyo.Constraint(expr=sum(m.x[i] for i in players) == total)
    m.free = pyo.Constraint(
        range(len(free)), rule=lambda m, k: sum(m.x[i] for i in free[k]) + m.t >= v[free[k]]
    )
    m.fixed = pyo.Constraint(
        range(len(fixed)), rule=lambda m, k: sum(m.x[i] for i in fixed[k][0]) == fixed[k][1]
    )
    m.obj = pyo.Objective(expr=m.t)
    solver = PersistentHighs(m)
    out = solver.solve()
    if not out.has_solution:
        raise SolverError(f"nucleolus LP: {out.message}")
    duals = solver.duals()
    prices = {free[k]: abs(duals.get(id(m.free[k]), 0.0)) for k in range(len(free))}
    return float(pyo.value(m.t)), {i: float(pyo.value(m.x[i])) for i in players}, prices


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

    def vec(s: Iterable[str]) -> np.ndarray:
        out = np.zeros(len(players))
        out[[pos[i] for i in s]] = 1.0
        return out

    span = [vec(grand)]
    free = [s for s in vs if s and s != grand]
    fixed: list[tuple[frozenset[str], float]] = []
    first_t, first_x, stages, x = None, None, 0, {}
    while free and np.linalg.matrix_rank(np.array(span)) < len(players):
        t, x, prices = _stage_lp(players, free, fixed, vs, total)
        stages += 1
        if first_t is None:
            first_t, first_x = t, dict(x)
        tight = [s for s in free if prices[s] > 1e-9]
        if not tight:  # numerical corner: take the coalitions at the optimum excess
            tight = [s for s in free if abs(vs[s] - sum(x[i] for i in s) - t) <= 1e-9]
        for s in tight:
            fixed.append((s, vs[s] - t))
            span.append(vec(s))
        free = [s for s in free if s not in tight]
        if free:
            keep = _outside_span(span, np.array([vec(s) for s in free]))
            free = [s for s, k in zip(free, keep, strict=True) if k]
    if first_t is None:  # one player: the grand coalition is the only one
        first_t, x = 0.0, {players[0]: total}
        first_x = dict(x)
    return Nucleolus(
        {i: a * scale for i, a in x.items()},
        first_t * scale,
        {i: a * scale for i, a in first_x.items()},
        stages,
    )
