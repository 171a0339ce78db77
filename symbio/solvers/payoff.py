"""Lexicographic optima and the payoff table of a model's criteria, on one persistent session.

* **lexicographic** ``(f1, f2, ...)``: minimise f1; bound ``f1 <= f1* + tol``; minimise f2; ...
  ``tol = max(rel_tol * |f1*|, 1e-6)``.
* **payoff table**: row k is the lexicographic optimum with criterion k first and the others
  after it in the given order; the diagonal is each criterion's best (utopia) value, the worst
  value of a column over the rows its nadir estimate.

The run uses the payoff ranges to normalise a weighted objective (:func:`weighted_scales`);
the objective modes of :mod:`symbio.pathways.modes` build on the same functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from symbio.errors import InfeasibleError
from symbio.flows.schema import Scenario
from symbio.model.pareto import set_bound, set_weights
from symbio.solvers.options import SolverOptions
from symbio.solvers.session import ModelSession, open_session

__all__ = [
    "RANGE_REL_FLOOR",
    "PayoffTable",
    "Point",
    "lexicographic",
    "payoff_table",
    "weighted_scales",
]

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


def weighted_scales(
    scenario: Scenario,
    criteria: Iterable[str],
    *,
    solver_options: SolverOptions | None = None,
) -> dict[str, float]:
    """Normalisation scale of each criterion of a weighted sum: its payoff-table range.

    ``nadir - utopia`` from the lexicographic payoff table of ``criteria``, floored at
    ``1e-6 * max(|utopia|, |nadir|)`` (:data:`~symbio.pathways.modes.RANGE_REL_FLOOR`; a
    smaller range is the lexicographic tolerance, not a trade-off) and 1 when the criterion
    is 0 at every payoff optimum (:meth:`~symbio.pathways.modes.PayoffTable.range`). Set
    ``m.objective_scale[k]`` of a model built with ``objective.weights`` to these to
    minimise the normalised weighted sum.
    """
    names = list(criteria)
    session = open_session(scenario, criteria=names, solver_options=solver_options)
    payoff = payoff_table(session, names)
    return {k: payoff.range(k) for k in names}
