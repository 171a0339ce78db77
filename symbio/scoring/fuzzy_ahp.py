"""Fuzzy AHP on triangular fuzzy numbers by Buckley's geometric mean.

Each judgment is a triangular fuzzy number ``(l, m, u)``. Buckley (1985, Fuzzy Sets and
Systems 17:233) takes the fuzzy geometric mean of each row,
``r_i = ((prod_j l_ij)^(1/n), (prod_j m_ij)^(1/n), (prod_j u_ij)^(1/n))``, and the fuzzy
weight ``w_i = r_i (x) (sum_k r_k)^-1 = (l_i / sum u, m_i / sum m, u_i / sum l)``. Crisp
weights are the centroids ``(l + m + u) / 3``, normalised to sum 1. With zero spread the
method reduces to the crisp row-geometric-mean weights.

Chang's extent analysis is not offered: it can give zero weights (Wang, Luo & Hua 2008,
EJOR 186:735).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from symbio.scoring.ahp import check_pairwise, consistency

__all__ = ["FuzzyAHPResult", "fuzzy_ahp_buckley", "tfn_from_crisp"]


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
    ValueError
        If the matrices differ in shape or ``l <= m <= u`` fails.
    """
    lo, mid, up = (np.asarray(x, dtype=float) for x in (lower, middle, upper))
    if not (lo.shape == mid.shape == up.shape) or lo.ndim != 2:
        raise ValueError("lower, middle and upper must be square matrices of one shape")
    if np.any(lo > mid + 1e-12) or np.any(mid > up + 1e-12) or np.any(lo <= 0):
        raise ValueError("triangular judgments need 0 < l <= m <= u in every cell")
    n = mid.shape[0]
    ids = list(labels) if labels is not None else [str(i + 1) for i in range(n)]
    r = [np.exp(np.log(x).mean(axis=1)) for x in (lo, mid, up)]
    fw = np.column_stack([r[0] / r[2].sum(), r[1] / r[1].sum(), r[2] / r[0].sum()])
    centroid = fw.mean(axis=1)
    return FuzzyAHPResult(
        fuzzy_weights=pd.DataFrame(fw, index=ids, columns=["l", "m", "u"]),
        weights=pd.Series(centroid / centroid.sum(), index=ids, name="weight"),
        crisp_cr=consistency(mid, ri_table)[3],
    )
