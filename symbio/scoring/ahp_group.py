"""AHP for panels and imperfect judgments: group aggregation, incomplete matrices, repair.

Group aggregation
    ``aggregate_aij`` -- aggregation of individual judgments: the (weighted) elementwise
    geometric mean of the experts' matrices, which keeps reciprocity (Forman & Peniwati 1998).
    ``aggregate_aip`` -- aggregation of individual priorities: geometric or arithmetic mean
    of the experts' priority vectors. Under the row-geometric-mean method AIJ and AIP agree
    (Barzilai & Golany 1994).
Incomplete matrices (``NaN`` = missing judgment)
    ``harker_weights`` -- Harker (1987): set missing cells to 0 and add the number of
    missing cells of each row to its diagonal, then take the principal eigenvector.
    ``complete_lambda_min`` -- fill the missing cells so that lambda_max of the completed
    matrix is minimal (Bozoki, Fulop & Ronyai 2010, Math. Comput. Modelling 52:318), by
    ``scipy.optimize`` over the logarithms of the missing cells (a convex problem).
Consistency repair
    ``repair_consistency`` -- either replace the most deviant judgment by ``w_i / w_j``,
    one at a time (``iterative``), or blend ``A^alpha * (w_i/w_j)^(1-alpha)`` (``blend``);
    every changed judgment is logged and the original CR is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.sparse.csgraph import connected_components

from symbio.scoring.ahp import check_pairwise, consistency, principal_eigen, priority_vector
from symbio.scoring.errors import ScoringError, as_matrix

__all__ = [
    "RepairResult",
    "aggregate_aij",
    "aggregate_aip",
    "complete_lambda_min",
    "harker_weights",
    "repair_consistency",
]


def _expert_weights(k: int, weights: Sequence[float] | None) -> np.ndarray:
    lam = np.ones(k) if weights is None else np.asarray(weights, dtype=float)
    if lam.shape != (k,) or not np.all(np.isfinite(lam)) or np.any(lam < 0) or lam.sum() <= 0:
        raise ScoringError(
            "expert weights", "", f"expected {k} nonnegative expert weights with a positive sum"
        )
    return lam / lam.sum()


def aggregate_aij(matrices: Sequence[object], weights: Sequence[float] | None = None) -> np.ndarray:
    """Aggregate individual judgments by the weighted geometric mean (AIJ).

    Parameters
    ----------
    matrices : sequence of array-like
        The experts' pairwise matrices (same order); ``NaN`` cells are skipped and the
        weights renormalised over the experts who gave that judgment.
    weights : sequence of float, optional
        Expert weights (e.g. authority coefficients Cr); equal when omitted.

    Returns
    -------
    numpy.ndarray
        The group matrix, reciprocal by construction; ``NaN`` where nobody judged.

    Raises
    ------
    ScoringError
        When an expert's matrix is not a positive reciprocal matrix (zero, negative or
        non-reciprocal judgment: expert and cell named) or the orders differ.
    """
    checked = [
        check_pairwise(
            m, source="aggregate_aij", name=f"expert {k + 1}", allow_missing=True, scale=None
        )
        for k, m in enumerate(matrices)
    ]
    if not checked or len({m.shape for m in checked}) != 1:
        raise ScoringError("aggregate_aij", "", "expected one or more matrices of the same order")
    stack = np.stack(checked)
    lam = _expert_weights(stack.shape[0], weights)[:, None, None] * np.ones_like(stack)
    present = ~np.isnan(stack)
    lam = np.where(present, lam, 0.0)
    total = lam.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        logs = np.where(present, np.log(np.where(present, stack, 1.0)), 0.0)
        out = np.exp((lam * logs).sum(axis=0) / total)
    out[total == 0] = np.nan
    np.fill_diagonal(out, 1.0)
    return out


def aggregate_aip(
    vectors: Sequence[Sequence[float]],
    weights: Sequence[float] | None = None,
    mean: str = "geometric",
) -> np.ndarray:
    """Aggregate individual priority vectors (AIP).

    Parameters
    ----------
    vectors : sequence of sequence of float
        One priority vector per expert.
    weights : sequence of float, optional
        Expert weights; equal when omitted.
    mean : {"geometric", "arithmetic"}

    Returns
    -------
    numpy.ndarray
        Group priorities summing to 1.
    """
    v = as_matrix(vectors, "priority vectors")
    if np.any(~np.isfinite(v)) or np.any(v <= 0):
        i, j = np.argwhere(~(np.isfinite(v) & (v > 0)))[0]
        raise ScoringError(
            "priority vectors",
            f"expert {i + 1}, element {j + 1}",
            f"must be positive, got {v[i, j]:g}",
        )
    lam = _expert_weights(v.shape[0], weights)
    if mean == "geometric":
        g = np.exp((lam[:, None] * np.log(v)).sum(axis=0))
    elif mean == "arithmetic":
        g = (lam[:, None] * v).sum(axis=0)
    else:
        raise ScoringError("aggregate_aip", "mean", f"'geometric' or 'arithmetic', not {mean!r}")
    return g / g.sum()


def _check_connected(a: np.ndarray) -> None:
    known = ~np.isnan(a)
    n_comp, _ = connected_components(known.astype(int), directed=False)
    if n_comp > 1:
        raise ScoringError(
            "incomplete matrix",
            "",
            "the known judgments do not connect all elements; weights are not unique "
            "(Bozoki et al. 2010): add a comparison linking the groups",
        )


def harker_weights(
    matrix: object, labels: Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Weights of an incomplete matrix by Harker's method, and the implied completion.

    Parameters
    ----------
    matrix : array-like
        Reciprocal matrix with ``NaN`` for missing judgments (connected).
    labels : sequence of str, optional
        For error messages.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The weights (principal eigenvector of Harker's matrix ``C``) and the completed
        matrix with ``a_ij = w_i / w_j`` in the missing cells.

    Notes
    -----
    Harker, P.T. (1987) "Incomplete pairwise comparisons in the analytic hierarchy
    process", Math. Modelling 9(11):837-848.
    """
    a = check_pairwise(matrix, labels, allow_missing=True, scale=None)
    _check_connected(a)
    missing = np.isnan(a)
    c = np.where(missing, 0.0, a)
    c[np.diag_indices_from(c)] = 1.0 + missing.sum(axis=1)
    w = principal_eigen(c)[1]
    completed = np.where(missing, w[:, None] / w[None, :], a)
    return w, completed


