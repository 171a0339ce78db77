"""Delphi statistics: Kendall's W against scipy's Friedman test, screening, loading."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from symbio.errors import InputError
from symbio.scoring import (
    authority_coefficients,
    delphi_analysis,
    delphi_round_stats,
    kendall_w,
    load_delphi,
    screen_indicators,
)
from symbio.scoring.pipeline import default_paths


@settings(max_examples=60)
@given(
    st.tuples(st.integers(3, 12), st.integers(3, 10)).flatmap(
        lambda mn: arrays(np.int64, mn, elements=st.integers(1, 5))
    )
)
def test_kendall_w_equals_friedman_chi2_over_m_n_minus_1(scores):
    m, n = scores.shape
    if np.all(scores == scores[:, :1]):  # every rater ties all items: Friedman undefined
        return
    chi2_f, p_f = stats.friedmanchisquare(*scores.T)  # one argument per item, blocks = raters
    kw = kendall_w(scores)
    assert kw.w == pytest.approx(chi2_f / (m * (n - 1)), rel=1e-10, abs=1e-12)
    assert kw.chi2 == pytest.approx(chi2_f, rel=1e-10, abs=1e-10)
    assert kw.p_value == pytest.approx(p_f, rel=1e-8, abs=1e-12)
    assert kw.df == n - 1


def test_kendall_w_extremes_and_tie_correction():
    perfect = np.tile(np.arange(1, 7), (4, 1))
    assert kendall_w(perfect).w == pytest.approx(1.0)
    opposite = np.array([[1, 2, 3, 4], [4, 3, 2, 1]])
    assert kendall_w(opposite).w == pytest.approx(0.0)
    tied = np.array([[5, 5, 4, 3], [5, 4, 4, 2], [4, 4, 3, 3]])
    assert kendall_w(tied).w > kendall_w(tied, ties=False).w  # correction raises W with ties


def test_kendall_w_hand_example():
    # 3 raters, 4 items, no ties: rank sums 4, 7, 8, 11 -> S = 25, W = 12*25 / (9*60) = 0.5556
    r = np.array([[1, 2, 3, 4], [2, 1, 3, 4], [1, 4, 2, 3]])
    kw = kendall_w(r)
    assert kw.w == pytest.approx(12 * 25 / (9 * 60))
    assert kw.chi2 == pytest.approx(3 * 3 * kw.w)
    assert kw.p_value == pytest.approx(stats.chi2.sf(kw.chi2, 3))


def test_round_stats_and_authority():
    scores = pd.DataFrame(
        {
            "expert": ["a", "b", "c", "d"] * 2,
            "indicator": ["x"] * 4 + ["y"] * 4,
            "score": [5, 5, 4, 4, 3, 2, 3, 4],
        }
    )
    st_ = delphi_round_stats(scores)
    assert st_.loc["x", "mean"] == pytest.approx(4.5)
    assert st_.loc["x", "full_score_freq"] == pytest.approx(0.5)
    assert st_.loc["x", "sd"] == pytest.approx(np.std([5, 5, 4, 4], ddof=1))
    assert st_.loc["y", "cv"] == pytest.approx(np.std([3, 2, 3, 4], ddof=1) / 3)
    assert st_["rank_sum"].sum() == pytest.approx(4 * 3)  # 4 experts x (1 + 2)
    auth = authority_coefficients(pd.DataFrame({"expert": ["a"], "ca": [0.9], "cs": [0.8]}))
    assert auth.loc[0, "cr"] == pytest.approx(0.85)


def test_screening_rules():
    st_ = pd.DataFrame(
        {
            "mean": [4.5, 3.2, 4.0, 4.4],
            "cv": [0.1, 0.1, 0.3, 0.12],
            "full_score_freq": [0.6, 0.1, 0.3, 0.5],
        },
        index=["keep", "low_mean", "high_cv", "keep2"],
    )
    thr = screen_indicators(st_)
    assert thr["retained"].to_dict() == {
        "keep": True,
        "low_mean": False,
        "high_cv": False,
        "keep2": True,
    }
    loose = screen_indicators(st_, min_mean=3.0, max_cv=0.5)
    assert loose["retained"].all()
    # 界值法: mean cut 4.025 - 0.591 = 3.434, K cut 0.375 - 0.222 = 0.153, CV cut 0.155 + 0.097 = 0.252
    bnd = screen_indicators(st_, rule="boundary")
    assert bnd["retained"].to_dict() == {
        "keep": True,
        "low_mean": False,
        "high_cv": False,
        "keep2": True,
    }
    with pytest.raises(ValueError, match="screening rule"):
        screen_indicators(st_, rule="vote")


def test_bundled_illustrative_sheet():
    scores, experts = load_delphi(default_paths()["delphi"])
    assert scores["expert"].nunique() == 15 and sorted(scores["round"].unique()) == [1, 2]
    res = delphi_analysis(scores, experts)
    conc = res.concordance.set_index("round")
    assert conc.loc[2, "w"] > conc.loc[1, "w"]
    assert (conc["p_value"] < 0.05).all()
    assert conc.loc[2, "positive_coefficient"] == pytest.approx(14 / 15)
    assert {"renewable_share", "noise_compliance_rate", "green_factory_share"}.isdisjoint(
        res.retained
    )
    assert "energy_intensity" in res.retained
    assert res.authority["cr"].mean() >= 0.7
    assert res.convergence.loc[0, "delta_w"] == pytest.approx(conc.loc[2, "w"] - conc.loc[1, "w"])
    assert res.method["rule"] == "threshold" and res.method["min_mean"] == 3.5


def test_load_delphi_errors_name_file_and_field(tmp_path):
    bad = tmp_path / "d.csv"
    bad.write_text("round,expert,indicator\n1,a,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"d\.csv: score: missing column"):
        load_delphi(bad)
    bad.write_text("round,expert,indicator,score\n1,a,x,five\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 1\.score: expected a number"):
        load_delphi(bad)
    bad.write_text("round,expert,indicator,score\n1,a,x,5\n1,a,x,4\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate score"):
        load_delphi(bad)
    ok = tmp_path / "e.csv"
    ok.write_text("round,expert,indicator,score\n1,a,x,5\n", encoding="utf-8")
    (tmp_path / "e_experts.csv").write_text("expert,ca,cs\na,1.4,0.8\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"e_experts\.csv: row 1\.ca"):
        load_delphi(ok)


def test_load_delphi_yaml(tmp_path):
    p = tmp_path / "d.yaml"
    p.write_text(
        "experts: [{id: a, ca: 0.9, cs: 0.8}]\nscores:\n  - {round: 1, expert: a, indicator: x, score: 4}\n",
        encoding="utf-8",
    )
    scores, experts = load_delphi(p)
    assert len(scores) == 1 and experts.loc[0, "ca"] == 0.9
