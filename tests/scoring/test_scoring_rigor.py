"""Issue 18: published tables right, bad input named, no silent nonsense (one test per finding)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from symbio.errors import InputError
from symbio.scoring import (
    aggregate_aij,
    ahp_weights,
    composite_index,
    fuzzy_ahp_buckley,
    fuzzy_evaluate,
    kendall_w,
    membership,
    random_index,
    repair_consistency,
    score_result,
    tapio_state,
)
from symbio.scoring.errors import ScoringError
from symbio.scoring.expr import parse_expression
from symbio.scoring.indicators import Benchmark, Indicator, IndicatorLibrary
from symbio.scoring.weightset import WeightSet, check_against_library

#: AHPy README (Griffith), a 4x4 example computed with the Donegan & Dodd (1991) table:
#: weights a 0.3742, b 0.3917, c 0.0991, d 0.1349 and CR 0.0372.
AHPY_4 = [[1, 1, 5, 2], [1, 1, 3, 4], [1 / 5, 1 / 3, 1, 3 / 4], [1 / 2, 1 / 4, 4 / 3, 1]]


# -- published tables --------------------------------------------------------------------
def test_donegan_dodd_ri_reproduces_a_published_cr_at_n4():
    r = ahp_weights(AHPY_4, list("abcd"), ri_table="donegan_dodd1991")
    assert r.weights.round(4).tolist() == [0.3742, 0.3917, 0.0991, 0.1349]
    assert round(r.cr, 4) == 0.0372  # with the old RI(4) = 0.8045 it was 0.0383


def test_donegan_dodd_ri_small_orders_match_the_paper():
    # Donegan & Dodd (1991) Math. Comput. Modelling 15(10):135, as reproduced by AHPy
    assert random_index(3, "donegan_dodd1991") == 0.4914
    assert random_index(4, "donegan_dodd1991") == 0.8286
    assert random_index(16, "donegan_dodd1991") == 1.5078


def test_alonso_lamata_table():
    # Alonso & Lamata (2006) Int. J. Uncertain. Fuzz. 14(4):445, 100 000 matrices per order
    assert [random_index(n, "alonso_lamata2006") for n in (3, 4, 5, 15)] == [
        0.5245,
        0.8815,
        1.1086,
        1.5838,
    ]


# -- the caller's data is left alone -----------------------------------------------------
def test_repair_does_not_rewrite_the_callers_array(house):
    a = np.array(house, dtype=float)
    before = a.copy()
    res = repair_consistency(a, method="iterative")
    assert res.final_cr < res.original_cr
    np.testing.assert_array_equal(a, before)


# -- n = 16 ------------------------------------------------------------------------------
def test_n16_beyond_table_is_a_named_error_or_skipped():
    m = np.ones((16, 16))
    with pytest.raises(ScoringError, match=r"n = 16.*donegan_dodd1991") as exc:
        ahp_weights(m)
    assert isinstance(exc.value, InputError)  # the CLI prints it and exits 2
    skipped = ahp_weights(m, beyond="skip")
    assert np.isnan(skipped.cr) and skipped.gci == 0.0 and skipped.consistent
    assert ahp_weights(m, ri_table="donegan_dodd1991").cr == pytest.approx(0.0, abs=1e-9)


# -- inputs that raised raw numpy errors -------------------------------------------------
def test_buckley_with_nan_names_the_cell():
    lo = [[1, np.nan], [1, 1]]
    with pytest.raises(ScoringError, match=r"\[1,2\]"):
        fuzzy_ahp_buckley(lo, [[1, 1], [1, 1]], [[1, 1], [1, 1]])


@pytest.mark.parametrize("m", [3, 5])
def test_fce_with_three_or_five_grades(m):
    rel = np.eye(m)[[0, m - 1]]  # one factor at the best grade, one at the worst
    scores = np.linspace(100, 0, m)
    r = fuzzy_evaluate([0.5, 0.5], rel, grade_scores=scores)
    assert r.score == pytest.approx(50.0)
    assert len(r.b) == m and r.grades[0] == "G1"
    assert membership(5, np.linspace(10, 0, m)).shape == (m,)


def test_ragged_rows_name_the_row():
    with pytest.raises(ScoringError, match="row 2"):
        ahp_weights([[1, 2, 3], [1 / 2, 1], [1 / 3, 1, 1]])


def test_fraction_text_is_read():
    r = ahp_weights([[1, "3"], ["1/3", 1]])
    assert r.weights.tolist() == pytest.approx([0.75, 0.25])


# -- silent nonsense ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bad", "fragment"),
    [(0.0, "positive"), (-3.0, "positive"), (3.0, "not reciprocal")],
)
def test_aggregate_aij_rejects_zero_negative_and_non_reciprocal(bad, fragment):
    good = [[1, 2], [1 / 2, 1]]
    wrong = [[1, bad], [1 / 2 if bad == 3.0 else 1, 1]]
    with pytest.raises(ScoringError, match=rf"expert 2.*{fragment}"):
        aggregate_aij([good, wrong])


def test_fce_weights_must_sum_to_one():
    rel = [[1, 0, 0, 0], [0, 0, 0, 1]]
    with pytest.raises(ScoringError, match="sum to 1"):
        fuzzy_evaluate([2, 3], rel, "M(∧,⊕)")
    # the normalised answer, which the clipped (1, 0, 0, 1) used to hide behind grade I
    assert fuzzy_evaluate([0.4, 0.6], rel, "M(∧,⊕)").grade_max_membership == "below"


def test_fce_rejects_negative_weights_and_bad_memberships():
    with pytest.raises(ScoringError, match="nonnegative"):
        fuzzy_evaluate([1.5, -0.5], [[1, 0, 0, 0], [0, 1, 0, 0]])
    with pytest.raises(ScoringError, match="row 2.*sum to 0.5"):
        fuzzy_evaluate([0.5, 0.5], [[1, 0, 0, 0], [0.5, 0, 0, 0]])
    with pytest.raises(ScoringError, match="not in"):
        fuzzy_evaluate([0.5, 0.5], [[1, 0, 0, 0], [1.5, -0.5, 0, 0]])


def test_membership_rejects_nan_typo_direction_and_unordered_anchors():
    with pytest.raises(ScoringError, match="finite"):
        membership(float("nan"), (95, 85, 75, 65))
    with pytest.raises(ScoringError, match="higher"):
        membership(80, (95, 85, 75, 65), "higher")
    with pytest.raises(ScoringError, match="ordered"):
        membership(80, (85, 95, 75, 65))


def test_tapio_rejects_nan_and_reversed_boundaries():
    with pytest.raises(ScoringError, match="c1"):
        tapio_state(100, 110, 50, float("nan"))
    with pytest.raises(ScoringError, match="boundaries"):
        tapio_state(100, 110, 50, 55, boundaries=(1.2, 0.8))


def test_kendall_w_all_tied_is_undefined_not_perfect():
    k = kendall_w(np.full((4, 5), 3.0))
    assert np.isnan(k.w) and np.isnan(k.p_value)


def test_ahp_weights_checks_the_scale():
    with pytest.raises(ScoringError, match="outside the scale"):
        ahp_weights([[1, 12], [1 / 12, 1]])
    assert ahp_weights([[1, 12], [1 / 12, 1]], scale=None).weights.iloc[0] == pytest.approx(12 / 13)


def _ind(i: str, area: str) -> Indicator:
    b = {
        g: Benchmark(v, "estimate: test")
        for g, v in zip(("I", "II", "III"), (3, 2, 1), strict=True)
    }
    return Indicator(
        i, i, i, area, "-", "higher_better", ("park",), False, parse_expression("x"), b, "test"
    )


LIB = IndicatorLibrary(
    (_ind("a1", "carbon_emissions"), _ind("a2", "carbon_emissions"), _ind("b1", "cp_management"))
)


def _wset(area_weights, local, area_of) -> WeightSet:
    return WeightSet(area_weights, local, area_of, pd.DataFrame(), method={"source": "w.yaml"})


def test_weights_matching_no_area_is_an_error():
    w = _wset({"carbon": 1.0}, {"x": 1.0}, {"x": "carbon"})
    with pytest.raises(ScoringError, match=r"w\.yaml.*unknown area"):
        check_against_library(w, LIB)
    w = _wset({"carbon_emissions": 1.0}, {"x": 1.0}, {"x": "carbon_emissions"})
    with pytest.raises(ScoringError, match="no indicator of the library"):
        check_against_library(w, LIB)


def test_indicator_in_another_area_than_the_library_is_an_error():
    w = _wset(
        {"carbon_emissions": 0.5, "cp_management": 0.5},
        {"a1": 0.5, "a2": 0.5, "b1": 1.0},
        {"a1": "cp_management", "a2": "carbon_emissions", "b1": "cp_management"},
    )
    with pytest.raises(ScoringError, match="a1.*'carbon_emissions' in the indicator library"):
        check_against_library(w, LIB)


def test_composite_index_renormalises_within_areas():
    # areas 0.5 / 0.5; a2 missing: a1 takes its area's whole 0.5 (not 0.25 / 0.75 = 1/3)
    w = {"a1": 0.25, "a2": 0.25, "b1": 0.5}
    r = composite_index({"a1": 3, "b1": 0}, LIB, w)
    assert r.y["I"] == pytest.approx(50.0)


def test_pipeline_rejects_weights_for_no_library_indicator(tmp_path):
    w = tmp_path / "w.csv"
    w.write_text("parent,element,weight\ngoal,carbon,1\ncarbon,co2,1\n", encoding="utf-8")
    with pytest.raises(ScoringError, match="unknown area"):
        score_result({"co2_t": 1.0}, weights=w, delphi=False)
