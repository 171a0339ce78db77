"""Composite index of the national cleaner-production indicator-system rules.

《清洁生产评价指标体系编制通则》(试行稿, NDRC/MEP/MIIT, 2013):

- membership ``Y_g(x) = 100`` if the value meets the level-g benchmark, else ``0``
  (meeting I implies meeting II and III);
- index ``Y_g = sum_i w_i sum_j omega_ij Y_g(x_ij)`` with first-level weights ``w_i`` and
  second-level weights ``omega_ij``, each re-normalised over the indicators that apply
  (here: that are available) -- see :func:`effective_weights`;
- rating, evaluated top-down:
  I if ``Y_I >= 85`` and every limiting (限定性) indicator meets I;
  II if ``Y_II >= 85`` and every limiting indicator meets II;
  III if ``Y_III = 100``; otherwise below III.

The quirk: read literally, II (or I) can be granted while a *non-limiting* indicator is
below level III, since up to 15 % of the weight may fail. ``rule="literal"`` (default)
applies the text as written and lists such indicators in ``below_iii``; ``rule="strict"``
additionally requires ``Y_III = 100`` (every indicator at least III) for I and II.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from symbio.scoring.errors import ScoringError
from symbio.scoring.indicators import IndicatorLibrary

__all__ = ["COMPOSITE_RULES", "CompositeResult", "composite_index", "effective_weights"]

COMPOSITE_RULES = ("literal", "strict")


def effective_weights(
    area_weights: Mapping[str, float],
    local_weights: Mapping[str, float],
    area_of: Mapping[str, str],
    available: set[str] | list[str],
) -> dict[str, float]:
    """Global weights over the available indicators, re-normalised at both levels.

    Local weights are re-normalised within each area over its available indicators, and
    area weights over the areas that keep at least one available indicator (the 通则's
    treatment of non-applicable indicators).

    Parameters
    ----------
    area_weights : mapping
        First-level weights ``w_i`` by area.
    local_weights : mapping
        Second-level weights ``omega_ij`` by indicator (within its area).
    area_of : mapping
        Area of each indicator.
    available : set of str
        Indicators with a value.

    Returns
    -------
    dict
        Indicator -> ``w_i' * omega_ij'``; sums to 1 (empty if nothing is available).
    """
    avail = [i for i in local_weights if i in set(available)]
    by_area: dict[str, list[str]] = {}
    for ind in avail:
        by_area.setdefault(area_of[ind], []).append(ind)
    area_total = sum(float(area_weights.get(a, 0.0)) for a in by_area)
    out: dict[str, float] = {}
    for area, inds in by_area.items():
        local_total = sum(float(local_weights[i]) for i in inds)
        if area_total <= 0 or local_total <= 0:
            continue
        for ind in inds:
            out[ind] = (
                float(area_weights.get(area, 0.0))
                / area_total
                * float(local_weights[ind])
                / local_total
            )
    return out


def _within_areas(
    weights: Mapping[str, float], library: IndicatorLibrary, ids: list[str], avail: list[str]
) -> dict[str, float]:
    """Effective weights of ``avail`` from global weights, re-normalised within areas."""
    for i in ids:
        w = float(weights[i])
        if not np.isfinite(w) or w < 0:
            raise ScoringError("weights", i, f"must be a nonnegative number, got {weights[i]!r}")
    area_of = {i: library[i].area for i in ids}
    area_w: dict[str, float] = {}
    for i in ids:
        area_w[area_of[i]] = area_w.get(area_of[i], 0.0) + float(weights[i])
    local = {
        i: float(weights[i]) / area_w[area_of[i]] if area_w[area_of[i]] > 0 else 0.0 for i in ids
    }
    return effective_weights(area_w, local, area_of, set(avail))


@dataclass(frozen=True)
class CompositeResult:
    """The composite indices and the rating.

    Attributes
    ----------
    y : dict
        ``{"I": Y_I, "II": Y_II, "III": Y_III}`` on 0-100.
    rating : str
        ``I``, ``II``, ``III`` or ``below``; empty when no indicator is available.
    rule : str
        ``literal`` or ``strict``.
    limiting_failures : dict
        For I and II, the limiting indicators that do not meet that level.
    below_iii : list of str
        Available indicators below level III (non-empty with rating I/II only under
        ``literal``: the quirk made visible).
    excluded : list of str
        Indicators without a value, excluded with weights re-normalised.
    """

    y: dict[str, float]
    rating: str
    rule: str
    limiting_failures: dict[str, list[str]] = field(default_factory=dict)
    below_iii: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    pass_score: float = 85.0

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "Y_I": self.y["I"],
            "Y_II": self.y["II"],
            "Y_III": self.y["III"],
            "rating": self.rating,
            "rule": self.rule,
            "pass_score": self.pass_score,
            "limiting_failures": self.limiting_failures,
            "below_iii": self.below_iii,
            "excluded": self.excluded,
        }


def composite_index(
    values: Mapping[str, float],
    library: IndicatorLibrary,
    weights: Mapping[str, float],
    *,
    rule: str = "literal",
    pass_score: float = 85.0,
) -> CompositeResult:
    """Compute ``Y_I, Y_II, Y_III`` and the rating.

    Parameters
    ----------
    values : mapping
        Indicator values (NaN or absent = not available).
    library : IndicatorLibrary
        For benchmarks, directions and the limiting flags.
    weights : mapping
        Global weights of the indicators (area weight x local weight). Unavailable
        indicators are dropped with the 通则's two-level re-normalisation: an area's
        weight is the sum of its indicators' global weights, local weights are
        re-normalised within the area over its available indicators, then area weights
        over the areas that keep one (:func:`effective_weights`). Weights that already
        are effective weights come back unchanged.
    rule : {"literal", "strict"}
        See the module docstring.
    pass_score : float
        The 85 of the rating rule.

    Returns
    -------
    CompositeResult

    Examples
    --------
    The quirk: 90 % of the weight at level II, one non-limiting indicator below III.

    >>> from symbio.scoring.indicators import IndicatorLibrary, Indicator, Benchmark
    >>> from symbio.scoring.expr import parse_expression
    >>> def ind(i, lim):
    ...     b = {g: Benchmark(v, "estimate: test") for g, v in zip(("I", "II", "III"), (3, 2, 1))}
    ...     return Indicator(i, i, i, "cp_management", "-", "higher_better", ("park",), lim,
    ...                      parse_expression("x"), b, "test")
    >>> lib = IndicatorLibrary((ind("a", True), ind("b", False)))
    >>> composite_index({"a": 2, "b": 0}, lib, {"a": 0.9, "b": 0.1}).rating
    'II'
    >>> composite_index({"a": 2, "b": 0}, lib, {"a": 0.9, "b": 0.1}, rule="strict").rating
    'below'
    """
    # Long: the docstring documents parameters and the re-normalisation (40 lines); the code is 30.
    if rule not in COMPOSITE_RULES:
        raise ScoringError(
            "composite_index",
            "rule",
            f"composite rule must be one of {COMPOSITE_RULES}, not {rule!r}",
        )
    ids = [i for i in weights if i in library]
    avail = [i for i in ids if i in values and values[i] is not None and np.isfinite(values[i])]
    excluded = [i for i in ids if i not in avail]
    eff = _within_areas(weights, library, ids, avail)
    total = sum(eff.values())
    y: dict[str, float] = {}
    for g in ("I", "II", "III"):
        met = sum(eff[i] for i in avail if library[i].meets(values[i], g))
        y[g] = 100.0 * met / total if total > 0 else float("nan")
    limiting = [i for i in avail if library[i].limiting]
    failures = {g: [i for i in limiting if not library[i].meets(values[i], g)] for g in ("I", "II")}
    below = [i for i in avail if not library[i].meets(values[i], "III")]
    all_iii = np.isclose(y["III"], 100.0) if total > 0 else False
    eps = 1e-9
    rating = "below" if total > 0 else ""  # "" = not rated: no indicator available
    if total > 0:
        strict_ok = all_iii or rule == "literal"
        if y["I"] >= pass_score - eps and not failures["I"] and strict_ok:
            rating = "I"
        elif y["II"] >= pass_score - eps and not failures["II"] and strict_ok:
            rating = "II"
        elif all_iii:
            rating = "III"
    return CompositeResult(y, rating, rule, failures, below, excluded, pass_score)