def _fill(a: np.ndarray, pairs: list[tuple[int, int]], y: np.ndarray) -> np.ndarray:
    out = a.copy()
    for (i, j), yk in zip(pairs, y, strict=True):
        out[i, j], out[j, i] = np.exp(yk), np.exp(-yk)
    return out


def complete_lambda_min(
    matrix: object,
    labels: Sequence[str] | None = None,
    bounds: tuple[float, float] | None = None,
) -> np.ndarray:
    """Complete an incomplete matrix so that its lambda_max is minimal.

    Parameters
    ----------
    matrix : array-like
        Reciprocal matrix with ``NaN`` for missing judgments (connected).
    labels : sequence of str, optional
        For error messages.
    bounds : (float, float), optional
        Optional range for the filled values (e.g. ``(1/9, 9)``); unbounded by default as
        in Bozoki, Fulop & Ronyai (2010).

    Returns
    -------
    numpy.ndarray
        The completed matrix.

    Notes
    -----
    With ``a_ij = exp(y)``, lambda_max is a convex function of ``y`` (Bozoki et al. 2010),
    so the local optimum found by L-BFGS-B (exact gradient from the left and right Perron
    vectors) is global. Starting point: van Uden's triad rule where available, else 1.
    """
    a = check_pairwise(matrix, labels, allow_missing=True, scale=None)
    _check_connected(a)
    n = a.shape[0]
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if np.isnan(a[i, j])]
    if not pairs:
        return a
    y0 = np.array([_van_uden(a, i, j) for i, j in pairs])

    def fun(y: np.ndarray) -> tuple[float, np.ndarray]:
        full = _fill(a, pairs, y)
        lam, w = principal_eigen(full)
        _, v = principal_eigen(full.T)
        scale = float(v @ w)
        grad = np.array(
            [(v[i] * w[j] * full[i, j] - v[j] * w[i] * full[j, i]) / scale for i, j in pairs]
        )
        return lam, grad

    b = None if bounds is None else [(np.log(bounds[0]), np.log(bounds[1]))] * len(pairs)
    res = optimize.minimize(
        fun, y0, jac=True, method="L-BFGS-B", bounds=b, options={"ftol": 1e-15, "gtol": 1e-12}
    )
    return _fill(a, pairs, res.x)


def _van_uden(a: np.ndarray, i: int, j: int) -> float:
    logs = [
        np.log(a[i, k] * a[k, j])
        for k in range(a.shape[0])
        if not (np.isnan(a[i, k]) or np.isnan(a[k, j]))
    ]
    return float(np.mean(logs)) if logs else 0.0


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
