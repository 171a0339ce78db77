"""Fuzzy comprehensive evaluation (模糊综合评价) against the level benchmarks.

Membership
    Each indicator value gets a membership to the grades I / II / III / below built from
    its benchmarks. Values are first turned "higher is better" (lower-better indicators are
    negated), then memberships are piecewise linear between adjacent anchors
    ``I >= II >= III >= floor``: a value at a benchmark belongs fully to that grade, a value
    between two benchmarks is shared linearly between the two grades, a value beyond I is
    fully I (trapezoid shoulder) and a value beyond the floor fully "below". Every row sums
    to 1, and improving a value only moves membership towards better grades. ``shape="step"``
    gives crisp memberships instead (the grade met, as in the composite index).
Composition ``B = A o R`` with four operators
    ``M(∧,∨)``  b_j = max_i min(a_i, r_ij)          主因素决定型
    ``M(·,∨)``  b_j = max_i a_i r_ij                主因素突出型
    ``M(∧,⊕)``  b_j = min(1, sum_i min(a_i, r_ij))  取小上界和型
    ``M(·,⊕)``  b_j = min(1, sum_i a_i r_ij)        加权平均型 (default; keeps all weight
    information)
Result
    The grade of maximum membership, and a 0-100 score ``S = sum_j b_j s_j / sum_j b_j``
    with grade scores ``s`` (default 95/85/70/50).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from symbio.scoring.indicators import GRADES, Indicator

__all__ = [
    "DEFAULT_GRADE_SCORES",
    "OPERATORS",
    "FCEResult",
    "compose",
    "fuzzy_evaluate",
    "grade_from_score",
    "membership",
    "resolve_operator",
]

DEFAULT_GRADE_SCORES: tuple[float, float, float, float] = (95.0, 85.0, 70.0, 50.0)
OPERATORS = ("M(∧,∨)", "M(·,∨)", "M(∧,⊕)", "M(·,⊕)")
_ALIASES = {
    "min_max": "M(∧,∨)",
    "m(min,max)": "M(∧,∨)",
    "product_max": "M(·,∨)",
    "m(*,max)": "M(·,∨)",
    "min_bounded_sum": "M(∧,⊕)",
    "m(min,+)": "M(∧,⊕)",
    "weighted_average": "M(·,⊕)",
    "m(*,+)": "M(·,⊕)",
}


def resolve_operator(name: str) -> str:
    """Return the canonical operator name for a name or ASCII alias.

    Aliases: ``min_max``, ``product_max``, ``min_bounded_sum``, ``weighted_average``, or
    ``M(min,max)``, ``M(*,max)``, ``M(min,+)``, ``M(*,+)``.

    Raises
    ------
    ValueError
        For an unknown operator.
    """
    if name in OPERATORS:
        return name
    key = name.replace(" ", "").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise ValueError(
        f"unknown operator {name!r} (choose from {', '.join(OPERATORS)} or {', '.join(_ALIASES)})"
    )


def membership(
    value: float,
    anchors: Sequence[float],
    direction: str = "higher_better",
    shape: str = "linear",
) -> np.ndarray:
    """Membership of a value to the grades I, II, III, below.

    Parameters
    ----------
    value : float
        The indicator value.
    anchors : sequence of 4 floats
        Benchmarks I, II, III and the floor, in the indicator's units.
    direction : {"higher_better", "lower_better"}
    shape : {"linear", "step"}
        Piecewise-linear (triangular/trapezoidal) or crisp memberships.

    Returns
    -------
    numpy.ndarray
        Four memberships summing to 1.

    Examples
    --------
    >>> membership(80.0, (95, 85, 75, 65)).round(2).tolist()
    [0.0, 0.5, 0.5, 0.0]
    >>> membership(0.3, (0.25, 0.35, 0.5, 0.65), "lower_better").round(2).tolist()
    [0.5, 0.5, 0.0, 0.0]
    """
    s = 1.0 if direction == "higher_better" else -1.0
    x = s * float(value)
    p = [s * float(a) for a in anchors]
    mu = np.zeros(4)
    if shape == "step":
        mu[next((k for k in range(3) if x >= p[k]), 3)] = 1.0
        return mu
    if shape != "linear":
        raise ValueError(f"membership shape must be 'linear' or 'step', not {shape!r}")
    if x >= p[0]:
        mu[0] = 1.0
        return mu
    for k in range(1, 4):
        if x >= p[k]:  # p[k-1] > x >= p[k]
            t = (x - p[k]) / (p[k - 1] - p[k])
            mu[k - 1], mu[k] = t, 1.0 - t
            return mu
    mu[3] = 1.0
    return mu


def indicator_membership(indicator: Indicator, value: float, shape: str = "linear") -> np.ndarray:
    """Membership of an indicator value (see :func:`membership`)."""
    return membership(value, indicator.anchors(), indicator.direction, shape)


def compose(weights: Sequence[float], relation: object, operator: str = "M(·,⊕)") -> np.ndarray:
    """Fuzzy composition ``B = A o R``.

    Parameters
    ----------
    weights : sequence of float
        The weight vector ``A`` (length n).
    relation : array-like, shape (n, m)
        The relation matrix ``R`` (memberships).
    operator : str
        One of :data:`OPERATORS` or an alias (see :func:`resolve_operator`).

    Returns
    -------
    numpy.ndarray
        ``B`` (length m), not normalised.
    """
    a = np.asarray(weights, dtype=float)[:, None]
    r = np.asarray(relation, dtype=float)
    if r.ndim != 2 or r.shape[0] != a.shape[0]:
        raise ValueError(f"weights of length {a.shape[0]} do not match R of shape {r.shape}")
    op = resolve_operator(operator)
    if op == "M(∧,∨)":
        return np.minimum(a, r).max(axis=0)
    if op == "M(·,∨)":
        return (a * r).max(axis=0)
    if op == "M(∧,⊕)":
        return np.minimum(1.0, np.minimum(a, r).sum(axis=0))
    return np.minimum(1.0, (a * r).sum(axis=0))


def grade_from_score(score: float, grade_scores: Sequence[float] = DEFAULT_GRADE_SCORES) -> str:
    """Grade of a 0-100 score: cut-offs at the midpoints between adjacent grade scores.

    With the default 95/85/70/50: I from 90, II from 77.5, III from 60.
    """
    if not np.isfinite(score):
        return ""
    cuts = [(grade_scores[k] + grade_scores[k + 1]) / 2.0 for k in range(3)]
    return next((GRADES[k] for k in range(3) if score >= cuts[k]), "below")


@dataclass(frozen=True)
class FCEResult:
    """Outcome of one fuzzy comprehensive evaluation.

    Attributes
    ----------
    b : numpy.ndarray
        Composed memberships (I, II, III, below) as returned by the operator.
    b_normalised : numpy.ndarray
        ``b / sum(b)``.
    score : float
        ``sum(b s) / sum(b)`` on 0-100.
    grade_max_membership : str
        Grade with the largest membership (first on ties).
    grade_by_score : str
        Grade from the score (:func:`grade_from_score`).
    operator : str
    """

    b: np.ndarray
    b_normalised: np.ndarray
    score: float
    grade_max_membership: str
    grade_by_score: str
    operator: str

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "membership": dict(zip(GRADES, map(float, self.b_normalised), strict=True)),
            "score": self.score,
            "grade_max_membership": self.grade_max_membership,
            "grade_by_score": self.grade_by_score,
            "operator": self.operator,
        }


def fuzzy_evaluate(
    weights: Sequence[float] | Mapping[str, float] | pd.Series,
    relation: object,
    operator: str = "M(·,⊕)",
    grade_scores: Sequence[float] = DEFAULT_GRADE_SCORES,
) -> FCEResult:
    """One-level fuzzy comprehensive evaluation.

    Parameters
    ----------
    weights : sequence, mapping or Series
        Weights of the factors; a mapping/Series is aligned on ``relation``'s index when
        ``relation`` is a DataFrame.
    relation : array-like or pandas.DataFrame, shape (n, 4)
        Memberships of each factor to the grades I, II, III, below.
    operator : str
        Composition operator (default ``M(·,⊕)``).
    grade_scores : sequence of 4 floats
        Scores of the grades for the 0-100 score.

    Returns
    -------
    FCEResult

    Examples
    --------
    >>> r = fuzzy_evaluate([0.5, 0.5], [[1, 0, 0, 0], [0, 1, 0, 0]])
    >>> r.score, r.grade_by_score
    (90.0, 'I')
    """
    if isinstance(relation, pd.DataFrame) and isinstance(weights, Mapping | pd.Series):
        w = np.array([float(weights[k]) for k in relation.index])
        rel = relation.to_numpy(dtype=float)
    else:
        w = np.asarray(
            list(weights.values()) if isinstance(weights, Mapping) else weights, dtype=float
        )
        rel = np.asarray(relation, dtype=float)
    op = resolve_operator(operator)
    b = compose(w, rel, op)
    total = float(b.sum())
    bn = b / total if total > 0 else np.full_like(b, np.nan)
    score = float(bn @ np.asarray(grade_scores, dtype=float)) if total > 0 else float("nan")
    grade = GRADES[int(np.argmax(b))] if total > 0 else ""
    return FCEResult(b, bn, score, grade, grade_from_score(score, grade_scores), op)
