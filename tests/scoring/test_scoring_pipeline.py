"""score_result end to end: levels, availability, method record, monotonicity, writing."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbio.errors import InputError
from symbio.scoring import GRADES, fuzzy_evaluate, parse_expression, score_result, write_scores
from symbio.scoring.indicators import IndicatorLibrary


def test_three_levels_two_cases(result_dir):
    s = score_result(result_dir)
    ov = s.overall.set_index(["level", "entity", "case"])
    assert {("park", "park", "optimized"), ("park", "park", "baseline")} <= set(ov.index)
    assert ("network", "network", "optimized") in ov.index
    assert {("enterprise", "secco", "optimized"), ("enterprise", "huasheng", "optimized")} <= set(
        ov.index
    )
    park = s.grade("park", "optimized")
    assert 0 <= park["score"] <= 100 and park["grade_by_score"] in GRADES
    assert park["composite_rating"] in GRADES
    # the optimized network recovers heat and uses more by-products than the baseline
    assert (
        ov.loc[("network", "network", "optimized"), "score"]
        > ov.loc[("network", "network", "baseline"), "score"]
    )
    ent = s.indicators[
        (s.indicators["level"] == "enterprise") & (s.indicators["entity"] == "secco")
    ]
    avail = ent[ent["available"]]
    assert set(avail["indicator"]) == {"waste_heat_recovery_rate", "non_fossil_share"}
    assert avail["weight"].sum() == pytest.approx(1.0)


def test_method_record_and_illustrative_weights(result_dir):
    s = score_result(result_dir)
    m = s.method
    assert m["weights"]["illustrative"] is True
    assert (
        m["weights"]["aggregation"].startswith("AIJ")
        and m["weights"]["weight_method"] == "eigenvector"
    )
    assert m["fuzzy"]["operator"] == "M(·,⊕)"
    assert m["composite"]["rule"] == "literal"
    assert m["delphi"]["used"] and "renewable_share" in m["excluded"]["delphi_screening"]
    assert m["delphi"]["illustrative"] is True
    assert "renewable_share" not in set(s.indicators["indicator"])
    assert (s.consistency["expert"] == "group").sum() == 7
    assert s.weights["global_weight"].sum() == pytest.approx(1.0)


def test_not_available_is_reported_and_weights_renormalised(weights, library):
    kpis = {"energy_tce": 3.0e6, "value_added_1e4cny": 1.0e7, "co2_t": 7.0e6}
    s = score_result(kpis, indicators=library, weights=weights, delphi=False, levels=["park"])
    ind = s.indicators
    avail = ind[ind["available"]]
    assert set(avail["indicator"]) == {"energy_intensity", "co2_intensity"}
    assert avail["weight"].sum() == pytest.approx(1.0)
    # two areas left, each keeps its own AHP area weight, re-normalised over the two
    aw = weights.area_weights
    expected = aw["resource_energy_efficiency"] / (
        aw["resource_energy_efficiency"] + aw["carbon_emissions"]
    )
    assert avail.set_index("indicator").loc["energy_intensity", "weight"] == pytest.approx(expected)
    na = ind[~ind["available"]]
    assert (na["weight"] == 0).all() and na["reason"].str.len().gt(0).all()
    assert "no_weight" in s.method["excluded"]  # renewable_share has no AHP weight
    row = s.grade("park", "optimized")
    assert row["n_available"] == 2 and "water_reuse_rate" in row["not_available"]


def test_baseline_and_optimized_from_mapping(weights, library, park_kpis):
    better = dict(park_kpis, waste_heat_recovered_tce=1.9e5)
    s = score_result(
        {"baseline": park_kpis, "optimized": better},
        indicators=library,
        weights=weights,
        delphi=False,
    )
    assert s.grade("park", "optimized")["score"] > s.grade("park", "baseline")["score"]


def test_operator_and_rule_choices_are_applied(weights, library, park_kpis):
    a = score_result(
        park_kpis,
        indicators=library,
        weights=weights,
        delphi=False,
        operator="min_max",
        composite_rule="strict",
        grade_scores=(100, 80, 60, 40),
        membership_shape="step",
    )
    assert a.method["fuzzy"]["operator"] == "M(∧,∨)"
    assert a.method["composite"]["rule"] == "strict"
    mu = a.indicators[a.indicators["available"]][[f"mu_{g}" for g in GRADES]].to_numpy()
    assert set(np.unique(mu)) <= {0.0, 1.0}


# ---------------------------------------------------------------- monotonicity (property)


@pytest.fixture(scope="module")
def direct_library(library):
    """The bundled library with each formula reading one KPI named after the indicator."""
    return IndicatorLibrary(
        tuple(dataclasses.replace(i, formula=parse_expression(f"v_{i.id}")) for i in library)
    )


def _values(lib, draw):
    out = {}
    for ind in lib:
        b1, _, _, b4 = ind.anchors()
        lo, hi = min(b1, b4), max(b1, b4)
        span = hi - lo
        out[f"v_{ind.id}"] = draw(st.floats(lo - span, hi + span, allow_nan=False))
    return out


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_improving_one_indicator_never_lowers_any_score(direct_library, weights, data):
    lib = direct_library.for_level("park").subset(weights.local_weights)
    kpis = _values(lib, data.draw)
    ind = data.draw(st.sampled_from(lib.ids))
    step = data.draw(st.floats(0.0, 1.0)) * abs(lib[ind].anchors()[0] - lib[ind].anchors()[3])
    better = dict(kpis)
    better[f"v_{ind}"] += lib[ind].sign * step
    kw = dict(indicators=lib, weights=weights, delphi=False, levels=["park"])
    s0, s1 = score_result(kpis, **kw), score_result(better, **kw)
    a0, a1 = s0.areas.set_index("area"), s1.areas.set_index("area")
    assert (a1["score"] >= a0["score"] - 1e-9).all()
    o0, o1 = s0.overall.iloc[0], s1.overall.iloc[0]
    for col in ("score", "Y_I", "Y_II", "Y_III"):
        assert o1[col] >= o0[col] - 1e-9, col
    assert GRADES.index(o1["composite_rating"]) <= GRADES.index(o0["composite_rating"])
    assert GRADES.index(o1["grade_by_score"]) <= GRADES.index(o0["grade_by_score"])


def test_max_membership_grade_is_not_monotone():
    """Documented flaw of the maximum-membership principle (hence the score is the default)."""
    before = fuzzy_evaluate([0.4, 0.35, 0.25], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])
    # the third factor improves from III to II: membership moves to a better grade ...
    after = fuzzy_evaluate([0.4, 0.35, 0.25], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0]])
    assert after.score > before.score
    # ... yet the maximum-membership grade drops from I to II
    assert (before.grade_max_membership, after.grade_max_membership) == ("I", "II")


# ---------------------------------------------------------------- inputs and writing


def test_bad_result_inputs_name_file_and_field(tmp_path, make_result_dir):
    with pytest.raises(InputError, match="result directory not found"):
        score_result(tmp_path / "missing")
    d = make_result_dir(tmp_path / "r1", {"energy_tce": "lots"})
    with pytest.raises(InputError, match=r"summary\.json: kpis\.energy_tce: expected a number"):
        score_result(d)
    (d / "summary.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"summary\.json: invalid JSON"):
        score_result(d)
    (d / "summary.json").write_text(json.dumps({"status": "infeasible"}), encoding="utf-8")
    with pytest.raises(InputError, match=r"status: cannot score a run with status 'infeasible'"):
        score_result(d)
    (d / "summary.json").write_text(json.dumps({"status": "optimal"}), encoding="utf-8")
    with pytest.raises(InputError, match=r"no KPIs in summary\.json and no kpis\.csv"):
        score_result(d)


def test_kpis_csv_fallback(tmp_path, weights, library):
    d = tmp_path / "r"
    d.mkdir()
    (d / "kpis.csv").write_text(
        "kpi,unit,baseline,optimized,saving,saving_pct\nenergy_tce,tce,5e6,4e6,1e6,20\n"
        "value_added_1e4cny,1e4 CNY,1e7,1e7,0,0\n",
        encoding="utf-8",
    )
    s = score_result(d, indicators=library, weights=weights, delphi=False, levels=["park"])
    ind = s.indicators.set_index(["case", "indicator"])
    assert ind.loc[("optimized", "energy_intensity"), "value"] == pytest.approx(0.4)
    assert ind.loc[("baseline", "energy_intensity"), "value"] == pytest.approx(0.5)


def test_timeseries_feeds_decoupling(tmp_path, weights, library, park_kpis):
    kpis = {k: v for k, v in park_kpis.items() if not k.startswith("ts_")}
    ts = tmp_path / "ts.csv"
    ts.write_text(
        "year,value_added,energy_tce,co2_t\n2019,100,50,200\n2021,121,52,199\n", encoding="utf-8"
    )
    s = score_result(
        kpis, indicators=library, weights=weights, delphi=False, timeseries=ts, levels=["park"]
    )
    v = s.indicators.set_index("indicator")["value"]
    assert v["energy_elasticity"] == pytest.approx(0.04 / 0.21)
    assert not s.decoupling.empty and "ts_co2_elasticity" in s.method["decoupling"]["kpis"]


def test_write_scores_atomic(tmp_path, result_dir, monkeypatch):
    s = score_result(result_dir)
    out = tmp_path / "scores"
    write_scores(s, out)
    names = {p.name for p in out.iterdir()}
    assert {
        "scores.json",
        "indicator_scores.csv",
        "area_scores.csv",
        "overall_scores.csv",
        "weights.csv",
    } <= names
    doc = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert doc["grades"]["park"]["optimized"]["park"]["composite_rating"] in GRADES
    assert "ILLUSTRATIVE" in doc["weights"]["note"]
    assert doc["method"]["fuzzy"]["operator"] == "M(·,⊕)"
    ind = pd.read_csv(out / "indicator_scores.csv")
    assert {"mu_I", "mu_below", "weight", "reason"} <= set(ind.columns)
    # a failing rewrite leaves the previous output intact and no temp dirs behind
    (out / "marker").write_text("old", encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(json, "dumps", boom)
    with pytest.raises(InputError, match="cannot write: disk full"):  # a user error (exit 2)
        write_scores(s, out)
    assert (out / "marker").read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".scores")] == []
    monkeypatch.undo()
    write_scores(s, out)
    assert not (out / "marker").exists()
