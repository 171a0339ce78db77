"""Analytic Hierarchy Process: pairwise matrices, weights and consistency.

A pairwise comparison matrix ``A`` on Saaty's 1-9 scale has ``a_ii = 1`` and
``a_ji = 1 / a_ij``. Three weighting methods are offered:

``eigenvector``
    principal right eigenvector, normalised to sum 1 (Saaty 1980);
``geometric_mean``
    row geometric mean (RGMM / logarithmic least squares; Crawford & Williams 1985);
``column_normalisation``
    mean of the rows of the column-normalised matrix (the "approximate" method).

Consistency uses the true principal eigenvalue: ``CI = (lambda_max - n) / (n - 1)`` and
``CR = CI / RI(n)`` with a selectable random-index table (:data:`RI_TABLES`). Matrices of
order 1 and 2 are always consistent (CR = 0 by definition). Every result also carries
the geometric consistency index (GCI), which needs no RI; tables, thresholds and their
sources are in :mod:`symbio.scoring.consistency`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from symbio.scoring.consistency import (
    RI_TABLES,
    cr_threshold,
    gci,
    gci_threshold,
    random_index,
)
from symbio.scoring.errors import ScoringError, as_matrix, labels_or_default

__all__ = [
    "RI_TABLES",
    "WEIGHT_METHODS",
    "AHPResult",
    "JudgmentError",
    "ahp_weights",
    "check_pairwise",
    "compose_hierarchy",
    "consistency",
    "principal_eigen",
    "priority_vector",
    "random_index",
]

WEIGHT_METHODS = ("eigenvector", "geometric_mean", "column_normalisation")
#: Saaty's scale bounds for a single expert's judgment.
SCALE = (1.0 / 9.0, 9.0)


class JudgmentError(ScoringError):
    """A pairwise judgment matrix is invalid (cell named in the message)."""


@dataclass(frozen=True)
class AHPResult:
    """Weights and consistency of one pairwise matrix.

    Attributes
    ----------
    weights : pandas.Series
        Priority vector indexed by label, summing to 1.
    lambda_max, ci, ri, cr : float
        Principal eigenvalue, consistency index, random index and ratio.
    n : int
        Order of the matrix.
    method, ri_table : str
        The weighting method and RI table used.
    threshold : float
        CR acceptance threshold applied (for this n when the rule is by size).
    gci : float
        Geometric consistency index (row-geometric-mean errors), at any n.
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    n: int
    method: str
    ri_table: str
    threshold: float = 0.10
    gci: float = 0.0

    @property
    def consistent(self) -> bool:
        """True when CR is below the threshold; without an RI (CR skipped) the GCI decides."""
        if np.isnan(self.cr):
            return self.gci <= gci_threshold(self.n)
        return self.cr < self.threshold

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "weights": {str(k): float(v) for k, v in self.weights.items()},
            "lambda_max": self.lambda_max,
            "ci": self.ci,
            "ri": self.ri,
            "cr": self.cr,
            "n": self.n,
            "method": self.method,
            "ri_table": self.ri_table,
            "threshold": self.threshold,
            "gci": self.gci,
            "gci_threshold": gci_threshold(self.n),
            "consistent": self.consistent,
        }


