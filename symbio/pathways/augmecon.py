"""The grid logic of AUGMECON2 and the non-dominance filter (no solver, no Pyomo).

Two criteria ``f1`` (optimised) and ``f2`` (constrained), both minimised. The payoff table gives
the range of ``f2`` over the efficient set: from ``best`` (its own minimum) to ``worst`` (its
value at the lexicographic optimum of ``f1``). AUGMECON2 (Mavrotas & Florios 2013) walks the grid

    e_k = worst - k * step,    step = (worst - best) / (points - 1),    k = 0 .. points-1

and at each ``e_k`` solves

    min  f1 + delta * (r1 / r2) * f2     s.t.  f2 <= e_k

(the augmentation ``delta * f2`` equals AUGMECON's ``-delta * s2 / r2`` up to a constant, with
the slack ``s2 = e_k - f2``; it makes every optimum efficient, never weakly efficient). The
bypass: when the slack spans ``b = floor(s2 / step)`` further grid steps, those points would
return the same solution, so they are skipped. The first infeasible point ends the walk (every
tighter one is infeasible too).

References: G. Mavrotas, Appl. Math. Comput. 213 (2009) 455-465 (AUGMECON);
G. Mavrotas, K. Florios, Appl. Math. Comput. 219 (2013) 9652-9669 (AUGMECON2).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["GridPoint", "GridWalk", "epsilon_grid", "nondominated", "walk_grid"]

#: Relative tolerance on f2 (of its range) for bypass counting.
REL_TOL = 1e-7
#: Relative relaxation of each ε bound (of the range), so the tightest point stays feasible.
EPS_RELAX = 1e-9


def epsilon_grid(best: float, worst: float, points: int) -> np.ndarray:
    """Grid of ε values for the constrained criterion, loosest (``worst``) first.

    Examples
    --------
    >>> epsilon_grid(0.0, 18000.0, 5).tolist()
    [18000.0, 13500.0, 9000.0, 4500.0, 0.0]
    """
    if points < 1:
        raise ValueError("points must be at least 1")
    if points == 1 or math.isclose(best, worst, rel_tol=REL_TOL, abs_tol=0.0):
        return np.array([float(worst)])
    return np.array([worst - k * (worst - best) / (points - 1) for k in range(points)])


@dataclass(frozen=True)
class GridPoint:
    """One grid point of the walk.

    Attributes
    ----------
    k : int
        Index in the grid (0 = loosest).
    eps : float
        Bound on f2.
    status : str
        ``solved``, ``bypassed`` (same solution as an earlier point) or ``infeasible``.
    solution : dict
        What the solve returned (criterion values, builds, ...); empty unless solved.
    slack : float
        ``eps - f2`` of the solution (NaN unless solved).
    """

    k: int
    eps: float
    status: str
    solution: Mapping[str, object] = field(default_factory=dict)
    slack: float = math.nan


@dataclass(frozen=True)
class GridWalk:
    """The points of an AUGMECON2 walk and how many solves it took."""

    points: tuple[GridPoint, ...]
    solves: int

    @property
    def solved(self) -> list[GridPoint]:
        """Points that were solved (each a distinct solve)."""
        return [p for p in self.points if p.status == "solved"]


def walk_grid(
    solve: Callable[[float], Mapping[str, object] | None],
    best: float,
    worst: float,
    points: int,
    *,
    f2: str = "f2",
) -> GridWalk:
    """Walk the ε grid with bypass and early exit.

    Parameters
    ----------
    solve
        ``solve(eps)`` solves the augmented problem with ``f2 <= eps`` and returns the solution
        as a mapping holding the value of ``f2`` under key ``f2``, or None when infeasible.
    best, worst
        Range of f2 over the efficient set (payoff table).
    points
        Number of grid points.
    f2
        Key of the constrained criterion in the solutions.

    Returns
    -------
    GridWalk
        Every grid point with its status; a bypassed point carries the solution that covers it.

    Examples
    --------
    >>> front = [(0.0, 10.0), (5.0, 4.0), (20.0, 0.0)]   # (f1, f2) of a staircase front
    >>> def solve(eps):
    ...     ok = [p for p in front if p[1] <= eps]
    ...     return {"f1": ok[0][0], "f2": ok[0][1]} if ok else None
    >>> w = walk_grid(solve, 0.0, 10.0, 11)
    >>> w.solves, "".join(p.status[0] for p in w.points)
    (3, 'ssbbbbbsbbb')
    """
    grid = epsilon_grid(best, worst, points)
    step = abs(grid[0] - grid[1]) if len(grid) > 1 else math.inf
    scale = max(1.0, abs(worst - best))
    tol, relax = REL_TOL * scale, EPS_RELAX * scale
    out: list[GridPoint] = []
    solves = 0
    k = 0
    while k < len(grid):
        eps = float(grid[k])
        sol = solve(eps + relax)
        solves += 1
        if sol is None:
            out += [GridPoint(j, float(grid[j]), "infeasible") for j in range(k, len(grid))]
            break
        slack = max(0.0, eps - float(sol[f2]))  # type: ignore[arg-type]
        out.append(GridPoint(k, eps, "solved", dict(sol), slack))
        skip = int(math.floor((slack + tol) / step)) if math.isfinite(step) else 0
        for j in range(k + 1, min(k + 1 + skip, len(grid))):
            out.append(GridPoint(j, float(grid[j]), "bypassed", dict(sol), slack))
        k += 1 + skip
    return GridWalk(tuple(out), solves)


def nondominated(
    values: pd.DataFrame | Sequence[Sequence[float]],
    columns: Sequence[str] | None = None,
    *,
    rel_tol: float = 1e-6,
) -> np.ndarray:
    """Mask of the rows no other row dominates (all criteria minimised).

    Row ``a`` dominates row ``b`` when ``a <= b`` in every criterion and ``a < b`` in one, with
    differences below ``rel_tol`` times the criterion's range counted as ties. Of several rows
    equal within tolerance, only the first is kept.

    Examples
    --------
    >>> nondominated([[1, 5], [2, 2], [3, 3], [1, 5]]).tolist()
    [True, True, False, False]
    """
    arr = (
        values[list(columns)].to_numpy(float)
        if isinstance(values, pd.DataFrame) and columns is not None
        else np.asarray(values, dtype=float)
    )
    n = len(arr)
    if n == 0:
        return np.zeros(0, dtype=bool)
    span = np.ptp(arr, axis=0)
    tol = rel_tol * np.where(span > 0, span, 1.0)
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        le = np.all(arr <= arr[i] + tol, axis=1)
        lt = np.any(arr < arr[i] - tol, axis=1)
        dominated_by = le & lt
        equal = le & ~lt & np.all(arr >= arr[i] - tol, axis=1)
        equal[i:] = False  # an equal row earlier in the list wins
        if dominated_by.any() or equal.any():
            keep[i] = False
    return keep
