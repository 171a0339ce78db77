"""Fuzzy AHP on triangular fuzzy numbers by Buckley's geometric mean.

Each judgment is a triangular fuzzy number ``(l, m, u)``. Buckley (1985, Fuzzy Sets and
Systems 17:233) takes the fuzzy geometric mean of each row,
``r_i = ((prod_j l_ij)^(1/n), (prod_j m_ij)^(1/n), (prod_j u_ij)^(1/n))``, and the fuzzy
weight ``w_i = r_i (x) (sum_k r_k)^-1 = (l_i / sum u, m_i / sum m, u_i / sum l)``. Crisp
weights are the centroids ``(l + m + u) / 3``, normalised to sum 1. With zero spread the
method reduces to the crisp row-geometric-mean weights.

Chang's extent analysis (Chang 1996, EJOR 95:649) is offered because evaluators expect
it, with its known flaw: the degree-of-possibility step can give a criterion a weight of
exactly zero although its judgments say it matters (Wang, Luo & Hua 2008, "On the extent
analysis method for fuzzy AHP and its applications", EJOR 186:735-747). A zero weight
triggers a ``UserWarning`` and is listed in :attr:`ChangResult.zero_weights`; prefer
Buckley's method for priorities.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from symbio.scoring.ahp import check_pairwise, consistency
from symbio.scoring.errors import ScoringError, as_matrix, labels_or_default

__all__ = [
    "ChangResult",
    "FuzzyAHPResult",
    "fuzzy_ahp_buckley",
    "fuzzy_ahp_chang",
    "tfn_from_crisp",
]


def tfn_from_crisp(
    matrix: object, spread: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turn a crisp Saaty matrix into triangular fuzzy judgments.

    A judgment ``a >= 1`` becomes ``(max(1, a - spread), a, min(9, a + spread))``, its
    reciprocal ``(1/u, 1/m, 1/l)``; ``a = 1`` (equal importance) and the diagonal stay
    ``(1, 1, 1)`` so that the fuzzy matrix is reciprocal.

    Parameters
    ----------
    matrix : array-like
        Complete reciprocal matrix.
    spread : float
        Half-width of the triangles on the 1-9 scale (0 gives crisp judgments).

    Returns
    -------
    (lower, middle, upper) : tuple of numpy.ndarray
    """
    a = check_pairwise(matrix, scale=None)
    lower, upper = a.copy(), a.copy()
    n = a.shape[0]
    for i in range(n):
        for j in range(n):
            x = a[i, j]
            if i == j or np.isclose(x, 1.0):
                lower[i, j] = upper[i, j] = 1.0
            elif x > 1:
                lower[i, j], upper[i, j] = max(1.0, x - spread), min(9.0, x + spread)
            else:
                inv = 1.0 / x
                lower[i, j], upper[i, j] = (
                    1.0 / min(9.0, inv + spread),
                    1.0 / max(1.0, inv - spread),
                )
    return lower, a, upper


@dataclass(frozen=True)
class FuzzyAHPResult:
    """Buckley fuzzy AHP result.

    Attributes
    ----------
    fuzzy_weights : pandas.DataFrame
        Columns ``l, m, u`` per element.
    weights : pandas.Series
        Normalised centroid weights.
    crisp_cr : float
        CR of the modal (middle) matrix, for reference.
    """

    fuzzy_weights: pd.DataFrame
    weights: pd.Series
    crisp_cr: float
    method: str = "buckley_geometric_mean"


def fuzzy_ahp_buckley(
    lower: object,
    middle: object,
    upper: object,
    labels: Sequence[str] | None = None,
    ri_table: str = "saaty1980",
) -> FuzzyAHPResult:
    """Fuzzy AHP weights by Buckley's geometric mean.

    Parameters
    ----------
    lower, middle, upper : array-like
        The ``l``, ``m`` and ``u`` matrices of the triangular judgments
        (``l <= m <= u`` cellwise).
    labels : sequence of str, optional
        Element ids.
    ri_table : str
        RI table for the CR of the middle matrix.

    Returns
    -------
    FuzzyAHPResult

    Raises
    ------
    ScoringError
        If the matrices differ in shape, a cell is missing (NaN) or ``0 < l <= m <= u``
        fails (cell named).
    """
    lo, mid, up = _tfn_matrices(lower, middle, upper)
    n = mid.shape[0]
    ids = labels_or_default(labels, n)
    r = [np.exp(np.log(x).mean(axis=1)) for x in (lo, mid, up)]
    fw = np.column_stack([r[0] / r[2].sum(), r[1] / r[1].sum(), r[2] / r[0].sum()])
    centroid = fw.mean(axis=1)
    return FuzzyAHPResult(
        fuzzy_weights=pd.DataFrame(fw, index=ids, columns=["l", "m", "u"]),
        weights=pd.Series(centroid / centroid.sum(), index=ids, name="weight"),
        crisp_cr=consistency(mid, ri_table)[3],
    )


