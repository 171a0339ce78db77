"""AHP for panels and imperfect judgments: group aggregation and incomplete matrices.

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
Consistency repair is in :mod:`symbio.scoring.ahp_repair`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import optimize
from scipy.sparse.csgraph import connected_components

from symbio.scoring.ahp import check_pairwise, principal_eigen
from symbio.scoring.errors import ScoringError, as_matrix

__all__ = [
    "aggregate_aij",
    "aggregate_aip",
    "complete_lambda_min",
    "harker_weights",
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
