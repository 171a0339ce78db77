"""Composite index of the 2013 通则 and the chosen reading of its rating quirk."""

from __future__ import annotations

import pytest

from symbio.scoring import composite_index, effective_weights, parse_expression
from symbio.scoring.indicators import Benchmark, Indicator, IndicatorLibrary


def _ind(ind_id: str, limiting: bool = False, area: str = "cp_management") -> Indicator:
    bench = {
        g: Benchmark(v, "estimate: test")
        for g, v in zip(("I", "II", "III"), (3.0, 2.0, 1.0), strict=True)
    }
    return Indicator(
        ind_id,
        ind_id,
        ind_id,
        area,
        "-",
        "higher_better",
        ("park",),
        limiting,
        parse_expression(ind_id),
        bench,
        "test",
    )


LIB = IndicatorLibrary((_ind("lim", True), _ind("a"), _ind("b"), _ind("c")))
W = {"lim": 0.4, "a": 0.3, "b": 0.2, "c": 0.1}


def test_indices_and_cumulative_membership():
    r = composite_index({"lim": 3, "a": 3, "b": 2, "c": 1}, LIB, W)
    # Y_I: lim + a = 70; Y_II: + b = 90; Y_III: all = 100
    assert r.y == pytest.approx({"I": 70.0, "II": 90.0, "III": 100.0})
    assert r.rating == "II"


def test_rating_I_needs_limiting_at_I():
    vals = {"lim": 2, "a": 3, "b": 3, "c": 3}  # Y_I = 60 -> not I anyway
    assert composite_index(vals, LIB, W).rating == "II"
    w = {"lim": 0.1, "a": 0.4, "b": 0.3, "c": 0.2}  # Y_I = 90 but the limiting one is only at II
    r = composite_index(vals, LIB, w)
    assert r.y["I"] == pytest.approx(90.0)
    assert r.rating == "II" and r.limiting_failures["I"] == ["lim"]


def test_rating_III_needs_everything_at_III():
    r = composite_index({"lim": 1, "a": 1, "b": 1, "c": 1}, LIB, W)
    assert (r.y["III"], r.rating) == (100.0, "III")
    r = composite_index({"lim": 1, "a": 1, "b": 1, "c": 0.5}, LIB, W)
    assert r.rating == "below" and r.below_iii == ["c"]


def test_quirk_literal_grants_II_with_an_indicator_below_III():
    vals = {"lim": 2, "a": 2, "b": 2, "c": 0}  # c (weight 0.1, non-limiting) below III
    lit = composite_index(vals, LIB, W, rule="literal")
    assert lit.y["II"] == pytest.approx(90.0) and lit.y["III"] == pytest.approx(90.0)
    assert lit.rating == "II"  # the text as written: Y_II >= 85, limiting at II
    assert lit.below_iii == ["c"]  # ... and the quirk is made visible
    strict = composite_index(vals, LIB, W, rule="strict")
    assert strict.rating == "below"  # not even III: Y_III < 100


def test_quirk_limiting_indicator_below_III_blocks_everything():
    r = composite_index(
        {"lim": 0, "a": 3, "b": 3, "c": 3}, LIB, {"lim": 0.1, "a": 0.3, "b": 0.3, "c": 0.3}
    )
    assert r.y["I"] == pytest.approx(90.0)
    assert r.rating == "below"


def test_unavailable_indicators_are_excluded_and_renormalised():
    r = composite_index({"lim": 3, "a": 3, "b": float("nan")}, LIB, W)
    assert r.excluded == ["b", "c"]
    assert r.y["I"] == pytest.approx(100.0)
    assert r.rating == "I"


def test_effective_weights_two_stage_renormalisation():
    area_w = {"x": 0.6, "y": 0.4}
    local = {"x1": 0.5, "x2": 0.5, "y1": 0.25, "y2": 0.75}
    area_of = {"x1": "x", "x2": "x", "y1": "y", "y2": "y"}
    full = effective_weights(area_w, local, area_of, set(local))
    assert full == pytest.approx({"x1": 0.3, "x2": 0.3, "y1": 0.1, "y2": 0.3})
    part = effective_weights(area_w, local, area_of, {"x1", "y1"})
    # within-area re-normalisation keeps the area weights: x1 takes all of x, y1 all of y
    assert part == pytest.approx({"x1": 0.6, "y1": 0.4})
    only_x = effective_weights(area_w, local, area_of, {"x2"})
    assert only_x == pytest.approx({"x2": 1.0})
    assert effective_weights(area_w, local, area_of, set()) == {}


def test_rejects_unknown_rule():
    with pytest.raises(ValueError, match="composite rule"):
        composite_index({}, LIB, W, rule="lenient")
