"""AHP consistency repair: bring a pairwise matrix under a CR target, logging every change.

``repair_consistency`` -- either replace the most deviant judgment by ``w_i / w_j``, one at a
time (``iterative``), or blend ``A^alpha * (w_i/w_j)^(1-alpha)`` (``blend``); every changed
judgment is logged and the original CR is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from symbio.scoring.ahp import check_pairwise, consistency, priority_vector
from symbio.scoring.errors import ScoringError

__all__ = ["RepairResult", "repair_consistency"]


@dataclass(frozen=True)
class RepairResult:
    """Outcome of a consistency repair.

    Attributes
    ----------
    matrix : numpy.ndarray
        The repaired matrix.
    log : pandas.DataFrame
        One row per changed judgment: ``step, row, col, old, new, cr_before, cr_after``.
    original_cr, final_cr : float
        CR before and after the repair.
    method : str
        ``iterative`` or ``blend``.
    alpha : float or None
        Blend exponent used (``blend`` only).
    """

    matrix: np.ndarray
    log: pd.DataFrame
    original_cr: float
    final_cr: float
    method: str
    alpha: float | None = None


def _nearest_scale(x: float) -> float:
    values = np.array([1 / k for k in range(9, 1, -1)] + list(range(1, 10)), dtype=float)
    return float(values[np.argmin(np.abs(np.log(values) - np.log(x)))])


def repair_consistency(
    matrix: object,
    labels: Sequence[str] | None = None,
    *,
    method: str = "iterative",
    target: float = 0.10,
    ri_table: str = "saaty1980",
    max_steps: int = 50,
    round_to_scale: bool = False,
    alpha_step: float = 0.05,
) -> RepairResult:
    """Bring a matrix under a CR target, logging every changed judgment.

    Parameters
    ----------
    matrix : array-like
        Complete positive reciprocal matrix.
    labels : sequence of str, optional
        Element ids for the log (default ``1..n``).
    method : {"iterative", "blend"}
        ``iterative`` replaces, one step at a time, the judgment with the largest
        ``|log(a_ij w_j / w_i)|`` by ``w_i / w_j`` (rounded to the nearest 1-9 scale value
        when ``round_to_scale`` and that changes it). ``blend`` uses the largest
        ``alpha`` on a grid of ``alpha_step`` with CR(``A^alpha * W^(1-alpha)``) < target.
    target : float
        CR to reach.
    ri_table : str
        RI table for CR.
    max_steps : int
        Maximum number of changed judgments (``iterative``).
    round_to_scale : bool
        Round replacements to Saaty's scale values.
    alpha_step : float
        Grid step of ``alpha`` (``blend``).

    Returns
    -------
    RepairResult
        ``final_cr`` may still exceed ``target`` if ``max_steps`` ran out. The caller's
        matrix is never modified (the repair works on a copy).
    """
    a = check_pairwise(matrix, labels, scale=None)
    n = a.shape[0]
    ids = list(labels) if labels is not None else [str(i + 1) for i in range(n)]
    original = consistency(a, ri_table)[3]
    if method == "iterative":
        return _repair_iterative(a, ids, original, target, ri_table, max_steps, round_to_scale)
    if method == "blend":
        return _repair_blend(a, ids, original, target, ri_table, alpha_step)
    raise ScoringError("repair_consistency", "method", f"'iterative' or 'blend', not {method!r}")


def _repair_iterative(
    a: np.ndarray,
    ids: list[str],
    original: float,
    target: float,
    ri_table: str,
    max_steps: int,
    round_to_scale: bool,
) -> RepairResult:
    """``iterative`` repair of ``a`` in place: one judgment per step (see repair_consistency)."""
    n = a.shape[0]
    rows: list[dict] = []
    cr = original
    for step in range(1, max_steps + 1):
        if cr < target:
            break
        w = priority_vector(a, "eigenvector")
        dev = np.abs(np.log(a * w[None, :] / w[:, None]))
        dev[np.tril_indices(n)] = -1.0
        i, j = np.unravel_index(int(np.argmax(dev)), dev.shape)
        new = w[i] / w[j]
        if round_to_scale and not np.isclose(_nearest_scale(new), a[i, j]):
            new = _nearest_scale(new)
        old = a[i, j]
        a[i, j], a[j, i] = new, 1.0 / new
        cr_after = consistency(a, ri_table)[3]
        rows.append(
            dict(
                step=step,
                row=ids[i],
                col=ids[j],
                old=old,
                new=new,
                cr_before=cr,
                cr_after=cr_after,
            )
        )
        cr = cr_after
    return RepairResult(a, pd.DataFrame(rows, columns=_LOG_COLS), original, cr, "iterative")


def _repair_blend(
    a: np.ndarray, ids: list[str], original: float, target: float, ri_table: str, alpha_step: float
) -> RepairResult:
    """``blend`` repair: the largest alpha of ``a^alpha * ideal^(1-alpha)`` under target."""
    n = a.shape[0]
    rows: list[dict] = []
    w = priority_vector(a, "eigenvector")
    ideal = w[:, None] / w[None, :]
    alpha, blended = 1.0, a
    for alpha in np.arange(1.0, -1e-9, -alpha_step):
        blended = a**alpha * ideal ** (1.0 - alpha)
        if consistency(blended, ri_table)[3] < target:
            break
    final = consistency(blended, ri_table)[3]
    for i in range(n):
        for j in range(i + 1, n):
            if not np.isclose(blended[i, j], a[i, j]):
                rows.append(
                    dict(
                        step=1,
                        row=ids[i],
                        col=ids[j],
                        old=a[i, j],
                        new=blended[i, j],
                        cr_before=original,
                        cr_after=final,
                    )
                )
    return RepairResult(
        blended,
        pd.DataFrame(rows, columns=_LOG_COLS),
        original,
        final,
        "blend",
        round(float(alpha), 10),
    )


_LOG_COLS = ["step", "row", "col", "old", "new", "cr_before", "cr_after"]
