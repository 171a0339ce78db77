"""Objective modes on one built model: lexicographic, payoff table, weighted sum, Pareto front.

All criteria are minimised. Every solve reuses the session's persistent solver; between solves
only criterion bounds and objective weights change (:mod:`symbio.model.pareto`).

* **lexicographic** ``(f1, f2, ...)``: minimise f1; bound ``f1 <= f1* + tol``; minimise f2; ...
  ``tol = max(rel_tol * |f1*|, 1e-6)``.
* **payoff table**: row k is the lexicographic optimum with criterion k first and the others
  after it in the given order; the diagonal is each criterion's best (utopia) value, the worst
  value of a column over the rows its nadir estimate.
* **weighted sum**: minimise ``sum_k w_k (f_k - utopia_k) / (nadir_k - utopia_k)``, the criteria
  normalised by the payoff table (the constant is dropped; coefficients are scaled so the largest
  is the first weighted criterion's, keeping them in the objective's natural units).
* **Pareto front** (AUGMECON2) between ``x`` (optimised) and ``y`` (ε-constrained):
  :func:`symbio.pathways.augmecon.walk_grid` over ``y``'s payoff range; every point returned
  is efficient; duplicates and any point a numerical tolerance let through dominated are
  dropped by :func:`~symbio.pathways.augmecon.nondominated`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from symbio.errors import InfeasibleError
from symbio.model.pareto import clear_bounds, set_bound, set_weights
from symbio.pathways.augmecon import GridWalk, nondominated, walk_grid
from symbio.solvers.payoff import (
    RANGE_REL_FLOOR,
    PayoffTable,
    Point,
    _solve_point,
    lexicographic,
    payoff_table,
)
from symbio.solvers.session import ModelSession

__all__ = [
    "DEFAULT_DELTA",
    "RANGE_REL_FLOOR",
    "ParetoFront",
    "PayoffTable",
    "lexicographic",
    "pareto_front",
    "payoff_table",
    "weighted",
]

#: AUGMECON augmentation δ (Mavrotas recommends 1e-3 .. 1e-6).
DEFAULT_DELTA = 1e-3


def weighted(
    session: ModelSession,
    weights: Mapping[str, float],
    payoff: PayoffTable | None = None,
) -> Point:
    """Minimise the weighted sum of criteria normalised by the payoff table.

    Parameters
    ----------
    session
        The model session (criteria must include the weighted ones).
    weights
        Non-negative weight per criterion (need not sum to 1).
    payoff
        Payoff table over (at least) the weighted criteria; computed when None.

    Raises
    ------
    InfeasibleError
        When the model has no solution.
    """
    names = [k for k, w in weights.items() if w > 0]
    if not names:
        raise ValueError("at least one weight must be positive")
    if payoff is None or not set(names) <= set(payoff.table.index):
        payoff = payoff_table(session, names)
    ref = payoff.range(names[0])
    set_weights(session.model, {k: weights[k] * ref / payoff.range(k) for k in names})
    pt = _solve_point(session)
    if pt is None:
        raise InfeasibleError("no solution of the weighted objective")
    return pt


@dataclass(frozen=True)
class ParetoFront:
    """A Pareto front between two criteria.

    Attributes
    ----------
    x, y : str
        Criterion optimised and criterion ε-constrained.
    points : pandas.DataFrame
        One row per efficient point, sorted by ``x``: ``point, eps, <every criterion>,
        status, gap`` and one ``build:<id>`` column (0/1) per candidate.
    payoff : PayoffTable
        The payoff table of ``x`` and ``y``.
    walk : GridWalk
        The grid walk (solved, bypassed and infeasible grid points).
    dropped : int
        Solved points dropped as duplicates or dominated.
    """

    x: str
    y: str
    points: pd.DataFrame
    payoff: PayoffTable
    walk: GridWalk
    dropped: int


def pareto_front(
    session: ModelSession,
    x: str,
    y: str,
    points: int = 11,
    *,
    delta: float = DEFAULT_DELTA,
    payoff: PayoffTable | None = None,
) -> ParetoFront:
    """ε-constraint Pareto front between ``x`` and ``y`` (AUGMECON2).

    Parameters
    ----------
    session
        The model session (criteria must include ``x`` and ``y``).
    x
        Criterion minimised at each point.
    y
        Criterion bounded by the ε grid.
    points
        Number of grid points over ``y``'s payoff range (both extremes included).
    delta
        Augmentation weight δ.
    payoff
        Payoff table of ``x`` and ``y``; computed (lexicographically) when None.

    Raises
    ------
    InfeasibleError
        When the model has no solution at all.
    """
    if x == y:
        raise ValueError("x and y must be different criteria")
    if payoff is None:
        payoff = payoff_table(session, [x, y])
    best, worst = payoff.utopia[y], float(payoff.table.loc[x, y])
    rx, ry = payoff.range(x), payoff.range(y)
    set_weights(session.model, {x: 1.0, y: delta * rx / ry})

    def solve_at(eps: float) -> dict[str, object] | None:
        set_bound(session.model, y, eps)
        pt = _solve_point(session)
        if pt is None:
            return None
        return {"point": pt, y: pt.values[y]}

    try:
        walk = walk_grid(solve_at, best, worst, points, f2=y)
    finally:
        clear_bounds(session.model)
    rows = []
    for gp in walk.solved:
        pt: Point = gp.solution["point"]  # type: ignore[assignment]
        row: dict[str, object] = {"eps": gp.eps, **pt.values, "status": pt.status, "gap": pt.gap}
        row.update({f"build:{k}": v for k, v in sorted(pt.builds.items())})
        rows.append(row)
    table = pd.DataFrame(rows)
    dropped = 0
    if not table.empty:
        keep = nondominated(table, [x, y])
        dropped = int((~keep).sum())
        table = table[keep].sort_values([x, y], kind="stable").reset_index(drop=True)
        table.insert(0, "point", range(1, len(table) + 1))
    return ParetoFront(x, y, table, payoff, walk, dropped)