def check_pairwise(
    matrix: object,
    labels: Sequence[str] | None = None,
    *,
    source: str = "<matrix>",
    name: str = "",
    tol: float = 0.01,
    scale: tuple[float, float] | None = SCALE,
    allow_missing: bool = False,
) -> np.ndarray:
    """Validate a pairwise comparison matrix and return it as a float array.

    Parameters
    ----------
    matrix : array-like
        Square matrix; ``NaN`` marks a missing judgment when ``allow_missing``.
    labels : sequence of str, optional
        Row/column ids used in error messages (default ``1..n``).
    source, name : str
        File and matrix name for error messages.
    tol : float
        Relative tolerance of the reciprocity check ``|a_ij * a_ji - 1| <= tol``.
    scale : (float, float) or None
        Allowed range of judgments (Saaty's 1/9..9); ``None`` skips the check.
    allow_missing : bool
        Accept ``NaN`` cells (in reciprocal pairs) for incomplete-matrix methods.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    JudgmentError
        Naming the cell ``(row id, column id)`` and the values found.
    """
    # Long: the docstring documents parameters and tolerances (26 lines); the code is 44.
    where = f"{name}" if name else "matrix"
    try:
        a = as_matrix(matrix, where, square=True)
    except ScoringError as exc:
        raise JudgmentError(
            source, exc.file + (f" {exc.field}" if exc.field else ""), exc.message
        ) from None
    n = a.shape[0]
    ids = labels_or_default(labels, n)
    if len(ids) != n:
        raise JudgmentError(source, where, f"{len(ids)} labels for a {n}x{n} matrix")
    for i in range(n):
        if a[i, i] != 1.0:
            raise JudgmentError(
                source, f"{where}[{ids[i]},{ids[i]}]", f"diagonal must be 1, got {a[i, i]:g}"
            )
        for j in range(i + 1, n):
            x, y = a[i, j], a[j, i]
            cell = f"{where}[{ids[i]},{ids[j]}]"
            if np.isnan(x) or np.isnan(y):
                if not (np.isnan(x) and np.isnan(y)):
                    raise JudgmentError(
                        source,
                        cell,
                        f"only one of the pair is missing: a[{ids[i]},{ids[j]}]={x:g}, "
                        f"a[{ids[j]},{ids[i]}]={y:g}",
                    )
                if not allow_missing:
                    raise JudgmentError(
                        source, cell, "missing judgment (use an incomplete-matrix method)"
                    )
                continue
            if x <= 0 or y <= 0 or not np.isfinite(x) or not np.isfinite(y):
                raise JudgmentError(source, cell, f"judgments must be positive: {x:g} and {y:g}")
            if abs(x * y - 1.0) > tol:
                raise JudgmentError(
                    source,
                    cell,
                    f"not reciprocal: a[{ids[i]},{ids[j]}]={x:.4g} but a[{ids[j]},{ids[i]}]={y:.4g} "
                    f"(expected {1 / x:.4g})",
                )
            if scale is not None and not (scale[0] * (1 - 1e-9) <= x <= scale[1] * (1 + 1e-9)):
                raise JudgmentError(source, cell, f"judgment {x:.4g} outside the scale 1/9..9")
    return a


def principal_eigen(matrix: np.ndarray) -> tuple[float, np.ndarray]:
    """Return the Perron eigenvalue and its eigenvector (positive, summing to 1).

    Parameters
    ----------
    matrix : numpy.ndarray
        A nonnegative irreducible square matrix.

    Returns
    -------
    (float, numpy.ndarray)
    """
    a = np.asarray(matrix, dtype=float)
    if a.shape == (1, 1):
        return float(a[0, 0]), np.ones(1)
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    vec = np.abs(vectors[:, k].real)
    return float(values[k].real), vec / vec.sum()


def priority_vector(matrix: object, method: str = "eigenvector") -> np.ndarray:
    """Derive the priority (weight) vector of a complete pairwise matrix.

    Parameters
    ----------
    matrix : array-like
        Positive reciprocal matrix.
    method : {"eigenvector", "geometric_mean", "column_normalisation"}

    Returns
    -------
    numpy.ndarray
        Weights summing to 1.

    Raises
    ------
    ValueError
        For an unknown method.
    """
    a = np.asarray(matrix, dtype=float)
    if method == "eigenvector":
        return principal_eigen(a)[1]
    if method == "geometric_mean":
        g = np.exp(np.log(a).mean(axis=1))
        return g / g.sum()
    if method == "column_normalisation":
        w = (a / a.sum(axis=0)).mean(axis=1)
        return w / w.sum()
    raise ScoringError(
        "priority_vector", "method", f"unknown weight method {method!r} ({WEIGHT_METHODS})"
    )


