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
Any number of grades
    ``membership`` takes m >= 2 ordered anchors and returns m memberships; the relation
    matrix, the grade scores and the grade names (``grades=``, default I/II/III/below for
    four, else G1..Gm) have that many columns.
Checks
    A value must be finite and the direction ``higher_better`` or ``lower_better``; anchors
    must be ordered; weights nonnegative and summing to 1; memberships in [0, 1] with rows
    summing to 1. Anything else raises :class:`~symbio.scoring.errors.ScoringError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from symbio.scoring.errors import ScoringError, as_matrix, as_vector
from symbio.scoring.indicators import DIRECTIONS, GRADES, Indicator

__all__ = [
    "DEFAULT_GRADE_SCORES",
    "grade_names",
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
    raise ScoringError(
        "operator",
        str(name),
        f"unknown operator (choose from {', '.join(OPERATORS)} or {', '.join(_ALIASES)})",
    )


def membership(
    value: float,
    anchors: Sequence[float],
    direction: str = "higher_better",
    shape: str = "linear",
) -> np.ndarray:
    """Membership of a value to ordered grades (I, II, III, below for four anchors).

    Parameters
    ----------
    value : float
        The indicator value (finite).
    anchors : sequence of m >= 2 floats
        Benchmarks from the best grade to the floor, in the indicator's units, ordered in
        the direction (non-increasing for higher_better, non-decreasing for lower_better).
    direction : {"higher_better", "lower_better"}
    shape : {"linear", "step"}
        Piecewise-linear (triangular/trapezoidal) or crisp memberships.

    Returns
    -------
    numpy.ndarray
        m memberships summing to 1.

    Raises
    ------
    ScoringError
        For a NaN value, an unknown direction (e.g. ``"higher"``) or unordered anchors.

    Examples
    --------
    >>> membership(80.0, (95, 85, 75, 65)).round(2).tolist()
    [0.0, 0.5, 0.5, 0.0]
    >>> membership(0.3, (0.25, 0.35, 0.5, 0.65), "lower_better").round(2).tolist()
    [0.5, 0.5, 0.0, 0.0]
    """
    # Long: the docstring documents parameters and shapes (30 lines); the code is 34.
    if direction not in DIRECTIONS:
        raise ScoringError(
            "membership", "direction", f"expected one of {DIRECTIONS}, got {direction!r}"
        )
    if shape not in ("linear", "step"):
        raise ScoringError("membership", "shape", f"'linear' or 'step', not {shape!r}")
    x = float(value)
    if not np.isfinite(x):
        raise ScoringError("membership", "value", f"must be a finite number, got {value!r}")
    s = 1.0 if direction == "higher_better" else -1.0
    p = s * as_vector(anchors, "anchors", nonnegative=False)
    m = len(p)
    if m < 2 or np.any(np.diff(p) > 0):
        raise ScoringError(
            "membership",
            "anchors",
            f"need >= 2 anchors ordered from the best grade to the floor for {direction}, "
            f"got {list(anchors)}",
        )
    x *= s
    mu = np.zeros(m)
    if shape == "step":
        mu[next((k for k in range(m - 1) if x >= p[k]), m - 1)] = 1.0
        return mu
    if x >= p[0]:
        mu[0] = 1.0
        return mu
    for k in range(1, m):
        if x >= p[k]:  # p[k-1] > x >= p[k]
            t = (x - p[k]) / (p[k - 1] - p[k])
            mu[k - 1], mu[k] = t, 1.0 - t
            return mu
    mu[m - 1] = 1.0
    return mu


def indicator_membership(indicator: Indicator, value: float, shape: str = "linear") -> np.ndarray:
    """Membership of an indicator value (see :func:`membership`)."""
    return membership(value, indicator.anchors(), indicator.direction, shape)


def compose(weights: Sequence[float], relation: object, operator: str = "M(·,⊕)") -> np.ndarray:
    """Fuzzy composition ``B = A o R``.

    Parameters
    ----------
    weights : sequence of float
        The weight vector ``A`` (length n, nonnegative; :func:`fuzzy_evaluate` also
        requires it to sum to 1).
    relation : array-like, shape (n, m)
        The relation matrix ``R`` (memberships).
    operator : str
        One of :data:`OPERATORS` or an alias (see :func:`resolve_operator`).

    Returns
    -------
    numpy.ndarray
        ``B`` (length m), not normalised.
    """
    a = as_vector(weights, "weights")[:, None]
    r = _check_relation(relation)
    if r.shape[0] != a.shape[0]:
        raise ScoringError("relation", "", f"{r.shape[0]} rows do not match {a.shape[0]} weights")
    op = resolve_operator(operator)
    if op == "M(∧,∨)":
        return np.minimum(a, r).max(axis=0)
    if op == "M(·,∨)":
        return (a * r).max(axis=0)
    if op == "M(∧,⊕)":
        return np.minimum(1.0, np.minimum(a, r).sum(axis=0))
    return np.minimum(1.0, (a * r).sum(axis=0))


def _check_weights(weights: object) -> np.ndarray:
    w = as_vector(weights, "weights")
    if abs(w.sum() - 1.0) > 1e-6:
        raise ScoringError(
            "weights", "", f"must sum to 1, got {w.sum():.6g} (divide them by their sum first)"
        )
    return w


def _check_relation(relation: object) -> np.ndarray:
    r = as_matrix(relation, "relation")
    bad = ~np.isfinite(r) | (r < -1e-12) | (r > 1 + 1e-12)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ScoringError("relation", f"row {i + 1}", f"membership {r[i, j]:g} is not in [0, 1]")
    sums = r.sum(axis=1)
    off = np.flatnonzero(np.abs(sums - 1.0) > 1e-6)
    if off.size:
        i = int(off[0])
        raise ScoringError("relation", f"row {i + 1}", f"memberships sum to {sums[i]:.6g}, not 1")
    return r


def grade_names(m: int) -> tuple[str, ...]:
    """Default grade names: I/II/III/below for four grades, else G1..Gm."""
    return GRADES if m == len(GRADES) else tuple(f"G{k + 1}" for k in range(m))


def grade_from_score(
    score: float,
    grade_scores: Sequence[float] = DEFAULT_GRADE_SCORES,
    grades: Sequence[str] | None = None,
) -> str:
    """Grade of a 0-100 score: cut-offs at the midpoints between adjacent grade scores.

    With the default 95/85/70/50: I from 90, II from 77.5, III from 60, else below.
    """
    s = as_vector(grade_scores, "grade_scores", nonnegative=False)
    if len(s) < 2 or np.any(np.diff(s) >= 0):
        raise ScoringError(
            "grade_scores", "", f"need >= 2 strictly decreasing scores, got {list(s)}"
        )
    names = tuple(grades) if grades is not None else grade_names(len(s))
    if not np.isfinite(score):
        return ""
    cuts = [(s[k] + s[k + 1]) / 2.0 for k in range(len(s) - 1)]
    return next((names[k] for k in range(len(cuts)) if score >= cuts[k]), names[-1])


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
    grades: tuple[str, ...] = GRADES

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "membership": dict(zip(self.grades, map(float, self.b_normalised), strict=True)),
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
    grades: Sequence[str] | None = None,
) -> FCEResult:
    """One-level fuzzy comprehensive evaluation.

    Parameters
    ----------
    weights : sequence, mapping or Series
        Weights of the factors; a mapping/Series is aligned on ``relation``'s index when
        ``relation`` is a DataFrame.
    relation : array-like or pandas.DataFrame, shape (n, m)
        Memberships of each factor to m grades (rows in [0, 1] summing to 1).
    operator : str
        Composition operator (default ``M(·,⊕)``).
    grade_scores : sequence of m floats
        Scores of the grades for the 0-100 score, strictly decreasing.
    grades : sequence of m str, optional
        Grade names (default I/II/III/below for m = 4, else G1..Gm).

    Raises
    ------
    ScoringError
        For weights that are negative or do not sum to 1, invalid membership rows, or
        grade scores that do not match the relation's columns.

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
    b = compose(_check_weights(w), rel, op)
    m = b.shape[0]
    gs = as_vector(grade_scores, "grade_scores", nonnegative=False)
    names = tuple(grades) if grades is not None else grade_names(m)
    if len(gs) != m or len(names) != m:
        raise ScoringError(
            "grade_scores", "", f"{len(gs)} scores and {len(names)} names for {m} grades"
        )
    total = float(b.sum())
    bn = b / total if total > 0 else np.full_like(b, np.nan)
    score = float(bn @ gs) if total > 0 else float("nan")
    grade = names[int(np.argmax(b))] if total > 0 else ""
    return FCEResult(b, bn, score, grade, grade_from_score(score, gs, names), op, names)