def _tfn_matrices(lower: object, middle: object, upper: object) -> tuple[np.ndarray, ...]:
    mats = tuple(as_matrix(x, f"{nm} matrix", square=True) for x, nm in
                 ((lower, "lower"), (middle, "middle"), (upper, "upper")))  # fmt: skip
    if len({m.shape for m in mats}) != 1:
        raise ScoringError("fuzzy matrices", "", "lower, middle and upper must have one shape")
    lo, mid, up = mats
    ok = np.isfinite(lo) & np.isfinite(mid) & np.isfinite(up)
    ok &= (lo > 0) & (lo <= mid + 1e-12) & (mid <= up + 1e-12)
    if not ok.all():
        i, j = np.argwhere(~ok)[0]
        raise ScoringError(
            "fuzzy matrices",
            f"[{i + 1},{j + 1}]",
            f"triangular judgment needs finite 0 < l <= m <= u, got "
            f"({lo[i, j]:g}, {mid[i, j]:g}, {up[i, j]:g})",
        )
    return lo, mid, up


@dataclass(frozen=True)
class ChangResult:
    """Chang's extent analysis.

    Attributes
    ----------
    synthetic_extents : pandas.DataFrame
        Fuzzy synthetic extent ``S_i`` (columns ``l, m, u``).
    weights : pandas.Series
        Normalised minimum degrees of possibility.
    zero_weights : list of str
        Elements whose weight is exactly 0 (the method's flaw, see the module docstring).
    """

    synthetic_extents: pd.DataFrame
    weights: pd.Series
    zero_weights: list[str] = field(default_factory=list)
    method: str = "chang_extent_analysis"


def _possibility(m2: np.ndarray, m1: np.ndarray) -> float:
    """Degree of possibility V(M2 >= M1) of two triangular numbers (Chang 1996)."""
    if m2[1] >= m1[1]:
        return 1.0
    if m1[0] >= m2[2]:
        return 0.0
    return float((m1[0] - m2[2]) / ((m2[1] - m2[2]) - (m1[1] - m1[0])))


def fuzzy_ahp_chang(
    lower: object, middle: object, upper: object, labels: Sequence[str] | None = None
) -> ChangResult:
    """Fuzzy AHP weights by Chang's extent analysis (warns on zero weights).

    ``S_i = (sum_j l_ij / sum u, sum_j m_ij / sum m, sum_j u_ij / sum l)``;
    ``d_i = min_{k != i} V(S_i >= S_k)``; weights ``d / sum d``.

    Examples
    --------
    >>> r = fuzzy_ahp_chang([[1, 1], [1/3, 1]], [[1, 2], [1/2, 1]], [[1, 3], [1, 1]])
    >>> [round(x, 4) for x in r.weights]
    [0.6923, 0.3077]
    """
    lo, mid, up = _tfn_matrices(lower, middle, upper)
    n = mid.shape[0]
    ids = labels_or_default(labels, n)
    rows = np.column_stack([lo.sum(axis=1), mid.sum(axis=1), up.sum(axis=1)])
    s = np.column_stack(
        [
            rows[:, 0] / rows[:, 2].sum(),
            rows[:, 1] / rows[:, 1].sum(),
            rows[:, 2] / rows[:, 0].sum(),
        ]
    )
    d = np.array(
        [min((_possibility(s[i], s[k]) for k in range(n) if k != i), default=1.0) for i in range(n)]
    )
    w = d / d.sum()
    zeros = [ids[i] for i in range(n) if w[i] == 0.0]
    if zeros:
        warnings.warn(
            f"Chang's extent analysis gives zero weight to {zeros} (a known flaw, Wang, Luo & "
            "Hua 2008); prefer fuzzy_ahp_buckley for priorities",
            UserWarning,
            stacklevel=2,
        )
    return ChangResult(
        pd.DataFrame(s, index=ids, columns=["l", "m", "u"]),
        pd.Series(w, index=ids, name="weight"),
        zeros,
    )
