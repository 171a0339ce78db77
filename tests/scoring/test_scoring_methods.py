"""Issue 18: methods an evaluator expects, each against a hand derivation or a published case."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from symbio.scoring.ahp import ahp_weights
from symbio.scoring.consistency import cr_threshold, gci, gci_threshold
from symbio.scoring.errors import ScoringError
from symbio.scoring.explain import area_fixed_reason, grading_rule
from symbio.scoring.fuzzy import fuzzy_evaluate, grade_from_score, membership
from symbio.scoring.fuzzy_ahp import fuzzy_ahp_buckley, fuzzy_ahp_chang
from symbio.scoring.objective_weights import combine_weights, critic_weights, entropy_weights


# -- GCI ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("a12", "a13", "a23"), [(2, 8, 2), (3, 5, 1 / 2), (1 / 4, 7, 9)])
def test_gci_of_order_three_is_delta_squared_over_three(a12, a13, a23):
    # RGMM errors of a 3x3 matrix are all +-delta/3, delta = log(a12 a23 / a13), and the
    # factor 2/((n-1)(n-2)) is 1: GCI = 3 (delta/3)^2 = delta^2 / 3
    m = [[1, a12, a13], [1 / a12, 1, a23], [1 / a13, 1 / a23, 1]]
    delta = math.log(a12 * a23 / a13)
    assert gci(m) == pytest.approx(delta**2 / 3)


def test_gci_zero_when_consistent_and_paired_with_geometric_mean_weights():
    w = np.array([0.5, 0.3, 0.15, 0.05])
    r = ahp_weights(w[:, None] / w[None, :], method="geometric_mean", scale=None)
    assert r.gci == pytest.approx(0.0, abs=1e-12)
    assert r.weights.to_numpy() == pytest.approx(w)


def test_gci_thresholds_by_order():
    # Aguarón & Moreno-Jiménez (2003) EJOR 147:137
    assert [gci_threshold(n) for n in (2, 3, 4, 5, 9)] == [0.0, 0.31, 0.35, 0.37, 0.37]
    assert (
        ahp_weights([[1, 2, 8], [1 / 2, 1, 2], [1 / 8, 1 / 2, 1]]).as_dict()["gci_threshold"]
        == 0.31
    )


# -- Saaty's CR thresholds by size -------------------------------------------------------
def test_saaty_thresholds_by_size_decide_consistency():
    # Saaty (1990) EJOR 48:9, financing matrix of three houses: CR 0.056 (Saaty 1980 RI)
    m = [[1, 1 / 7, 1 / 5], [7, 1, 3], [5, 1 / 3, 1]]
    fixed, by_size = ahp_weights(m), ahp_weights(m, threshold="saaty_by_size")
    assert round(fixed.cr, 3) == 0.056
    assert fixed.consistent and not by_size.consistent and by_size.threshold == 0.05
    assert [cr_threshold(n, "saaty_by_size") for n in (3, 4, 5, 12)] == [0.05, 0.08, 0.10, 0.10]
    with pytest.raises(ScoringError):
        cr_threshold(3, "lenient")


# -- FCE with any number of grades -------------------------------------------------------
def test_three_grade_fce_by_hand():
    # anchors 90/70/50 (good/fair/poor); 80 is half good, half fair; 40 is poor
    r1, r2 = membership(80, (90, 70, 50)), membership(40, (90, 70, 50))
    assert r1.tolist() == [0.5, 0.5, 0.0] and r2.tolist() == [0.0, 0.0, 1.0]
    res = fuzzy_evaluate(
        [0.6, 0.4], [r1, r2], grade_scores=(90, 70, 50), grades=("good", "fair", "poor")
    )
    # b = (0.3, 0.3, 0.4): S = 27 + 21 + 20 = 68; cut-offs 80 and 60 -> fair
    assert res.b.tolist() == pytest.approx([0.3, 0.3, 0.4])
    assert res.score == pytest.approx(68.0)
    assert (res.grade_by_score, res.grade_max_membership) == ("fair", "poor")
    assert grade_from_score(85, (90, 70, 50), ("good", "fair", "poor")) == "good"


# -- objective weights -------------------------------------------------------------------
def test_entropy_weights_by_hand():
    df = pd.DataFrame({"a": [1, 2, 3], "b": [1, 1, 3], "c": [5, 5, 5]})
    w = entropy_weights(df, dict.fromkeys("abc", "higher_better"))
    # a: x' = (0, .5, 1), p = (0, 1/3, 2/3), e = -(p ln p)/ln 3; b: p = (0, 0, 1), e = 0
    e_a = -(1 / 3 * math.log(1 / 3) + 2 / 3 * math.log(2 / 3)) / math.log(3)
    d = np.array([1 - e_a, 1.0, 0.0])  # c is constant: no information
    assert w.to_numpy() == pytest.approx(d / d.sum())


def test_entropy_weights_direction():
    df = pd.DataFrame({"cost": [3, 2, 1], "gain": [1, 2, 3]})
    w = entropy_weights(df, {"cost": "lower_better", "gain": "higher_better"})
    assert w["cost"] == pytest.approx(w["gain"])  # mirror images carry the same information


def test_critic_weights_by_hand():
    # sigma equal (0.5 each); r_ab = 1, r_ac = r_bc = -0.5: C = (.75, .75, 1.5)
    df = pd.DataFrame({"a": [0, 0.5, 1], "b": [0, 0.5, 1], "c": [1, 0, 0.5]})
    w = critic_weights(df, dict.fromkeys("abc", "higher_better"))
    assert w.tolist() == pytest.approx([0.25, 0.25, 0.5])


def test_combination_with_ahp_weights():
    ahp = {"a": 0.6, "b": 0.4}
    obj = {"a": 0.25, "b": 0.75}
    assert combine_weights(ahp, obj).tolist() == pytest.approx([0.15 / 0.45, 0.30 / 0.45])
    assert combine_weights(ahp, obj, "linear", 0.7).tolist() == pytest.approx([0.495, 0.505])
    with pytest.raises(ScoringError, match="indicators differ"):
        combine_weights(ahp, {"a": 1.0})


def test_objective_weights_reject_missing_values():
    with pytest.raises(ScoringError, match=r"\[1, a\]"):
        entropy_weights(pd.DataFrame({"a": [1, None, 3]}), {"a": "higher_better"})


# -- Chang's extent analysis -------------------------------------------------------------
def test_chang_by_hand():
    # S1 = (1/3, 2/3, 1.2), S2 = (2/9, 1/3, 0.6); V(S2 >= S1) = (1/3 - 0.6) / ((1/3 - 0.6) - (2/3 - 1/3)) = 4/9
    r = fuzzy_ahp_chang([[1, 1], [1 / 3, 1]], [[1, 2], [1 / 2, 1]], [[1, 3], [1, 1]])
    assert r.synthetic_extents.loc["1"].tolist() == pytest.approx([1 / 3, 2 / 3, 1.2])
    assert r.weights.tolist() == pytest.approx([1 / (1 + 4 / 9), (4 / 9) / (1 + 4 / 9)])


def test_chang_warns_about_zero_weights():
    # a strongly dominated element gets exactly zero (Wang, Luo & Hua 2008); Buckley does not
    lo, mid, up = [[1, 5], [1 / 7, 1]], [[1, 6], [1 / 6, 1]], [[1, 7], [1 / 5, 1]]
    with pytest.warns(UserWarning, match="zero weight"):
        r = fuzzy_ahp_chang(lo, mid, up, ["a", "b"])
    assert r.zero_weights == ["b"] and r.weights["b"] == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fuzzy_ahp_buckley(lo, mid, up).weights.min() > 0


# -- explanations ------------------------------------------------------------------------
def test_grading_rule_sentence_states_the_cut_offs():
    rule = grading_rule((95, 85, 70, 50), ("I", "II", "III", "below"))
    assert "I from 90, II from 77.5, III from 60" in rule["en"]
    assert "Ⅲ 级 ≥ 60" in rule["zh"]


def test_area_fixed_reason_names_the_anchor_and_the_missing_input(library):
    rows = pd.DataFrame(
        [
            {"indicator": "co2_intensity", "value": 2.0, "available": True, "reason": "",
             "mu_I": 0.0, "mu_II": 0.0, "mu_III": 0.0, "mu_below": 1.0},
            {"indicator": "co2_intensity_reduction_rate", "value": np.nan, "available": False,
             "reason": "KPI 'ts_co2_intensity_reduction_pct' missing"},
        ]
    )  # fmt: skip
    why = area_fixed_reason(rows, library)
    b3 = library["co2_intensity"].anchors()[3]
    assert f"beyond the floor (extrapolated III + (III - II)) {b3:.4g}" in why
    assert f"fall {(2.0 - b3) / 2.0 * 100:.1f}%" in why
    assert "ts_co2_intensity_reduction_pct" in why
    rows.loc[0, ["mu_III", "mu_below"]] = [0.5, 0.5]
    assert area_fixed_reason(rows, library) == ""
