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

from symbio.allocation.nucleolus import Nucleolus, nucleolus

__all__ = [
    "CORE_TOL",
    "CoreCheck",
    "Nucleolus",
    "SampledShapley",
    "all_coalitions",
    "core_check",
    "nucleolus",
    "order_coalitions",
    "sample_orders",
    "shapley_exact",
    "shapley_sampled",
]

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
    """Largest excess ``v(S) - x(S)`` of an allocation over the proper coalitions.

    ``x(S)`` is summed over the members in sorted order: a set's own order follows Python's
    string hash seed, and with it the last digits of ``max_excess`` changed from run to run.
    """
    grand = frozenset(players)
    scale = max((abs(a) for a in v.values()), default=1.0) or 1.0
    worst, who = -math.inf, frozenset()
    for s, vs in v.items():
        if s == grand or not s:
            continue
        e = vs - sum(x[i] for i in sorted(s))
        if e > worst:
            worst, who = e, s
    if worst == -math.inf:
        worst = 0.0
    return CoreCheck(worst <= CORE_TOL * scale, float(worst), tuple(sorted(who)))
