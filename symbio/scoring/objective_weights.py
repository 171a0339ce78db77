"""Objective weights from data (entropy, CRITIC) and their combination with AHP weights.

Chinese park evaluation studies commonly pair the experts' AHP weights with weights read
from the spread of the indicator values over the objects evaluated (parks, enterprises,
years). Both methods start from min-max normalised values ``x'`` (``(x - min)/(max -
min)`` for higher-better, ``(max - x)/(max - min)`` for lower-better); an indicator with
the same value everywhere carries no information and gets weight 0.

Entropy weight method
    ``p_ij = x'_ij / sum_i x'_ij``, ``e_j = -(1/ln m) sum_i p_ij ln p_ij`` (``0 ln 0 = 0``),
    ``w_j = (1 - e_j) / sum_k (1 - e_k)`` over m objects.
CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995, Computers & OR 22(7):763-770)
    ``C_j = sigma_j sum_k (1 - r_jk)`` with ``sigma_j`` the standard deviation of
    ``x'_j`` (``ddof``, default 1) and ``r_jk`` the Pearson correlation; ``w = C / sum C``.
Combination
    ``multiplicative``: ``w_j = s_j o_j / sum_k s_k o_k``; ``linear``:
    ``w_j = alpha s_j + (1 - alpha) o_j`` (both common in the literature; state which).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from symbio.scoring.errors import ScoringError, as_vector
from symbio.scoring.indicators import DIRECTIONS

__all__ = ["combine_weights", "critic_weights", "entropy_weights", "normalise_minmax"]


def normalise_minmax(data: pd.DataFrame, directions: Mapping[str, str]) -> pd.DataFrame:
    """Min-max normalise each column in its direction; constant columns become NaN.

    Raises
    ------
    ScoringError
        For fewer than 2 rows, a missing or non-finite value (row and column named), or
        a direction other than ``higher_better`` / ``lower_better``.
    """
    if not isinstance(data, pd.DataFrame) or len(data) < 2 or data.shape[1] < 1:
        raise ScoringError("data", "", "expected a table with >= 2 rows (objects) and >= 1 column")
    x = data.apply(pd.to_numeric, errors="coerce").astype(float)
    bad = ~np.isfinite(x.to_numpy())
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ScoringError(
            "data",
            f"[{data.index[i]}, {data.columns[j]}]",
            f"not a finite number: {data.iat[i, j]!r}",
        )
    out = {}
    for col in x.columns:
        d = directions.get(col)
        if d not in DIRECTIONS:
            raise ScoringError("directions", str(col), f"expected one of {DIRECTIONS}, got {d!r}")
        v = x[col]
        span = v.max() - v.min()
        if span == 0:
            out[col] = v * np.nan
        else:
            out[col] = (v - v.min()) / span if d == "higher_better" else (v.max() - v) / span
    return pd.DataFrame(out, index=data.index)


def _finish(raw: pd.Series, method: str) -> pd.Series:
    raw = raw.fillna(0.0)
    if raw.sum() <= 0:
        raise ScoringError(method, "", "every indicator has the same value everywhere: no weights")
    return (raw / raw.sum()).rename("weight")


def entropy_weights(data: pd.DataFrame, directions: Mapping[str, str]) -> pd.Series:
    """Entropy weights of the columns of ``data`` (rows are the objects evaluated).

    >>> df = pd.DataFrame({"a": [1, 2, 3], "b": [1, 1, 3]})
    >>> entropy_weights(df, {"a": "higher_better", "b": "higher_better"}).round(4).tolist()
    [0.2961, 0.7039]
    """
    x = normalise_minmax(data, directions)
    m = len(x)
    p = x / x.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = (p * np.log(p)).where(p > 0, 0.0)
    e = -plogp.sum() / np.log(m)
    d = (1.0 - e).where(x.notna().all())
    return _finish(d, "entropy_weights")


def critic_weights(data: pd.DataFrame, directions: Mapping[str, str], ddof: int = 1) -> pd.Series:
    """CRITIC weights of the columns of ``data`` (rows are the objects evaluated).

    >>> df = pd.DataFrame({"a": [0, .5, 1], "b": [0, .5, 1], "c": [1, 0, .5]})
    >>> critic_weights(df, dict.fromkeys("abc", "higher_better")).round(4).tolist()
    [0.25, 0.25, 0.5]
    """
    x = normalise_minmax(data, directions)
    info = x.columns[x.notna().all()]
    c = pd.Series(0.0, index=x.columns)
    if len(info):
        sub = x[info]
        r = sub.corr() if len(info) > 1 else pd.DataFrame(1.0, index=info, columns=info)
        c[info] = sub.std(ddof=ddof) * (1.0 - r).sum()
    return _finish(c, "critic_weights")


def combine_weights(
    subjective: Mapping[str, float] | pd.Series,
    objective: Mapping[str, float] | pd.Series,
    method: str = "multiplicative",
    alpha: float = 0.5,
) -> pd.Series:
    """Combine subjective (AHP) and objective weights over the same indicators.

    >>> combine_weights({"a": .6, "b": .4}, {"a": .25, "b": .75}).round(4).tolist()
    [0.3333, 0.6667]
    >>> combine_weights({"a": .6, "b": .4}, {"a": .25, "b": .75}, "linear", 0.5).round(4).tolist()
    [0.425, 0.575]
    """
    s, o = pd.Series(dict(subjective), dtype=float), pd.Series(dict(objective), dtype=float)
    if set(s.index) != set(o.index):
        raise ScoringError(
            "combine_weights", "", f"indicators differ: {sorted(set(s.index) ^ set(o.index))}"
        )
    o = o[s.index]
    s = pd.Series(as_vector(s.to_numpy(), "subjective weights"), index=s.index)
    o = pd.Series(as_vector(o.to_numpy(), "objective weights"), index=s.index)
    s, o = s / s.sum(), o / o.sum()
    if method == "multiplicative":
        w = s * o
        if w.sum() <= 0:
            raise ScoringError("combine_weights", "", "the two weight sets share no weight")
    elif method == "linear":
        if not 0.0 <= alpha <= 1.0:
            raise ScoringError("combine_weights", "alpha", f"must lie in [0, 1], got {alpha}")
        w = alpha * s + (1.0 - alpha) * o
    else:
        raise ScoringError(
            "combine_weights", "method", f"'multiplicative' or 'linear', not {method!r}"
        )
    return (w / w.sum()).rename("weight")
