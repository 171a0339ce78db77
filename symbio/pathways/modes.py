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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from symbio.errors import InfeasibleError
from symbio.model.pareto import clear_bounds, set_bound, set_weights
from symbio.pathways.augmecon import GridWalk, nondominated, walk_grid
from symbio.pathways.session import ModelSession

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
#: Relative tolerance of a lexicographic step.
DEFAULT_REL_TOL = 1e-9
#: Absolute floor of a lexicographic step's tolerance (above the solver's feasibility tolerance).
DEFAULT_ABS_TOL = 1e-6
#: Smallest payoff-table range, relative to the criterion's magnitude ``max(|utopia|, |nadir|)``:
#: a range below it is the lexicographic tolerance and solver noise, not a trade-off.
RANGE_REL_FLOOR = 1e-6
#: A floored range below this (a criterion that is 0 at every payoff optimum) counts as 1.
RANGE_ABS_FLOOR = 1e-9


@dataclass(frozen=True)
class Point:
    """A solution of a mode: criterion values, build decisions, solver status."""

    values: dict[str, float]
    builds: dict[str, int]
    status: str
    gap: float


def _solve_point(session: ModelSession) -> Point | None:
    step = session.solve()
    if not step.ok:
        return None
    return Point(session.values(), session.build_values(), step.status, step.gap)


def _tol(v: float, rel_tol: float) -> float:
    return max(rel_tol * abs(v), DEFAULT_ABS_TOL)


def lexicographic(
    session: ModelSession,
    order: Sequence[str],
    *,
    rel_tol: float = DEFAULT_REL_TOL,
    keep_bounds: bool = False,
) -> Point:
    """Optimise the criteria in ``order``, each within ``rel_tol`` of the optimum of the ones before.

    Raises
    ------
    InfeasibleError
        When the first (or a later) step has no solution.
    """
    pt: Point | None = None
    bounded: list[str] = []
    try:
        for k in order:
            set_weights(session.model, {k: 1.0})
            pt = _solve_point(session)
            if pt is None:
                raise InfeasibleError(f"no solution when minimising {k} lexicographically")
            v = pt.values[k]
            set_bound(session.model, k, v + _tol(v, rel_tol))
            bounded.append(k)
    finally:
        if not keep_bounds:
            for k in bounded:
                set_bound(session.model, k, None)
    assert pt is not None
    return pt


@dataclass(frozen=True)
class PayoffTable:
    """The payoff table of lexicographic optima.

    Attributes
    ----------
    table : pandas.DataFrame
        Row ``k`` (index ``optimised``): criterion values at the lexicographic optimum with
        ``k`` first; one column per criterion.
    points : dict[str, Point]
        The solutions, by the criterion optimised first.
    """

    table: pd.DataFrame
    points: dict[str, Point]

    @property
    def utopia(self) -> dict[str, float]:
        """Best value of each criterion: the diagonal, or a lower value another row found.

        With a MIP gap the lexicographic steps are optimal only within the gap, so another
        row may hold a slightly better value; the column minimum is the best value known.
        """
        return {k: float(self.table[k].min()) for k in self.table.index}

    @property
    def nadir(self) -> dict[str, float]:
        """Worst value of each criterion over the payoff rows (the nadir estimate)."""
        return {k: float(self.table[k].max()) for k in self.table.index}

    def range(self, k: str) -> float:
        """Normalisation range of criterion ``k``: ``nadir - utopia``, floored.

        ``max(nadir - utopia, RANGE_REL_FLOOR * max(|utopia|, |nadir|))``, and 1 when that is
        below ``RANGE_ABS_FLOOR`` (a criterion that is 0 at every payoff optimum). Without the
        relative floor a criterion that does not trade off against the others keeps the
        lexicographic steps' tolerance as its range (0.42 CNY on a 4.2e8 CNY/a cost) and
        dominates any weighted sum divided by the ranges; with it, such a criterion weighs
        its relative changes (per 1e-6 of its value).
        """
        lo, hi = self.utopia[k], self.nadir[k]
        r = max(hi - lo, RANGE_REL_FLOOR * max(abs(lo), abs(hi)))
        return r if r > RANGE_ABS_FLOOR else 1.0


def payoff_table(
    session: ModelSession, criteria: Sequence[str], *, rel_tol: float = DEFAULT_REL_TOL
) -> PayoffTable:
    """Payoff table by lexicographic optimisation (each criterion first, the others in order)."""
    rows, points = {}, {}
    for k in criteria:
        order = [k, *[c for c in criteria if c != k]]
        pt = lexicographic(session, order, rel_tol=rel_tol)
        rows[k] = {c: pt.values[c] for c in criteria}
        points[k] = pt
    table = pd.DataFrame.from_dict(rows, orient="index")[list(criteria)]
    table.index.name = "optimised"
    return PayoffTable(table, points)


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