def consistency(
    matrix: object, ri_table: str = "saaty1980", beyond: str = "error"
) -> tuple[float, float, float, float]:
    """Return ``(lambda_max, CI, RI, CR)`` of a complete pairwise matrix.

    ``lambda_max`` is the true principal eigenvalue (not the mean of ``(Aw)_i / w_i``).
    For n <= 2, CI and CR are 0. Beyond the RI table, ``beyond="skip"`` gives RI = CR =
    NaN (see :func:`symbio.scoring.consistency.random_index`).
    """
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    lam = principal_eigen(a)[0]
    if n <= 2:
        return float(n), 0.0, random_index(max(n, 1), ri_table), 0.0
    ci = max((lam - n) / (n - 1), 0.0)
    ri = random_index(n, ri_table, beyond)
    return lam, ci, ri, ci / ri


def ahp_weights(
    matrix: object,
    labels: Sequence[str] | None = None,
    *,
    method: str = "eigenvector",
    ri_table: str = "saaty1980",
    threshold: float | str = 0.10,
    source: str = "<matrix>",
    name: str = "",
    scale: tuple[float, float] | None = SCALE,
    beyond: str = "error",
) -> AHPResult:
    """Weights and consistency of one complete pairwise comparison matrix.

    Parameters
    ----------
    matrix : array-like
        Positive reciprocal matrix on Saaty's scale.
    labels : sequence of str, optional
        Element ids (default ``"1".."n"``).
    method : {"eigenvector", "geometric_mean", "column_normalisation"}
    ri_table : str
        See :func:`symbio.scoring.consistency.random_index`.
    threshold : float or "saaty_by_size"
        CR acceptance threshold (Saaty: 0.10), or 0.05 / 0.08 / 0.10 for n = 3 / 4 / >= 5.
    source, name : str
        For error messages.
    scale : (float, float) or None
        Allowed judgment range (Saaty's 1/9..9); ``None`` for derived matrices (group
        means, completions, repairs) that may leave it.
    beyond : {"error", "skip"}
        An order beyond the RI table: raise, or skip CR (the GCI then decides).

    Returns
    -------
    AHPResult

    Raises
    ------
    JudgmentError
        If the matrix is not a valid reciprocal matrix (cell named).

    Examples
    --------
    Saaty (1990, EJOR 48:9, Table 3) "financing" judgments of three houses:

    >>> r = ahp_weights([[1, 1/7, 1/5], [7, 1, 3], [5, 1/3, 1]], ["A", "B", "C"])
    >>> [round(x, 3) for x in r.weights]
    [0.072, 0.649, 0.279]
    >>> round(r.cr, 3)
    0.056
    """
    a = check_pairwise(matrix, labels, source=source, name=name, scale=scale)
    n = a.shape[0]
    ids = labels_or_default(labels, n)
    if method not in WEIGHT_METHODS:
        raise ScoringError(source, "method", f"unknown weight method {method!r} ({WEIGHT_METHODS})")
    w = priority_vector(a, method)
    lam, ci, ri, cr = consistency(a, ri_table, beyond)
    limit = cr_threshold(n, threshold)
    series = pd.Series(w, index=ids, name="weight")
    return AHPResult(series, lam, ci, ri, cr, n, method, ri_table, limit, gci(a))


def compose_hierarchy(
    top: Mapping[str, float], local: Mapping[str, Mapping[str, float]]
) -> pd.DataFrame:
    """Compose local weights into global weights (hierarchical synthesis).

    Parameters
    ----------
    top : mapping
        Weights of the criteria (e.g. the six areas), summing to 1.
    local : mapping
        For each criterion, the local weights of its children (summing to 1 each).

    Returns
    -------
    pandas.DataFrame
        Columns ``parent, element, parent_weight, local_weight, global_weight``; the
        global weights sum to 1 over criteria that have children.
    """
    rows = []
    for parent, pw in top.items():
        for child, lw in local.get(parent, {}).items():
            rows.append((parent, child, float(pw), float(lw), float(pw) * float(lw)))
    cols = ["parent", "element", "parent_weight", "local_weight", "global_weight"]
    return pd.DataFrame(rows, columns=cols)
